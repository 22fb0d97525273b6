/**
 * Test helpers for the engine port: the renderer's side of a Node `MessageChannel` (what the
 * preload does in the app, minus the bridge), and a demo session in its own temp data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import type { EnginePortEvent, EnginePortReply } from '../../../shared/contract/desktop-channels.ts';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';

/** The shipped demo project. */
export const DEMO_SOURCE = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

/** A temp data folder (STRATUM_DATA_DIR-like), removed by `remove()`. */
export function tempDataDir(): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stratum-ipc-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The calling end of an engine port. */
export class PortClient {
  readonly events: EngineEvent[] = [];
  /** Every message received, in order (replies and events). */
  readonly received: unknown[] = [];
  readonly #port: MessagePort;
  readonly #pending = new Map<number, (result: EngineResult<unknown>) => void>();
  #nextId = 1;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on('message', (message: unknown) => {
      this.received.push(message);
      if (typeof message === 'object' && message !== null && 'event' in message) {
        this.events.push((message as EnginePortEvent).event);
        return;
      }
      const reply = message as EnginePortReply;
      this.#pending.get(reply.id)?.(reply.result);
      this.#pending.delete(reply.id);
    });
  }

  /** Calls `method` and resolves with the envelope. */
  call(method: string, input: unknown = {}): Promise<EngineResult<unknown>> {
    return this.send({ id: this.#nextId++, method, input });
  }

  /** Sends any message with a numeric `id` and waits for the reply with that id. */
  send(message: { readonly id: number } & Record<string, unknown>): Promise<EngineResult<unknown>> {
    return new Promise((resolve) => {
      this.#pending.set(message.id, resolve);
      this.#port.postMessage(message);
    });
  }

  /** Sends a message that gets no reply. */
  post(message: unknown): void {
    this.#port.postMessage(message);
  }
}

/** The value of an ok envelope; fails the test with the error otherwise. */
export function valueOf<T = Record<string, unknown>>(result: EngineResult<unknown>): T {
  if (!result.ok) throw new Error(`Expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}
