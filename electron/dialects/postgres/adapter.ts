/** The PostgreSQL {@link DialectAdapter}: capabilities, splitter syntax, bookkeeping and connections. */
import type { DialectAdapter } from '../../engine/ports.ts';
import { terminateStatement } from '../script-statement.ts';
import { postgresVersionStore, postgresLiteral } from './version-store.ts';

/** PostgreSQL: transactional DDL and `$tag$` strings; psql reads dollar quotes itself. */
export const postgresAdapter: DialectAdapter = {
  dialect: 'postgres',
  capabilities: { supportsTransactionalDdl: true },
  syntax: {
    dollarQuotes: true,
    delimiterDirective: false,
    beginEndBlocks: false,
    backslashEscapes: false,
    backtickIdentifiers: false,
  },
  bookkeeping: postgresVersionStore,
  renderScriptStatement: (sql) => terminateStatement(sql, ';'),
  // psql stops at the first error only when told to; the script file is UTF-8 whatever the locale.
  tableSizesSql: (tables) =>
    // reltuples is -1 for a table never analyzed (PostgreSQL 14+): no estimate, not zero rows.
    `SELECT c.relname AS table_name, CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END AS row_estimate,` +
    ` pg_total_relation_size(c.oid) AS total_bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace` +
    ` WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()` +
    ` AND lower(c.relname) IN (${tables.map(postgresLiteral).join(', ')})`,
  serverVersionSql: 'SELECT version() AS version',
  script: {
    prelude: ['\\set ON_ERROR_STOP on', "SET client_encoding = 'UTF8';"],
    runWith: 'psql -v ON_ERROR_STOP=1 -d DATABASE -f this.sql',
  },
  // The driver loads on first use: every command imports the registry, and most talk to one
  // dialect or none (loading all three drivers cost ~80 ms per command; bench/).
  open: async (target) => (await import('./connection.ts')).openPostgresConnection(target),
  createScratch: async (target) => (await import('./scratch.ts')).createPostgresScratch(target),
};
