/**
 * SQLite's bookkeeping SQL (DESIGN.md §4). Timestamps are ISO-8601 UTC text with milliseconds, as
 * SQLite has no timestamp type; the database has no users, so `db_user` is NULL.
 */
import type { BookkeepingSql } from '../../engine/ports.ts';
import { bookkeepingSqlTemplate, quoteIdentifierWith } from '../bookkeeping-sql-template.ts';

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * A SQLite string literal: `'` doubled. A NUL would end the statement text early (sqlite3_prepare
 * stops at it), so it is spliced in with `char(0)` and the value still round-trips.
 */
export function sqliteLiteral(value: string): string {
  return value
    .split('\0')
    .map((part) => `'${part.replaceAll("'", "''")}'`)
    .join(' || char(0) || ');
}

/** The {@link BookkeepingSql} of SQLite. `BEGIN IMMEDIATE` takes the write lock up front. */
export const sqliteVersionStore: BookkeepingSql = bookkeepingSqlTemplate({
  quoteIdentifier: (name) => quoteIdentifierWith('"', name),
  literal: sqliteLiteral,
  types: {
    id: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    text: 'TEXT',
    longText: 'TEXT',
    errorText: 'TEXT',
    integer: 'INTEGER',
    bigint: 'INTEGER',
    timestamp: 'TEXT',
  },
  tableOptions: '',
  now: NOW,
  durationSinceStart: `CAST(ROUND((julianday('now') - julianday(started_at)) * 86400000) AS INTEGER)`,
  databaseUser: 'NULL',
  isoTimestamp: (column) => column,
  // pragma_table_info matches the name case-insensitively, as SQLite resolves table names.
  selectColumns: (table) =>
    `SELECT name AS column_name FROM pragma_table_info(${sqliteLiteral(table)}) ORDER BY cid`,
  // IMMEDIATE: a concurrent writer waits on busy_timeout at BEGIN instead of failing at COMMIT.
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
});
