/** The exact plan of a run: its steps in order and the warnings that come with it. */
import { formatByteSize } from '../../../shared/format/byte-size.ts';
import type { PlanPreview, PlanStepView } from '../../../shared/contract/plan-schemas.ts';
import { SqlView } from '../../ui/SqlView.tsx';

/** `1.2 MB, ~150,000 rows`, or `not there yet` for a table the plan creates. */
export function describeTable(t: PlanStepView['tables'][number]): string {
  if (!t.exists) return 'not there yet';
  const parts: string[] = [];
  if (t.bytes !== null) parts.push(formatByteSize(t.bytes));
  if (t.rows !== null) parts.push(`~${t.rows.toLocaleString('en')} rows`);
  return parts.join(', ') || 'exists';
}

export function PlanSummary({ plan }: { plan: PlanPreview }) {
  if (plan.steps.length === 0) return <p>Nothing to do: the database is already there.</p>;
  return (
    <>
      <ol className="plan-steps" aria-label="Plan">
        {plan.steps.map((s, i) => (
          <li key={i}>
            <span className={`direction direction-${s.direction}`}>{s.direction}</span>{' '}
            <code>{s.revision?.slice(0, 12) ?? 'base'}</code> {s.message}{' '}
            <span className="muted">
              · {s.direction === 'stamp' ? 'version table only' : `${s.statements} statement(s)`} ·{' '}
              {s.transaction === 'none' ? 'no transaction' : 'one transaction'}
            </span>
            {s.tables.length > 0 && (
              <div className="step-tables muted">
                touches{' '}
                {s.tables.map((t, j) => (
                  <span key={t.name}>
                    {j > 0 && ', '}
                    <code>{t.name}</code> ({describeTable(t)})
                  </span>
                ))}
              </div>
            )}
            {s.sql.length > 0 && (
              <details className="step-sql">
                <summary>SQL</summary>
                {s.sql.map((statement, j) => (
                  <SqlView
                    key={j}
                    sql={statement.sql}
                    firstLine={statement.line}
                    label={`${statement.file}:${statement.line}`}
                  />
                ))}
              </details>
            )}
          </li>
        ))}
      </ol>
      {plan.warnings.length > 0 && (
        <ul className="plan-warnings" aria-label="Warnings">
          {plan.warnings.map((w, i) => (
            <li key={i} className={`warning warning-${w.kind}`}>
              {w.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
