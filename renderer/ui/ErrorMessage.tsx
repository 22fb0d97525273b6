/** An engine error as the user reads it: the message, and for a failed statement its file:line. */
import { EngineClientError } from '../lib/engine-client/engine-client.ts';

/** The `file:line` of an error, when it names one (STATEMENT_FAILED, REVISION_FILE_INVALID). */
export function errorLocation(details: Readonly<Record<string, unknown>>): string | null {
  const { file, line } = details;
  return typeof file === 'string' && typeof line === 'number' ? `${file}:${line}` : null;
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof EngineClientError ? error.details : {};
  const location = errorLocation(details);
  return (
    <div className="error-message" role="alert">
      <p>{message}</p>
      {location !== null && <p className="error-location">at {location}</p>}
    </div>
  );
}
