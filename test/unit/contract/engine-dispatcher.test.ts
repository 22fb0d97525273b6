/**
 * The dispatcher every app transport shares (STYLE.md §D.5, §E.2, §F.5), driven in memory with fake
 * handlers: it validates inputs and outputs, turns every failure into an error envelope, logs our
 * own bugs without leaking them, and passes the call context through for events.
 */
import { describe, expect, it } from 'vitest';
import { ENGINE_METHODS } from '../../../shared/contract/engine-contract.ts';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import type { CallContext, EngineHandlers } from '../../../electron/commands/app/engine-handlers.ts';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import { EngineDispatcher } from '../../../electron/transports/rpc/engine-dispatcher.ts';

const PROJECT = {
  root: '/p',
  name: 'p',
  dialect: 'sqlite',
  migrations: 'migrations',
  isDemo: false,
  revisionCount: 0,
  heads: [],
} as const;

/** Handlers that fail the test when called, except those the test fakes. */
function fakeHandlers(overrides: Partial<EngineHandlers>): EngineHandlers {
  const unexpected = (): never => {
    throw new Error('a handler the test did not fake was called');
  };
  const all = Object.fromEntries(ENGINE_METHODS.map((method) => [method, unexpected]));
  return { ...(all as unknown as EngineHandlers), ...overrides };
}

function setup(overrides: Partial<EngineHandlers>) {
  const logged: string[] = [];
  const events: EngineEvent[] = [];
  const dispatcher = new EngineDispatcher(fakeHandlers(overrides), (m) => logged.push(m));
  const ctx: CallContext = { emit: (event) => events.push(event) };
  const call = (method: string, input: unknown): Promise<EngineResult<unknown>> =>
    dispatcher.dispatch(method, input, ctx);
  return { call, logged, events };
}

