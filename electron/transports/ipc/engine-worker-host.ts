/**
 * Everything the engine worker (electron/worker, an Electron `utilityProcess`) does, written
 * against structural ports so it runs under plain Node in tests: wait for main's `init`, open the
 * {@link AppSession} with a vault that seals passwords through main, and serve every engine port
 * main hands over (one per renderer page).
 */
import { z } from 'zod';
import { createEngineHandlers } from '../../commands/app/engine-handlers.ts';
import { openAppSession } from '../../commands/app/open-app-session.ts';
import { EngineDispatcher } from '../rpc/engine-dispatcher.ts';
import { serveEnginePort, type EnginePortServer } from './engine-port-server.ts';
import type { MessagePortLike } from './message-port-like.ts';
import { IpcPasswordVault } from './password-vault-requests.ts';
import { RequestReplyClient } from './request-reply.ts';

/** Main's first message to the worker: where the user's data and the shipped demo are. */
export const workerInitSchema = z.strictObject({
  kind: z.literal('init'),
  /** Electron's `userData` folder: the demo copy, saved connections, recent projects. */
  dataDir: z.string().min(1),
  /** The shipped demo project (`resources/demo`, unpacked from the asar). */
  demoSource: z.string().min(1),
  /** A project to open first; null opens the demo. */
  project: z.string().min(1).nullable(),
});
/** Main's first message to the worker. */
export type WorkerInit = z.infer<typeof workerInitSchema>;

/** Main → worker: "serve the port in this message's `ports`". */
export const ENGINE_PORT_MESSAGE = { kind: 'engine.port' } as const;

/** Electron's `process.parentPort` in a utility process, reduced to what the worker uses. */
export interface ParentPortLike {
  on(
    event: 'message',
    listener: (event: { readonly data: unknown; readonly ports: readonly MessagePortLike[] }) => void,
  ): unknown;
  postMessage(message: unknown): void;
}

/** What the worker gets from its process. */
export interface EngineWorkerOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The worker's stderr (main forwards it to its log). */
  readonly log: (message: string) => void;
}

/** A running engine worker. */
export interface EngineWorker {
  /** Stops serving every port (tests; in the app the process just ends). */
  close(): void;
}

/** Starts the worker on `parent`: nothing is served before main's `init` arrives. */
export function startEngineWorker(parent: ParentPortLike, options: EngineWorkerOptions): EngineWorker {
  const vaultClient = new RequestReplyClient((message) => parent.postMessage(message));
  const servers = new Set<EnginePortServer>();
  const waiting: MessagePortLike[] = [];
  let dispatcher: EngineDispatcher | null = null;

  const serve = (port: MessagePortLike, d: EngineDispatcher): void => {
    const server = serveEnginePort(port, d, { log: options.log });
    servers.add(server);
    port.on('close', () => servers.delete(server));
  };

  parent.on('message', ({ data, ports }) => {
    if (vaultClient.accept(data)) return;
    const kind = (data as { kind?: unknown } | null)?.kind;
    if (kind === ENGINE_PORT_MESSAGE.kind) {
      const port = ports[0];
      if (port === undefined) return options.log('engine.port arrived without a port.');
      if (dispatcher === null) waiting.push(port);
      else serve(port, dispatcher);
      return;
    }
    const init = workerInitSchema.safeParse(data);
    if (!init.success) return options.log(`Ignored a message from main (kind: ${String(kind)}).`);
    if (dispatcher !== null) return options.log('Ignored a second init from main.');
    const session = openSession(init.data, options, new IpcPasswordVault(vaultClient));
    // A file changed on disk: every page of this window reloads its graph.
    session.projectCache.onChange(() => {
      for (const server of servers) server.push({ kind: 'project.changed' });
    });
    const d = new EngineDispatcher(createEngineHandlers(session), options.log);
    dispatcher = d;
    for (const port of waiting.splice(0)) serve(port, d);
  });

  return {
    close() {
      for (const server of servers) server.close();
      servers.clear();
      vaultClient.failAll('The engine worker stopped.');
    },
  };
}

function openSession(init: WorkerInit, options: EngineWorkerOptions, vault: IpcPasswordVault) {
  const base = {
    mode: 'desktop' as const,
    env: options.env,
    cwd: init.dataDir,
    dataDir: init.dataDir,
    demoSource: init.demoSource,
    vault,
  };
  if (init.project !== null) {
    try {
      return openAppSession({ ...base, project: init.project });
    } catch (error) {
      // A project passed on the command line that is gone: start on the demo rather than not at all.
      options.log(`Cannot open ${init.project}: ${(error as Error).message}`);
    }
  }
  return openAppSession({ ...base, demo: true });
}
