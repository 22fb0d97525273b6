/** How a run ended: applied, cancelled, or failed with the database's message and `file:line`. */
import type { RunResult } from '../../../shared/contract/plan-schemas.ts';
import { errorLocation } from '../../ui/ErrorMessage.tsx';

export function RunOutcome({
  result,
  onResolve,
}: {
  result: RunResult;
  onResolve: (revision: string) => void;
}) {
  const { report } = result;
  const applied = report.steps.filter((s) => s.status === 'applied').length;
  const failed = report.steps.find((s) => s.status === 'failed');
  if (report.ok) {
    return (
      <p className="outcome outcome-ok" role="status">
        Done: {applied} step(s) in {report.durationMs} ms. Now at {report.headsAfter.join(', ') || 'base'}.
      </p>
    );
  }
  if (report.cancelled && failed === undefined) {
    return (
      <p className="outcome outcome-cancelled" role="status">
        Cancelled after {applied} step(s). Now at {report.headsAfter.join(', ') || 'base'}.
      </p>
    );
  }
  const location = failed?.error === undefined ? null : errorLocation(failed.error.details);
  return (
    <div className="outcome outcome-failed" role="alert">
      <p>
        {report.cancelled ? 'Cancelled' : 'Failed'} at {failed?.revision ?? 'a step'} after {applied} step(s)
        applied.
        {failed?.rolledBack === true && ' Its transaction was rolled back: nothing of that step remains.'}
      </p>
      {failed?.error !== undefined && <p className="error-text">{failed.error.message}</p>}
      {location !== null && <p className="error-location">at {location}</p>}
      {failed?.dirty === true && (
        <p>
          The step stopped part-way ({failed.statementsDone} of {failed.statementsTotal} statements ran) and
          is now dirty.{' '}
          <button type="button" onClick={() => onResolve(failed.revision)}>
            Resolve…
          </button>
        </p>
      )}
    </div>
  );
}
