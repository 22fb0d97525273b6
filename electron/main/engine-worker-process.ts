/**
 * One window's engine worker: a `utilityProcess` running electron/worker/engine-worker.ts, given
 * its settings once, then one MessagePort per page load whose other end goes to the page's preload
 * (STYLE.md §A: the engine never runs in main, and contract calls never pass through it).
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { DESKTOP_CHANNELS } from '../../shared/contract/desktop-channels.ts';
import { ENGINE_PORT_MESSAGE, type WorkerInit } from '../transports/ipc/engine-worker-host.ts';
import { hostSafeStorageVault } from './safe-storage-vault-host.ts';

/** How to start the worker. */
export interface EngineWorkerProcessOptions {
  /** The compiled worker entry. */
  readonly entry: string;
  readonly init: WorkerInit;
  readonly log: (message: string) => void;
  /** The worker died on its own (a crash, an out-of-memory kill). */
  readonly onCrash: (exitCode: number) => void;
}

/** Starts the worker on first use and restarts it after a crash. */
export class EngineWorkerProcess {
  readonly #options: EngineWorkerProcessOptions;
  #child: UtilityProcess | null = null;

  constructor(options: EngineWorkerProcessOptions) {
    this.#options = options;
  }

  /** Links `page` to the worker with a fresh MessagePort, sent on `engine.port`. */
  connect(page: WebContents): void {
    const child = this.#running();
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage(ENGINE_PORT_MESSAGE, [port1]);
    page.postMessage(DESKTOP_CHANNELS.enginePort, null, [port2]);
  }

  /** Ends the worker (its window closed). */
  stop(): void {
    const child = this.#child;
    this.#child = null;
    child?.kill();
  }

  #running(): UtilityProcess {
    if (this.#child !== null) return this.#child;
    const { entry, init, log, onCrash } = this.#options;
    const child = utilityProcess.fork(entry, [], { serviceName: 'Stratum engine', stdio: 'inherit' });
    hostSafeStorageVault(child, () => log('Ignored an unexpected message from the engine worker.'));
    child.on('exit', (code) => {
      if (this.#child !== child) return; // stopped on purpose
      this.#child = null;
      log(`The engine worker exited with code ${code}.`);
      onCrash(code);
    });
    child.postMessage(init);
    this.#child = child;
    return child;
  }
}
