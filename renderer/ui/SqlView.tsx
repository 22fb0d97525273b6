/** Read-only, syntax-highlighted SQL with file line numbers. */
import { useMemo } from 'react';
import { tokenizeSql } from './sql-tokens.ts';

export function SqlView({ sql, firstLine, label }: { sql: string; firstLine: number; label: string }) {
  const tokens = useMemo(() => tokenizeSql(sql), [sql]);
  const lines = sql.split('\n').length;
  return (
    <figure className="sql-view" aria-label={label}>
      <pre className="sql-gutter" aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => firstLine + i).join('\n')}
      </pre>
      <pre className="sql-code">
        <code>
          {tokens.map((t, i) =>
            t.kind === 'text' ? (
              t.text
            ) : (
              <span key={i} className={`sql-${t.kind}`}>
                {t.text}
              </span>
            ),
          )}
        </code>
      </pre>
    </figure>
  );
}
