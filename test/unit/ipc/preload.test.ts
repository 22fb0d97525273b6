/**
 * The sandboxed preload (electron/preload/preload.cts), run the way Electron runs a sandboxed
 * preload: compiled to CommonJS and called with a `require` that knows `electron` only (here a
 * fake). Its engine port is a Node MessageChannel served by the real engine port server.
 */
import { readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineBridge } from '../../../shared/contract/engine-bridge.ts';
import { ENGINE_CONTRACT, type EngineMethod } from '../../../shared/contract/engine-contract.ts';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import { serveEnginePort } from '../../../electron/transports/ipc/engine-port-server.ts';
import { fromNodeMessagePort } from '../../../electron/transports/ipc/message-port-like.ts';

const PRELOAD_FILE = new URL('../../../electron/preload/preload.cts', import.meta.url);
const SOURCE = readFileSync(PRELOAD_FILE, 'utf8');
const COMPILED = ts.transpileModule(SOURCE, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023 },
}).outputText;

const EVENT: EngineEvent = {
  kind: 'run.event',
  runId: 'run_preload_1',
  event: { kind: 'lockAcquired' },
};

/** One page's preload, with its fake `electron` and the worker end of its engine port. */
class LoadedPreload {
  readonly required: string[] = [];
  readonly invoked: unknown[][] = [];
  readonly exposed: Record<string, unknown> = {};
  readonly dispatched: { method: string; input: unknown }[] = [];
  readonly #listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  #channel: MessageChannel | null = null;

  constructor(connectAnswer: Promise<EngineResult<unknown>> = Promise.resolve({ ok: true, value: {} })) {
    const electron = {
      ipcRenderer: {
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
          this.#listeners.set(channel, [...(this.#listeners.get(channel) ?? []), listener]);
        },
        invoke: (...args: unknown[]) => {
          this.invoked.push(args);
          return connectAnswer;
        },
      },
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          this.exposed[key] = api;
        },
      },
    };
    // Electron's sandboxed preload wrapper passes require, process, exports and module.
    const sandboxRequire = (name: string): unknown => {
      this.required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const exports = {};
    new Function('require', 'process', 'exports', 'module', COMPILED)(sandboxRequire, {}, exports, {
      exports,
    });
  }

  get engine(): EngineBridge {
    return this.exposed.engine as EngineBridge;
  }

  /** Main's `webContents.send(channel, ...args)` / `postMessage(channel, null, ports)`. */
  emit(channel: string, event: unknown, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(channel) ?? []) listener(event, ...args);
  }

  /** Main hands the page its port; the other end is served with a dispatcher that echoes. */
  givePort(): MessagePort {
    const channel = new MessageChannel();
    this.#channel = channel;
    serveEnginePort(fromNodeMessagePort(channel.port1), {
      dispatch: (method, input, ctx) => {
        this.dispatched.push({ method, input });
        ctx.emit(EVENT);
        return Promise.resolve({ ok: true, value: { method, input } });
      },
    });
    this.emit('engine.port', { ports: [channel.port2] });
    return channel.port2;
  }

  close(): void {
    this.#channel?.port1.close();
    this.#channel?.port2.close();
  }
}

let loaded: LoadedPreload[] = [];
function load(connectAnswer?: Promise<EngineResult<unknown>>): LoadedPreload {
  const preload = new LoadedPreload(connectAnswer);
  loaded.push(preload);
  return preload;
}

afterEach(() => {
  for (const p of loaded) p.close();
  loaded = [];
});

