/** The journal rows of one revision on one connection: who ran what, when, how long, and how it ended. */
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';

export function JournalTable({ entries }: { entries: readonly JournalEntry[] }) {
  if (entries.length === 0)
    return <p className="muted">No journal rows for this revision on this connection.</p>;
  return (
    <table className="journal" aria-label="Journal">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Direction</th>
          <th scope="col">Status</th>
          <th scope="col">Statements</th>
          <th scope="col">Duration</th>
          <th scope="col">Who</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} className={`journal-${e.status}`}>
            <td>{e.startedAt.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '')}</td>
            <td>{e.direction}</td>
            <td title={e.error ?? undefined}>{e.status}</td>
            <td>
              {e.statementsDone}/{e.statementsTotal}
            </td>
            <td>{e.durationMs === null ? '—' : `${e.durationMs} ms`}</td>
            <td>
              {[e.osUser, e.host].filter((v) => v !== null).join('@') || '—'}
              {e.dbUser === null ? '' : ` (db: ${e.dbUser})`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
