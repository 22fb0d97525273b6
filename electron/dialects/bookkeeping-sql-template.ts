/**
 * The dialect-independent shape of Stratum's bookkeeping SQL (DESIGN.md §4). Each dialect's
 * `version-store.ts` fills in a {@link BookkeepingDialect}: quoting, literals, column types and the
 * clock/user expressions; this file turns it into the statements. One template instead of three
 * copies keeps the three dialects' tables column-for-column identical (the shared-helper pattern of
 * Atlas `sql/internal/sqlx` and Kysely's `DialectAdapterBase`). It imports no dialect and no driver,
 * so the "never another dialect" rule (STYLE.md §B) still holds.
 */
import {
  DEFAULT_VERSION_COLUMN,
  type BookkeepingSql,
  type BookkeepingTables,
  type JournalStart,
  type VersionColumn,
} from '../engine/ports.ts';
import type { JournalStatus } from '../../shared/model/journal-entry.ts';

/** Column types of the journal table in one dialect. */
export interface BookkeepingColumnTypes {
  /** Autoincrement integer primary key, including `PRIMARY KEY`. */
  readonly id: string;
  /** Space-separated head lists. */
  readonly text: string;
  /** The applied revision text (MySQL needs more than `TEXT`'s 64 KiB). */
  readonly longText: string;
  /** Error messages. */
  readonly errorText: string;
  readonly integer: string;
  readonly bigint: string;
  readonly timestamp: string;
}

/** What differs between dialects in the bookkeeping SQL. */
export interface BookkeepingDialect {
  /** Quotes one identifier (`"x"` or `` `x` ``). */
  quoteIdentifier(name: string): string;
  /** Renders a string as a literal that is safe both online and in the dialect's client. */
  literal(value: string): string;
  readonly types: BookkeepingColumnTypes;
  /** Appended after `CREATE TABLE (…)`, with its leading space (MySQL engine and charset). */
  readonly tableOptions: string;
  /** The database's current UTC time, as stored in `started_at` / `finished_at`. */
  readonly now: string;
  /** Whole milliseconds between `started_at` of the row being updated and now. */
  readonly durationSinceStart: string;
  /** The database user of the session, or `NULL`. */
  readonly databaseUser: string;
  /** Reads a timestamp column as ISO-8601 UTC text with milliseconds (`…T…Z`), NULL stays NULL. */
  isoTimestamp(column: string): string;
  /**
   * A query listing `table`'s columns in the current database/schema, one row each in a column
   * named `column_name` (see {@link BookkeepingSql.selectColumns}).
   */
  selectColumns(table: string): string;
  readonly begin: string;
  readonly commit: string;
  readonly rollback: string;
}

/** Journal columns in table order; `selectJournal` returns them under these names. */
const JOURNAL_COLUMNS = [
  'id',
  'step_id',
  'run_id',
  'revision',
  'direction',
  'from_heads',
  'to_heads',
  'checksum',
  'applied_text',
  'status',
  'statements_done',
  'statements_total',
  'started_at',
  'finished_at',
  'duration_ms',
  'db_user',
  'os_user',
  'host',
  'tool_version',
  'error',
] as const;

/** The version table's column, defaulted. */
function versionColumnOf(tables: BookkeepingTables): VersionColumn {
  return tables.versionColumn ?? DEFAULT_VERSION_COLUMN;
}

/** Sorted, de-duplicated elements of `a` that are not in `b`. */
function difference(a: readonly string[], b: readonly string[]): string[] {
  const exclude = new Set(b);
  return [...new Set(a)].filter((x) => !exclude.has(x)).sort();
}

/** A non-negative safe integer as SQL text; anything else is a programming error. */
function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Expected a non-negative integer for bookkeeping SQL, got ${value}.`);
  }
  return String(value);
}

/**
 * Builds the {@link BookkeepingSql} of one dialect from its {@link BookkeepingDialect}. Every value
 * is inlined as a literal so the online runner and `stratum sql` scripts run identical text.
 */
export function bookkeepingSqlTemplate(d: BookkeepingDialect): BookkeepingSql {
  const nullable = (value: string | null): string => (value === null ? 'NULL' : d.literal(value));
  const t = d.types;
  return {
    createTables(tables: BookkeepingTables): string[] {
      return [
        versionColumnOf(tables) === 'version_num'
          ? // Alembic's own DDL (alembic.runtime.migration, `_version` table), so Alembic keeps
            // working on the table: VARCHAR(32) NOT NULL, primary key named `<table>_pkc`.
            `CREATE TABLE IF NOT EXISTS ${d.quoteIdentifier(tables.version)} (\n` +
            `  version_num VARCHAR(32) NOT NULL,\n` +
            `  CONSTRAINT ${d.quoteIdentifier(`${tables.version}_pkc`)} PRIMARY KEY (version_num)\n` +
            `)${d.tableOptions}`
          : `CREATE TABLE IF NOT EXISTS ${d.quoteIdentifier(tables.version)} (\n` +
            `  revision varchar(32) NOT NULL PRIMARY KEY\n` +
            `)${d.tableOptions}`,
        `CREATE TABLE IF NOT EXISTS ${d.quoteIdentifier(tables.journal)} (\n` +
          [
            `id ${t.id}`,
            `step_id varchar(64) NOT NULL UNIQUE`,
            `run_id varchar(64) NOT NULL`,
            `revision varchar(32) NOT NULL`,
            `direction varchar(8) NOT NULL`,
            `from_heads ${t.text} NOT NULL`,
            `to_heads ${t.text} NOT NULL`,
            `checksum varchar(64) NULL`,
            `applied_text ${t.longText} NULL`,
            `status varchar(16) NOT NULL`,
            `statements_done ${t.integer} NOT NULL`,
            `statements_total ${t.integer} NOT NULL`,
            `started_at ${t.timestamp} NOT NULL`,
            `finished_at ${t.timestamp} NULL`,
            `duration_ms ${t.bigint} NULL`,
            `db_user varchar(255) NULL`,
            `os_user varchar(255) NULL`,
            `host varchar(255) NULL`,
            `tool_version varchar(255) NULL`,
            `error ${t.errorText} NULL`,
          ]
            .map((column) => `  ${column}`)
            .join(',\n') +
          `\n)${d.tableOptions}`,
      ];
    },

    selectHeads(tables: BookkeepingTables): string {
      const column = versionColumnOf(tables);
      const select = column === 'revision' ? column : `${column} AS revision`;
      return `SELECT ${select} FROM ${d.quoteIdentifier(tables.version)} ORDER BY ${column}`;
    },

    selectJournal(tables: BookkeepingTables): string {
      const columns = JOURNAL_COLUMNS.map((c) =>
        c === 'started_at' || c === 'finished_at' ? `${d.isoTimestamp(c)} AS ${c}` : c,
      );
      return `SELECT ${columns.join(', ')} FROM ${d.quoteIdentifier(tables.journal)} ORDER BY id`;
    },

    selectColumns: (table: string): string => d.selectColumns(table),

    versionTransition(tables: BookkeepingTables, from: readonly string[], to: readonly string[]): string[] {
      const table = d.quoteIdentifier(tables.version);
      const column = versionColumnOf(tables);
      const removed = difference(from, to);
      const added = difference(to, from);
      // Alembic updates the row in place when one head replaces another (HeadMaintainer
      // `_update_version`); do the same on its table so both tools write it alike.
      if (column === 'version_num' && removed.length === 1 && added.length === 1) {
        return [
          `UPDATE ${table} SET ${column} = ${d.literal(added[0]!)} WHERE ${column} = ${d.literal(removed[0]!)}`,
        ];
      }
      const statements: string[] = [];
      if (removed.length > 0) {
        statements.push(`DELETE FROM ${table} WHERE ${column} IN (${removed.map(d.literal).join(', ')})`);
      }
      if (added.length > 0) {
        const rows = added.map((r) => `(${d.literal(r)})`).join(', ');
        statements.push(`INSERT INTO ${table} (${column}) VALUES ${rows}`);
      }
      return statements;
    },

    journalStart(tables: BookkeepingTables, row: JournalStart, status: JournalStatus): string {
      const values: Record<string, string> = {
        step_id: d.literal(row.stepId),
        run_id: d.literal(row.runId),
        revision: d.literal(row.revision),
        direction: d.literal(row.direction),
        from_heads: d.literal(row.fromHeads.join(' ')),
        to_heads: d.literal(row.toHeads.join(' ')),
        checksum: nullable(row.checksum),
        applied_text: nullable(row.appliedText),
        status: d.literal(status),
        statements_done: '0',
        statements_total: integerLiteral(row.statementsTotal),
        started_at: d.now,
        db_user: d.databaseUser,
        os_user: nullable(row.osUser),
        host: nullable(row.host),
        tool_version: d.literal(row.toolVersion),
      };
      return (
        `INSERT INTO ${d.quoteIdentifier(tables.journal)} (${Object.keys(values).join(', ')})\n` +
        `VALUES (${Object.values(values).join(', ')})`
      );
    },

    journalProgress(tables: BookkeepingTables, stepId: string, statementsDone: number): string {
      return (
        `UPDATE ${d.quoteIdentifier(tables.journal)} SET statements_done = ${integerLiteral(statementsDone)}` +
        ` WHERE step_id = ${d.literal(stepId)}`
      );
    },

    journalFinish(
      tables: BookkeepingTables,
      stepId: string,
      status: JournalStatus,
      statementsDone: number,
      error: string | null,
    ): string {
      // duration_ms reads started_at, which this statement does not change, so the order of the
      // assignments does not matter (MySQL evaluates single-table SET left to right).
      return (
        `UPDATE ${d.quoteIdentifier(tables.journal)} SET status = ${d.literal(status)},` +
        ` statements_done = ${integerLiteral(statementsDone)}, error = ${nullable(error)},` +
        ` finished_at = ${d.now}, duration_ms = ${d.durationSinceStart}` +
        ` WHERE step_id = ${d.literal(stepId)}`
      );
    },

    beginTransaction: () => d.begin,
    commitTransaction: () => d.commit,
    rollbackTransaction: () => d.rollback,
  };
}

/** Quotes an identifier with `quote`, doubling embedded quotes; NUL cannot appear in any dialect. */
export function quoteIdentifierWith(quote: string, name: string): string {
  if (name.length === 0 || name.includes('\0')) {
    throw new RangeError(`Invalid table name ${JSON.stringify(name)}.`);
  }
  return quote + name.replaceAll(quote, quote + quote) + quote;
}