/** The string literals of the preload's ENGINE_METHOD_NAMES, read from its syntax tree. */
function listedMethods(): string[] {
  const file = ts.createSourceFile('preload.cts', SOURCE, ts.ScriptTarget.ES2023, true);
  let names: string[] | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'ENGINE_METHOD_NAMES') {
      let init: ts.Node | undefined = node.initializer;
      while (init !== undefined && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)))
        init = init.expression;
      if (init !== undefined && ts.isArrayLiteralExpression(init)) {
        names = init.elements.map((e) =>
          ts.isStringLiteral(e) ? e.text : `<not a literal: ${e.getText()}>`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (names === null) throw new Error('ENGINE_METHOD_NAMES not found in preload.cts');
  return names;
}

describe('the preload', () => {
  it('allows exactly the methods of the contract', () => {
    expect(listedMethods()).toEqual(Object.keys(ENGINE_CONTRACT));
  });

  it('requires electron only and exposes one window.engine with three functions', () => {
    const preload = load();
    expect(preload.required).toEqual(['electron']);
    expect(Object.keys(preload.exposed)).toEqual(['engine']);
    expect(Object.keys(preload.engine).sort()).toEqual(['call', 'onEvent', 'onProjectChosen']);
    expect(Object.values(preload.engine).every((f) => typeof f === 'function')).toBe(true);
  });

  it('asks main for its engine port on the one invoke channel, with empty input', () => {
    expect(load().invoked).toEqual([['engine.connect', {}]]);
  });

  it('sends calls made before the port arrives once it does, and answers each by id', async () => {
    const preload = load();
    const early = preload.engine.call('app.info', {});
    const early2 = preload.engine.call('revisions.show', { revision: 'a787cda37d02' });
    preload.givePort();
    expect(await early).toEqual({ ok: true, value: { method: 'app.info', input: {} } });
    expect(await early2).toMatchObject({ ok: true, value: { method: 'revisions.show' } });
    expect(await preload.engine.call('revisions.list', {})).toMatchObject({ ok: true });
    expect(preload.dispatched.map((d) => d.method)).toEqual(['app.info', 'revisions.show', 'revisions.list']);
  });

  it.each([['app.quit'], ['__proto__'], ['toString'], ['constructor'], [42], [null]])(
    'refuses %s without sending it',
    async (method) => {
      const preload = load();
      preload.givePort();
      const result = await preload.engine.call(method as EngineMethod, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'USAGE' } });
      await preload.engine.call('app.info', {});
      expect(preload.dispatched.map((d) => d.method)).toEqual(['app.info']);
    },
  );

  it('answers input that cannot cross the port with INVALID_INPUT', async () => {
    const preload = load();
    preload.givePort();
    const result = await preload.engine.call('project.open', { path: () => '/etc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('delivers engine events to every listener until it unsubscribes', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const preload = load();
    preload.givePort();
    const seen: EngineEvent[] = [];
    const unsubscribe = preload.engine.onEvent((e) => seen.push(e));
    preload.engine.onEvent(() => {
      throw new Error('a broken listener');
    });
    const seenToo: EngineEvent[] = [];
    preload.engine.onEvent((e) => seenToo.push(e));
    await preload.engine.call('migrations.run', {});
    expect(seen).toEqual([EVENT]);
    expect(seenToo).toEqual([EVENT]);
    unsubscribe();
    await preload.engine.call('app.info', {});
    expect(seen).toEqual([EVENT]);
    expect(seenToo).toEqual([EVENT, EVENT]);
    expect(() => preload.engine.onEvent('nope' as never)).toThrow(TypeError);
    expect(consoleError).toHaveBeenCalledTimes(2);
    consoleError.mockRestore();
  });

  it('passes File > Open Project… choices on, strings only', () => {
    const preload = load();
    const chosen: string[] = [];
    const unsubscribe = preload.engine.onProjectChosen((p) => chosen.push(p));
    preload.emit('project.chosen', {}, '/home/me/shop-migrations');
    preload.emit('project.chosen', {}, { path: '/etc' });
    unsubscribe();
    preload.emit('project.chosen', {}, '/later');
    expect(chosen).toEqual(['/home/me/shop-migrations']);
  });

  it('keeps the first port of the page: a second one is ignored', async () => {
    const preload = load();
    preload.givePort();
    const first = preload.dispatched;
    const intruder = new MessageChannel();
    preload.emit('engine.port', { ports: [intruder.port2] });
    await preload.engine.call('app.info', {});
    expect(first.map((d) => d.method)).toEqual(['app.info']);
    intruder.port1.close();
  });

  it('answers every call with an error when main refuses the port', async () => {
    const refused = Promise.resolve<EngineResult<unknown>>({
      ok: false,
      error: {
        code: 'USAGE',
        message: 'engine.connect is only available to Stratum’s own windows.',
        details: {},
      },
    });
    const preload = load(refused);
    const early = preload.engine.call('app.info', {});
    expect(await early).toMatchObject({ ok: false, error: { message: /engine is not reachable/ } });
    expect(await preload.engine.call('app.info', {})).toMatchObject({ ok: false });
  });
});
