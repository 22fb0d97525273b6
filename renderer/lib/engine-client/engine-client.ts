/**
 * The renderer's one way to reach the engine (STYLE.md §A): typed calls of the contract and the
 * stream of engine events, over Electron IPC (ipc-client.ts) or HTTP + WebSocket (http-client.ts).
 */
import type { EngineInput, EngineMethod, EngineOutput } from '../../../shared/contract/engine-contract.ts';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import type { ErrorCode } from '../../../shared/contract/error-codes.ts';

/** Typed access to the engine. */
export interface EngineClient {
  /** Calls `method`; rejects with {@link EngineClientError} when the engine reports an error. */
  call<M extends EngineMethod>(method: M, input: EngineInput<M>): Promise<EngineOutput<M>>;
  /** Listens to engine events (run progress); returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Resolves once events are delivered, so none of a run started next is missed. */
  ready(): Promise<void>;
  /** Desktop only: folders chosen with File > Open Project… in the native menu. */
  onProjectChosen?(listener: (path: string) => void): () => void;
}

/** An error the engine reported, rebuilt from its code and details (STYLE.md §D.5). */
export class EngineClientError extends Error {
  readonly code: ErrorCode | 'TRANSPORT';
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'EngineClientError';
    this.code = code as ErrorCode;
    this.details = details;
  }
}

/** The value of a result envelope, or its error thrown as {@link EngineClientError}. */
export function unwrap<T>(result: EngineResult<T>): T {
  if (result.ok) return result.value;
  throw new EngineClientError(result.error.code, result.error.message, result.error.details);
}

/** A run id for `migrations.run` / `dirty.resolve`, chosen by the client so it can cancel. */
export function newRunId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `run_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
