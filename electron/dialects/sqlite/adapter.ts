/** The SQLite {@link DialectAdapter}: capabilities, splitter syntax, bookkeeping and connections. */
import type { DialectAdapter } from '../../engine/ports.ts';
import { terminateStatement } from '../script-statement.ts';
import { sqliteVersionStore, sqliteLiteral } from './version-store.ts';

/**
 * SQLite: transactional DDL, `CREATE TRIGGER … BEGIN … END` bodies and backtick identifiers. The
 * sqlite3 shell reads trigger bodies itself, so script statements only need their `;`.
 */
export const sqliteAdapter: DialectAdapter = {
  dialect: 'sqlite',
  capabilities: { supportsTransactionalDdl: true },
  syntax: {
    dollarQuotes: false,
    delimiterDirective: false,
    beginEndBlocks: true,
    backslashEscapes: false,
    backtickIdentifiers: true,
  },
  bookkeeping: sqliteVersionStore,
  renderScriptStatement: (sql) => terminateStatement(sql, ';'),
  // The sqlite3 shell stops at the first error only when told to.
  // Page counts from the dbstat table (the table's b-tree and its indexes); no row estimate without
  // a full scan.
  tableSizesSql: (tables) =>
    'SELECT s.tbl_name AS table_name, NULL AS row_estimate, SUM(d.pgsize) AS total_bytes' +
    ' FROM sqlite_schema s JOIN dbstat d ON d.name = s.name' +
    ` WHERE lower(s.tbl_name) IN (${tables.map(sqliteLiteral).join(', ')}) GROUP BY s.tbl_name`,
  serverVersionSql: "SELECT 'SQLite ' || sqlite_version() AS version",
  script: { prelude: ['.bail on'], runWith: 'sqlite3 DATABASE_FILE < this.sql' },
  // The driver loads on first use: every command imports the registry, and most talk to one
  // dialect or none (loading all three drivers cost ~80 ms per command; bench/).
  open: async (target) => (await import('./connection.ts')).openSqliteConnection(target),
  createScratch: async (target) => (await import('./scratch.ts')).createSqliteScratch(target),
};
