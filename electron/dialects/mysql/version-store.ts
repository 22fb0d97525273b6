/**
 * MySQL/MariaDB's bookkeeping SQL (DESIGN.md §4). Times are `DATETIME(3)` in UTC from
 * `UTC_TIMESTAMP(3)`. The tables are created `utf8mb4` with a binary collation whatever the
 * database's default is, so applied text keeps every character and revision ids compare exactly.
 */
import type { BookkeepingSql } from '../../engine/ports.ts';
import { bookkeepingSqlTemplate, quoteIdentifierWith } from '../bookkeeping-sql-template.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\0': '\\0',
  // Ctrl-Z ends input for the Windows mysql client (mysql_real_escape_string escapes it too).
  '\x1a': '\\Z',
  "'": "''",
};

/**
 * A MySQL string literal. Backslash is an escape character unless the server runs with
 * `NO_BACKSLASH_ESCAPES` (off by default, and assumed off here), so it is doubled, NUL becomes
 * `\0` and `'` is doubled (valid in both modes). Newlines stay raw: legal in MySQL literals.
 */
export function mysqlLiteral(value: string): string {
  let escaped = '';
  for (const c of value) escaped += ESCAPES[c] ?? c;
  return `'${escaped}'`;
}

/** The {@link BookkeepingSql} of MySQL and MariaDB. */
export const mysqlVersionStore: BookkeepingSql = bookkeepingSqlTemplate({
  quoteIdentifier: (name) => quoteIdentifierWith('`', name),
  literal: mysqlLiteral,
  types: {
    id: 'BIGINT AUTO_INCREMENT PRIMARY KEY',
    text: 'TEXT',
    longText: 'LONGTEXT',
    errorText: 'MEDIUMTEXT',
    integer: 'INT',
    bigint: 'BIGINT',
    timestamp: 'DATETIME(3)',
  },
  tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  now: 'UTC_TIMESTAMP(3)',
  durationSinceStart: 'TIMESTAMPDIFF(MICROSECOND, started_at, UTC_TIMESTAMP(3)) DIV 1000',
  databaseUser: 'CURRENT_USER()',
  isoTimestamp: (column) => `CONCAT(LEFT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z')`,
  // Aliased: information_schema's own column names are upper case. Matched like tableExists does
  // (connection.ts): exactly, unless the server folds table names (lower_case_table_names <> 0).
  selectColumns: (table) =>
    `SELECT COLUMN_NAME AS column_name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()` +
    ` AND TABLE_NAME = ${mysqlLiteral(table)}` +
    ` AND (@@lower_case_table_names <> 0 OR BINARY TABLE_NAME = BINARY ${mysqlLiteral(table)})` +
    ` ORDER BY ORDINAL_POSITION`,
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
});
