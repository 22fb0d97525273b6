/**
 * The envelope every transport returns (STYLE.md §D.5): Electron keeps only an error's `message`
 * across IPC, so errors travel as data and the client rebuilds them from `code`.
 */
import type { ErrorPayload } from '../model/run-event.ts';

/** A call's outcome. */
export type EngineResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorPayload };
