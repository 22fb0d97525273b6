/** The PostgreSQL {@link DialectAdapter}: capabilities, splitter syntax, bookkeeping and connections. */
import type { DialectAdapter } from '../../engine/ports.ts';
import { terminateStatement } from '../script-statement.ts';
import { openPostgresConnection } from './connection.ts';
import { postgresVersionStore } from './version-store.ts';

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
  script: {
    prelude: ['\\set ON_ERROR_STOP on', "SET client_encoding = 'UTF8';"],
    runWith: 'psql -v ON_ERROR_STOP=1 -d DATABASE -f this.sql',
  },
  open: (target) => openPostgresConnection(target),
};
