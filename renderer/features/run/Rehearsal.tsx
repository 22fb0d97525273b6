/**
 * "Rehearse first": runs the plan for real on a scratch copy of the connection's database (the
 * engine drops the copy afterwards) and reports every statement with its time, or the failure with
 * the database's message and `file:line`. The connection's database is only read.
 */
import { useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { EngineOutput } from '../../../shared/contract/engine-contract.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { newRunId } from '../../lib/engine-client/engine-client.ts';
import { ErrorMessage, errorLocation } from '../../ui/ErrorMessage.tsx';

type Result = EngineOutput<'plan.rehearse'>;

export function Rehearsal(props: {
  connection: ConnectionInfo;
  kind: 'upgrade' | 'downgrade';
  target: string;
}) {
  const client = useEngine();
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<'scratch' | 'inTransaction'>('scratch');
  // PostgreSQL rolls DDL back: the plan can meet the real rows inside a transaction it undoes.
  // (SQLite's scratch is already a full copy; MySQL commits DDL at once.)
  const canUseTransaction = props.connection.dialect === 'postgres' && props.connection.tag !== 'production';
  const run = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    setError(null);
    const id = newRunId();
    setRunId(id);
    try {
      setResult(
        await client.call('plan.rehearse', {
          connectionId: props.connection.id,
          kind: props.kind,
          target: props.target,
          runId: id,
          mode,
        }),
      );
    } catch (rehearseError) {
      setError(rehearseError);
    } finally {
      setBusy(false);
      setRunId(null);
    }
  };
  const cancel = (): void => {
    if (runId !== null) void client.call('run.cancel', { runId }).catch(setError);
  };
  const failed = result?.report.steps.find((s) => s.status === 'failed');
  const location = failed?.error === undefined ? null : errorLocation(failed.error.details);
  return (
    <section className="rehearsal" aria-label="Rehearsal">
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy
          ? 'Rehearsing…'
          : mode === 'inTransaction'
            ? 'Rehearse, then roll back'
            : 'Rehearse on a scratch copy'}
      </button>{' '}
      {busy && (
        <>
          <button type="button" onClick={cancel}>
            Cancel rehearsal
          </button>{' '}
        </>
      )}
      <span className="muted">
        {mode === 'inTransaction'
          ? `Runs the plan on ${props.connection.name} itself inside one transaction, then rolls it back: it meets the real rows, and holds the run's locks while it runs.`
          : props.connection.dialect === 'sqlite'
            ? 'Copies the database file, runs the plan on the copy, deletes it.'
            : `Creates a scratch database on ${props.connection.name}'s server, replays the revisions applied there (their schema, not the rows your application wrote), runs the plan, then drops it.`}
      </span>
      {canUseTransaction && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={mode === 'inTransaction'}
            disabled={busy}
            onChange={(e) => setMode(e.target.checked ? 'inTransaction' : 'scratch')}
          />
          On the real data, in a transaction that is rolled back
        </label>
      )}
      {result !== null && result.report.ok && (
        <p className="outcome outcome-ok" role="status">
          Rehearsal passed: {result.report.steps.length} step(s), {result.statements.length} statement(s) in{' '}
          {result.report.durationMs} ms{' '}
          {result.mode === 'inTransaction' ? 'in a transaction, rolled back' : 'on a scratch copy'}.{' '}
          {props.connection.name} was not changed.
        </p>
      )}
      {result !== null && !result.report.ok && (
        <div className="outcome outcome-failed" role="alert">
          <p>
            {result.report.cancelled
              ? result.mode === 'inTransaction'
                ? 'Rehearsal cancelled and rolled back.'
                : 'Rehearsal cancelled; the scratch copy was deleted.'
              : `Rehearsal failed at ${failed?.revision ?? 'a step'}.`}{' '}
            {props.connection.name} was not changed.
          </p>
          {failed?.error !== undefined && <p className="error-text">{failed.error.message}</p>}
          {location !== null && <p className="error-location">at {location}</p>}
        </div>
      )}
      {result !== null && result.statements.length > 0 && (
        <table className="journal" aria-label="Rehearsed statements">
          <thead>
            <tr>
              <th scope="col">Statement</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {result.statements.map((s) => (
              <tr key={`${s.step}-${s.index}`} className={s.durationMs === null ? 'journal-failed' : ''}>
                <td>
                  <code>
                    {s.file.split('/').pop()}:{s.line}
                  </code>{' '}
                  {s.sql.split('\n')[0]!.slice(0, 80)}
                </td>
                <td>{s.durationMs === null ? 'failed' : `${s.durationMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
