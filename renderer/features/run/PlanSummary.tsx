/** The exact plan of a run: its steps in order and the warnings that come with it. */
import type { PlanPreview } from '../../../shared/contract/plan-schemas.ts';
import { SqlView } from '../../ui/SqlView.tsx';

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
