/** The MySQL/MariaDB {@link DialectAdapter}: capabilities, splitter syntax, bookkeeping and connections. */
import type { DialectAdapter } from '../../engine/ports.ts';
import { terminateStatement } from '../script-statement.ts';
import { mysqlVersionStore, mysqlLiteral } from './version-store.ts';

/** Delimiters tried in order for a statement with inner semicolons; the first absent from it wins. */
const DELIMITERS = ['$$', '//', ';;', '$$$$', '@@@'] as const;

/**
 * Renders one statement for the mysql/mariadb client. A statement with a `;` inside (a trigger or
 * procedure body) is wrapped in `DELIMITER` directives so the client sends it whole.
 */
export function renderMysqlScriptStatement(sql: string): string {
  if (!sql.includes(';')) return terminateStatement(sql, ';');
  const delimiter = DELIMITERS.find((d) => !sql.includes(d)) ?? '$$$$$$$$';
  return `DELIMITER ${delimiter}\n${terminateStatement(sql, delimiter)}\nDELIMITER ;`;
}

/**
 * MySQL/MariaDB: DDL commits implicitly (no transactional DDL), `DELIMITER` directives, `BEGIN …
 * END` bodies, backslash escapes in strings and backtick identifiers.
 */
export const mysqlAdapter: DialectAdapter = {
  dialect: 'mysql',
  capabilities: { supportsTransactionalDdl: false },
  syntax: {
    dollarQuotes: false,
    delimiterDirective: true,
    beginEndBlocks: true,
    backslashEscapes: true,
    backtickIdentifiers: true,
  },
  bookkeeping: mysqlVersionStore,
  renderScriptStatement: renderMysqlScriptStatement,
  // The client stops at the first error by default; its default charset (utf8mb3 under a C locale)
  // would reject 4-byte characters such as emoji, as mysqldump's SET NAMES avoids.
  tableSizesSql: (tables) =>
    'SELECT TABLE_NAME AS table_name, TABLE_ROWS AS row_estimate, DATA_LENGTH + INDEX_LENGTH AS total_bytes' +
    ` FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND lower(TABLE_NAME) IN (${tables.map(mysqlLiteral).join(', ')})`,
  serverVersionSql: "SELECT CONCAT(@@version_comment, ' ', VERSION()) AS version",
  script: {
    prelude: ['SET NAMES utf8mb4;'],
    runWith: 'mariadb DATABASE < this.sql   (or: mysql DATABASE < this.sql)',
  },
  // The driver loads on first use: every command imports the registry, and most talk to one
  // dialect or none (loading all three drivers cost ~80 ms per command; bench/).
  open: async (target) => (await import('./connection.ts')).openMysqlConnection(target),
  createScratch: async (target) => (await import('./scratch.ts')).createMysqlScratch(target),
};
