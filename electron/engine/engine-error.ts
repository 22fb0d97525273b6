import type { ErrorCode, ErrorDetails } from '../../shared/contract/error-codes.ts';
import type { ErrorPayload } from '../../shared/model/run-event.ts';

/**
 * The one error type the engine throws: a `code` from {@link ErrorCode}, typed `details` for that
 * code, a message that says what to do next, and the underlying `cause`.
 *
 * @example
 * throw new EngineError('MULTIPLE_HEADS', 'Several heads…', { target: 'head', heads: ['a', 'b'] });
 */
export class EngineError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: ErrorDetails[C];

  constructor(code: C, message: string, details: ErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }

  /** The serializable form used in run reports, `--json` output and transports. */
  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message, details: this.details as Record<string, unknown> };
  }
}

/** Whether `error` is an {@link EngineError}, optionally with the given code. */
export function isEngineError<C extends ErrorCode>(error: unknown, code?: C): error is EngineError<C> {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** Wraps anything thrown into an {@link ErrorPayload}; unknown errors become `INTERNAL`. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof EngineError) return error.toPayload();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, details: {} };
}
