/**
 * The desktop renderer's preload (STYLE.md §E.1): exposes one typed `window.engine`
 * ({@link EngineBridge}) and nothing else — never `ipcRenderer`, never a generic invoke. Calls and
 * events travel over a MessagePort that main hands this page on request and whose other end is the
 * engine worker; main itself only checks who asks (safe-handle.ts).
 *
 * It runs sandboxed (`sandbox: true`), where `require` knows `electron` and a few built-ins only:
 * so this file is CommonJS (tsc emits preload.cjs despite the package's `"type": "module"`,
 * reference/stack.md gotcha 5), requires nothing but `electron`, and imports types only.
 */
import type {
  DesktopChannel,
  EnginePortMessage,
  EnginePortRequest,
} from '../../shared/contract/desktop-channels.ts';
import type { EngineBridge } from '../../shared/contract/engine-bridge.ts';
import type { EngineMethod } from '../../shared/contract/engine-contract.ts';
import type { EngineEvent } from '../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../shared/contract/engine-result.ts';

// `require`, not `import`: tsconfig's verbatimModuleSyntax forbids `import` in a CommonJS file and
// erasableSyntaxOnly forbids `import … = require()`; this is what tsc would have emitted anyway.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const electron: typeof import('electron') = require('electron');

// Copies of shared constants (a sandboxed preload cannot require them); the types check them.
const ENGINE_CONNECT: DesktopChannel = 'engine.connect';
const ENGINE_PORT: DesktopChannel = 'engine.port';
const PROJECT_CHOSEN: DesktopChannel = 'project.chosen';

/** The methods a page may call: the contract's, listed (test/unit/ipc checks the list). */
const ENGINE_METHOD_NAMES = [
  'app.info',
  'project.open',
  'project.openDemo',
  'revisions.list',
  'revisions.show',
  'revisions.merge',
  'revisions.create',
  'files.read',
  'files.check',
  'files.save',
  'connections.list',
  'connections.save',
  'connections.delete',
  'connections.test',
  'database.state',
  'journal.list',
  'plan.preview',
  'migrations.run',
  'plan.rehearse',
  'sql.export',
  'run.cancel',
  'dirty.resolve',
] as const satisfies readonly EngineMethod[];
// A contract method missing from the list fails to compile here.
const _everyMethodListed: [Exclude<EngineMethod, (typeof ENGINE_METHOD_NAMES)[number]>] extends [never]
  ? true
  : false = true;
const ALLOWED_METHODS: ReadonlySet<string> = new Set<string>(ENGINE_METHOD_NAMES);

/** The renderer's end of the engine port (a DOM MessagePort). */
interface EnginePort {
  postMessage(message: EnginePortRequest): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  start(): void;
}

let port: EnginePort | null = null;
/** Calls made before the port arrived, sent once it does. */
const outbox: EnginePortRequest[] = [];
const pending = new Map<number, (result: EngineResult<never>) => void>();
const eventListeners = new Set<(event: EngineEvent) => void>();
const projectListeners = new Set<(path: string) => void>();
let connectFailure: EngineResult<never> | null = null;
let nextId = 1;

function failure(code: string, message: string, details: Record<string, unknown>): EngineResult<never> {
  return { ok: false, error: { code, message, details } };
}

function receive(data: unknown): void {
  if (data === null || typeof data !== 'object') return;
  const message = data as Partial<EnginePortMessage> & { id?: unknown; result?: unknown; event?: unknown };
  if ('event' in message && message.event !== undefined) {
    for (const listener of [...eventListeners]) notify(listener, message.event as EngineEvent);
    return;
  }
  if (typeof message.id !== 'number') return;
  const settle = pending.get(message.id);
  if (settle === undefined) return;
  pending.delete(message.id);
  settle(message.result as EngineResult<never>);
}

function notify<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    // One failing listener must not starve the others.
    console.error(error);
  }
}

function send(request: EnginePortRequest): void {
  try {
    if (port === null) outbox.push(request);
    else port.postMessage(request);
  } catch (error) {
    // Not structured-cloneable (a function, a DOM node…): the caller's mistake, as an envelope.
    pending.get(request.id)?.(
      failure('INVALID_INPUT', `Cannot send ${request.method}'s input: ${(error as Error).message}`, {
        method: request.method,
        issues: [],
      }),
    );
    pending.delete(request.id);
  }
}

function listen<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('Pass a function.');
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

electron.ipcRenderer.on(ENGINE_PORT, (event) => {
  const received = event.ports[0] as unknown as EnginePort | undefined;
  if (received === undefined || port !== null) return;
  port = received;
  received.addEventListener('message', (message) => receive(message.data));
  received.start();
  for (const request of outbox.splice(0)) send(request);
});

electron.ipcRenderer.on(PROJECT_CHOSEN, (_event, chosen: unknown) => {
  if (typeof chosen !== 'string') return;
  for (const listener of [...projectListeners]) notify(listener, chosen);
});

electron.ipcRenderer.invoke(ENGINE_CONNECT, {}).then(
  (result: EngineResult<unknown>) => {
    if (!result.ok) failConnect(result.error.message);
  },
  (error: unknown) => failConnect(String(error)),
);

function failConnect(reason: string): void {
  connectFailure = failure('INTERNAL', `The engine is not reachable: ${reason}`, {});
  for (const request of outbox.splice(0)) pending.get(request.id)?.(connectFailure);
  pending.clear();
}

const bridge: EngineBridge = {
  call(method: EngineMethod, input: unknown): Promise<EngineResult<never>> {
    if (typeof method !== 'string' || !ALLOWED_METHODS.has(method)) {
      return Promise.resolve(
        failure('USAGE', `Unknown method "${String(method)}".`, { argument: String(method) }),
      );
    }
    if (connectFailure !== null) return Promise.resolve(connectFailure);
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      send({ id, method, input });
    });
  },
  onEvent: (listener) => listen(eventListeners, listener),
  onProjectChosen: (listener) => listen(projectListeners, listener),
};

electron.contextBridge.exposeInMainWorld('engine', bridge);
