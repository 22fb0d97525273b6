/**
 * What the desktop app's preload exposes as `window.engine` (STYLE.md §E.1): typed calls of the
 * contract and engine events, never raw IPC. Browser mode has no bridge; it uses HTTP instead.
 */
import type { EngineMethod } from './engine-contract.ts';
import type { EngineEvent } from './engine-events.ts';
import type { EngineResult } from './engine-result.ts';

/** The preload's bridge to the engine worker. */
export interface EngineBridge {
  /** Calls a contract method; the envelope carries the error (Electron keeps only messages). */
  call(method: EngineMethod, input: unknown): Promise<EngineResult<never>>;
  /** Listens to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Listens to File > Open Project… choices made in the native menu. */
  onProjectChosen(listener: (path: string) => void): () => void;
}