function errorOf(result: EngineResult<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('EngineDispatcher', () => {
  it('answers a valid call with the handler value in an ok envelope', async () => {
    const { call } = setup({ 'run.cancel': ({ runId }) => ({ cancelled: runId === 'run_12345678' }) });
    expect(await call('run.cancel', { runId: 'run_12345678' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
  });

  it('awaits async handlers and treats a missing input of an empty-input method as {}', async () => {
    const seen: unknown[] = [];
    const { call } = setup({
      'project.openDemo': async (input) => {
        seen.push(input);
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { ...PROJECT, isDemo: true };
      },
    });
    expect(await call('project.openDemo', undefined)).toEqual({
      ok: true,
      value: { ...PROJECT, isDemo: true },
    });
    expect(await call('project.openDemo', null)).toMatchObject({ ok: true });
    expect(seen).toEqual([{}, {}]);
  });

  it('hands the handler the parsed input (trimmed), not the raw one', async () => {
    let received: unknown;
    const { call } = setup({
      'revisions.merge': (input) => {
        received = input;
        return { revision: 'abc', file: 'migrations/abc.sql' };
      },
    });
    await call('revisions.merge', { message: '  join heads  ' });
    expect(received).toEqual({ message: 'join heads' });
  });

  it('answers an unknown method with USAGE, naming it', async () => {
    const { call, logged } = setup({});
    for (const method of ['revisions.drop', 'constructor', '__proto__', '']) {
      expect(errorOf(await call(method, {}))).toEqual({
        code: 'USAGE',
        message: `Unknown method "${method}".`,
        details: { argument: method },
      });
    }
    expect(logged).toEqual([]);
  });

  it('answers invalid input with INVALID_INPUT, its issues and their paths, without calling the handler', async () => {
    const { call, logged } = setup({});
    const error = errorOf(
      await call('migrations.run', { connectionId: 'env:local', kind: 'up', target: 'heads', runId: 'r' }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toEqual({
      method: 'migrations.run',
      issues: [
        { path: 'kind', message: 'Invalid option: expected one of "upgrade"|"downgrade"|"stamp"' },
        { path: 'runId', message: 'A run id is 8–64 letters, digits, - or _.' },
      ],
    });
    expect(error.message).toBe('Invalid option: expected one of "upgrade"|"downgrade"|"stamp" (kind)');
    expect(logged).toEqual([]);
  });

  it('rejects unknown keys and non-object inputs', async () => {
    const { call } = setup({});
    const extra = errorOf(await call('app.info', { debug: true }));
    expect(extra).toMatchObject({ code: 'INVALID_INPUT', message: 'Unrecognized key: "debug"' });
    const notObject = errorOf(await call('database.state', 'env:local'));
    expect(notObject).toMatchObject({
      code: 'INVALID_INPUT',
      details: { issues: [{ path: '', message: 'Invalid input: expected object, received string' }] },
    });
  });

  it('reports a union input against the branch the caller meant (connections.test)', async () => {
    const { call } = setup({});
    const error = errorOf(await call('connections.test', { id: 42 }));
    expect(error.message).toBe('Invalid input: expected string, received number (id)');
    const draft = errorOf(await call('connections.test', { draft: { name: 'x', url: 'sqlite:a.db' } }));
    expect(draft.details).toMatchObject({ issues: [{ path: 'draft.tag' }] });
  });

  it("passes an EngineError's code, message and details through, without logging", async () => {
    const { call, logged } = setup({
      'revisions.show': ({ revision }) => {
        throw new EngineError('AMBIGUOUS_REVISION', `"${revision}" matches several revisions.`, {
          target: revision,
          candidates: ['abc111111111', 'abc222222222'],
        });
      },
    });
    expect(errorOf(await call('revisions.show', { revision: 'abc' }))).toEqual({
      code: 'AMBIGUOUS_REVISION',
      message: '"abc" matches several revisions.',
      details: { target: 'abc', candidates: ['abc111111111', 'abc222222222'] },
    });
    expect(logged).toEqual([]);
  });

  it('turns a rejected promise of an async handler into its envelope too', async () => {
    const { call } = setup({
      'database.state': async ({ connectionId }) => {
        await Promise.resolve();
        throw new EngineError('CONNECTION_NOT_FOUND', 'gone', { id: connectionId });
      },
    });
    expect(errorOf(await call('database.state', { connectionId: 'c_x' }))).toEqual({
      code: 'CONNECTION_NOT_FOUND',
      message: 'gone',
      details: { id: 'c_x' },
    });
  });

  it('answers a plain Error with INTERNAL and logs it with its stack', async () => {
    const { call, logged } = setup({
      'revisions.list': () => {
        throw new TypeError("Cannot read properties of undefined (reading 'nodes')");
      },
    });
    expect(errorOf(await call('revisions.list', {}))).toEqual({
      code: 'INTERNAL',
      message: "Cannot read properties of undefined (reading 'nodes')",
      details: {},
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^revisions\.list failed: TypeError: Cannot read properties/);
    expect(logged[0]).toContain('engine-dispatcher.test.ts');
  });

  it('answers a system error (code but no details) and a thrown non-Error with INTERNAL', async () => {
    const { call, logged } = setup({
      'project.open': () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
      'connections.list': () => {
        throw 'boom';
      },
    });
    expect(errorOf(await call('project.open', { path: '/root' })).code).toBe('INTERNAL');
    expect(errorOf(await call('connections.list', {}))).toEqual({
      code: 'INTERNAL',
      message: 'boom',
      details: {},
    });
    expect(logged).toHaveLength(2);
  });

  it('answers an output that breaks its schema with INTERNAL, logs it and never leaks it', async () => {
    const { call, logged } = setup({
      'connections.list': () =>
        ({
          connections: [{ id: 'c_1', name: 'Shop', url: 'postgres://me:hunter2@h/shop', tag: 'prod' }],
        }) as never,
    });
    const result = await call('connections.list', {});
    expect(errorOf(result)).toEqual({
      code: 'INTERNAL',
      message: 'Stratum produced an invalid answer for connections.list. Please report this.',
      details: {},
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^connections\.list returned an invalid result: /);
    expect(logged[0]).toContain('tag');
  });

  it('strips keys a handler adds beyond the output schema', async () => {
    const { call } = setup({
      'connections.delete': () => ({ sealed: 'session:abc' }) as never,
      'run.cancel': () => ({ cancelled: false, controller: {} }) as never,
    });
    expect(await call('connections.delete', { id: 'c_1' })).toEqual({ ok: true, value: {} });
    expect(await call('run.cancel', { runId: 'run_12345678' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });

  it('passes the call context through, so handlers stream events while they run', async () => {
    const report = {
      runId: 'engine-run',
      ok: true,
      cancelled: false,
      dryRun: false,
      headsBefore: [],
      headsAfter: ['abc'],
      steps: [],
      durationMs: 1,
    };
    const { call, events } = setup({
      'migrations.run': (input, ctx) => {
        ctx.emit({ kind: 'run.event', runId: input.runId, event: { kind: 'lockAcquired' } });
        ctx.emit({ kind: 'run.event', runId: input.runId, event: { kind: 'runFinished', report } });
        return { plan: null, report };
      },
    });
    const result = await call('migrations.run', {
      connectionId: 'env:local',
      kind: 'upgrade',
      target: 'heads',
      runId: 'run_12345678',
    });
    expect(result).toEqual({ ok: true, value: { plan: null, report } });
    expect(events).toEqual([
      { kind: 'run.event', runId: 'run_12345678', event: { kind: 'lockAcquired' } },
      { kind: 'run.event', runId: 'run_12345678', event: { kind: 'runFinished', report } },
    ]);
  });

  it('logs nothing by default', async () => {
    const dispatcher = new EngineDispatcher(
      fakeHandlers({
        'app.info': () => {
          throw new Error('x');
        },
      }),
    );
    const result = await dispatcher.dispatch('app.info', {}, { emit: () => {} });
    expect(errorOf(result).code).toBe('INTERNAL');
  });
});
