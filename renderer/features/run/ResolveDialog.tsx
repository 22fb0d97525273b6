/** Settles a dirty step (DESIGN.md §4): resume it, or record that it was finished or undone by hand. */
import { useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { ResolveAction, ResolveReport } from '../../../shared/model/resolve-report.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { newRunId } from '../../lib/engine-client/engine-client.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

const OPTIONS: { action: ResolveAction; label: string; help: string }[] = [
  {
    action: 'resume',
    label: 'Resume',
    help: 'Run the statements that did not run, then record the step as applied.',
  },
  {
    action: 'markApplied',
    label: 'Mark applied',
    help: 'You finished the step by hand: record it as applied.',
  },
  {
    action: 'markRolledBack',
    label: 'Mark rolled back',
    help: 'You undid the step by hand: record it as not applied.',
  },
];

export function ResolveDialog(props: {
  revision: string;
  connection: ConnectionInfo;
  onClose: (done: boolean) => void;
}) {
  const client = useEngine();
  const [report, setReport] = useState<ResolveReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const production = props.connection.tag === 'production';
  const run = async (action: ResolveAction): Promise<void> => {
    setBusy(true);
    try {
      setReport(
        await client.call('dirty.resolve', {
          connectionId: props.connection.id,
          revision: props.revision,
          action,
          runId: newRunId(),
          ...(production ? { confirmation: typed } : {}),
        }),
      );
    } catch (resolveError) {
      setError(resolveError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`Resolve dirty revision ${props.revision.slice(0, 12)}`}
      onClose={() => props.onClose(report !== null)}
      busy={busy}
      actions={
        <button type="button" onClick={() => props.onClose(report !== null)} disabled={busy}>
          Close
        </button>
      }
    >
      {report === null ? (
        <>
          {production && (
            <label className="confirm-name">
              Type <strong>{props.connection.databaseName}</strong> to confirm
              <input value={typed} onChange={(e) => setTyped(e.target.value)} />
            </label>
          )}
          <ul className="resolve-options">
            {OPTIONS.map((o) => (
              <li key={o.action}>
                <button type="button" disabled={busy} onClick={() => void run(o.action)}>
                  {o.label}
                </button>{' '}
                <span className="muted">{o.help}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div role="status">
          <p>
            {report.ok ? 'Resolved' : 'Not resolved'}: the journal row is now {report.status} (
            {report.statementsDoneAfter} of {report.statementsTotal} statements).
          </p>
          {report.ran.length > 0 && <p>Had run: {report.ran.map((s) => `${s.file}:${s.line}`).join(', ')}</p>}
          {report.notRun.length > 0 && (
            <p>Had not run: {report.notRun.map((s) => `${s.file}:${s.line}`).join(', ')}</p>
          )}
          {report.error !== undefined && <p className="error-text">{report.error.message}</p>}
        </div>
      )}
      <ErrorMessage error={error} />
    </Dialog>
  );
}
