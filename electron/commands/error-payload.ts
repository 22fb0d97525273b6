/** Errors as data, for transports: the CLI's `--json` and the app's error envelopes. */
import type { ErrorPayload } from '../../shared/model/run-event.ts';

/**
 * The payload of anything a command threw: an engine error (or any error carrying a string `code`
 * and `details`) keeps them; anything else is `INTERNAL` with its message.
 */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof Error && 'code' in error && 'details' in error && typeof error.code === 'string') {
    return { code: error.code, message: error.message, details: error.details as Record<string, unknown> };
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), details: {} };
}
