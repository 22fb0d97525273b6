/**
 * The seams between the pure engine and the outside world (STYLE.md §A). The engine never does I/O
 * itself: files come through a {@link MigrationSource}, databases through a {@link DialectAdapter},
 * and hashing, clocks and ids are injected.
 */
import type { Dialect } from '../../shared/model/dialect.ts';
import type { Direction } from '../../shared/model/revision-node.ts';
import type { JournalStatus } from '../../shared/model/journal-entry.ts';
import type { LockHolder } from '../../shared/model/run-event.ts';
import type { CancelSignal } from '../../shared/model/cancel-signal.ts';
import type { SplitterSyntax } from './revision/revision.ts';

/** Computes SHA-256 digests (node:crypto in production). */
export interface Hasher {
  sha256Hex(text: string): string;
}

/** The current time; injected so tests and journals are deterministic. */
export interface Clock {
  now(): Date;
}

/** Makes unique ids for runs and journal steps. */
export interface IdSource {
  newId(): string;
}

/** A file of the migrations folder, path relative to the project root with `/` separators. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Reads and writes revision files (file system in production, memory in tests). */
export interface MigrationSource {
  /** Every `.sql` file of the migrations folder, sorted by path. */
  list(): Promise<SourceFile[]>;
  /** Writes a new file; throws `FILE_EXISTS` rather than overwrite. */
  create(path: string, text: string): Promise<void>;
}

/** Who is running: recorded in every journal row and in lock-holder information. */
export interface RunIdentity {
  readonly osUser: string | null;
  readonly host: string | null;
  readonly pid: number | null;
  readonly toolVersion: string;
}

/**
 * The version table's one column: `revision` in Stratum's own table, `version_num` in an
 * Alembic-shaped one (`alembic_version`), which Stratum reads and writes the way Alembic does.
 */
export type VersionColumn = 'revision' | 'version_num';

/** The version column when {@link BookkeepingTables.versionColumn} is absent. */
export const DEFAULT_VERSION_COLUMN: VersionColumn = 'revision';

/** Names of the two tables Stratum keeps in a database (DESIGN.md §4). */
export interface BookkeepingTables {
  readonly version: string;
  readonly journal: string;
  /**
   * The version table's column. With `version_num` the table has Alembic's shape and one-for-one
   * head changes are written as an `UPDATE`, as Alembic writes them. Absent: the run engine and
   * `readVersionRows` find it from the database (engine/run/version-reader.ts
   * `resolveVersionColumn`), and SQL rendered without it uses {@link DEFAULT_VERSION_COLUMN}.
   */
  readonly versionColumn?: VersionColumn;
}

/** The first write of a journal row, when a step starts. */
export interface JournalStart {
  readonly stepId: string;
  readonly runId: string;
  /** Revision id, or `base` for a stamp to base. */
  readonly revision: string;
  readonly direction: Direction;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  readonly checksum: string | null;
  readonly appliedText: string | null;
  readonly statementsTotal: number;
  readonly osUser: string | null;
  readonly host: string | null;
  readonly toolVersion: string;
}

/**
 * The SQL of Stratum's own bookkeeping in one dialect. Every method returns complete statements
 * with values inlined as literals, so the online runner and the offline script (`stratum sql`)
 * run the very same text.
 */
export interface BookkeepingSql {
  /**
   * `CREATE TABLE IF NOT EXISTS` for both tables; with `versionColumn: 'version_num'` the version
   * table has Alembic's exact shape (`version_num VARCHAR(32) NOT NULL`, constraint `<table>_pkc`).
   */
  createTables(tables: BookkeepingTables): string[];
  /**
   * A query returning one row per applied head, with a column named `revision` (whatever the
   * version table's column is called).
   */
  selectHeads(tables: BookkeepingTables): string;
  /** A query returning journal rows (columns named like the table), oldest first. */
  selectJournal(tables: BookkeepingTables): string;
  /**
   * A query returning the names of `table`'s columns, one row each in a column named
   * `column_name`; no rows when the table does not exist. Used to tell an Alembic-shaped version
   * table (`version_num`) from Stratum's own (`revision`). Optional so that adapters without it
   * (test fakes) still fit: without it the column follows the table's name (`version_num` for
   * `alembic_version`).
   */
  selectColumns?(table: string): string;
  /**
   * Statements moving the version table from one set of heads to another: DELETE/INSERT, or for
   * an Alembic-shaped table (`version_num`) one UPDATE when exactly one head replaces one other.
   */
  versionTransition(tables: BookkeepingTables, from: readonly string[], to: readonly string[]): string[];
  journalStart(tables: BookkeepingTables, row: JournalStart, status: JournalStatus): string;
  journalProgress(tables: BookkeepingTables, stepId: string, statementsDone: number): string;
  journalFinish(
    tables: BookkeepingTables,
    stepId: string,
    status: JournalStatus,
    statementsDone: number,
    error: string | null,
  ): string;
  beginTransaction(): string;
  commitTransaction(): string;
  rollbackTransaction(): string;
}

/** What a dialect can do. Flags are positive (STYLE.md §C.5). */
export interface DialectCapabilities {
  /** Schema changes roll back with their transaction (PostgreSQL, SQLite; not MySQL). */
  readonly supportsTransactionalDdl: boolean;
}

/** An error raised by a database driver, keeping its native code (SQLSTATE, errno, SQLITE_*). */
export class DatabaseError extends Error {
  readonly nativeCode: string | null;
  /**
   * Set when the statement gave up because another connection or program kept the database locked
   * (SQLite `SQLITE_BUSY` after the busy timeout, PostgreSQL `lock_timeout`, MySQL lock wait
   * timeouts): how long the driver waited, in milliseconds.
   * The engine reports it as `LOCKED` (exit 7) rather than as a failure of the database itself.
   */
  readonly lockWaitedMs: number | null;

  constructor(
    message: string,
    nativeCode: string | null,
    options?: { cause?: unknown; lockWaitedMs?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatabaseError';
    this.nativeCode = nativeCode;
    this.lockWaitedMs = options?.lockWaitedMs ?? null;
  }
}

/** One open connection to a database, used by one run at a time. */
export interface DatabaseSession {
  readonly dialect: Dialect;
  /** A human name for messages: a file path or a URL without its password. */
  readonly description: string;
  /** Executes one statement; throws {@link DatabaseError}. */
  execute(sql: string): Promise<void>;
  /** Runs a query and returns its rows; throws {@link DatabaseError}. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Whether `table` exists in the current database/schema. */
  tableExists(table: string): Promise<boolean>;
  /** The database user the session runs as, when the dialect has users. */
  databaseUser(): Promise<string | null>;
  close(): Promise<void>;
}

/** Options for taking the migration lock. */
export interface LockOptions {
  readonly timeoutMs: number;
  readonly owner: RunIdentity & { readonly runId: string };
  readonly signal?: CancelSignal;
  /** Called while waiting, with what is known of the holder. */
  readonly onWait?: (holder: LockHolder | null, waitedMs: number) => void;
}

/** A held migration lock. */
export interface Lock {
  release(): Promise<void>;
}

/** Takes the one-run-per-database lock; throws `LOCKED` (with the holder) after the timeout. */
export interface Locker {
  acquire(options: LockOptions): Promise<Lock>;
}

/** Where a connection points: a SQLite file or a server URL. */
export interface ConnectionTarget {
  readonly url: string;
  /** Project root, for resolving relative SQLite paths. */
  readonly baseDir: string;
  /** Whether a missing SQLite file may be created (false for read-only commands). */
  readonly create: boolean;
  /**
   * With `create: false`: open a database that does not exist yet as an empty, read-only stand-in
   * (so `status` says everything is pending and a dry run plans from base) instead of failing.
   */
  readonly emptyIfMissing?: boolean;
  /**
   * The process environment (injected so tests control it): where server dialects find option
   * files and password files (`HOME`, `MYSQL_HOME`, …). Absent: the real process environment.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The project's version table. Server dialects name their migration lock after the database and
   * this table, so two projects sharing one database each keep their own lock. Absent:
   * `stratum_version`.
   */
  readonly versionTable?: string;
  /**
   * How long a statement of the migration session may wait for a lock another session holds on a
   * table or row (`--lock-timeout`), in milliseconds. Server dialects set it on the session
   * (PostgreSQL `lock_timeout`, MySQL `lock_wait_timeout` and `innodb_lock_wait_timeout`) so a
   * migration blocked by an application's open transaction fails with `LOCKED` instead of waiting
   * forever; never on the connection that holds the migration lock. Absent: the server's defaults.
   */
  readonly lockTimeoutMs?: number;
}

/** An open database: a session for statements and a locker for runs. */
export interface DatabaseConnection {
  readonly session: DatabaseSession;
  readonly locker: Locker;
  /** True when the database does not exist and an empty stand-in was opened (`emptyIfMissing`). */
  readonly missing?: boolean;
}

/** A throwaway database for a rehearsal (`stratum rehearse`), dropped afterwards. */
export interface ScratchDatabase {
  /** Its URL (with the original's credentials). */
  readonly url: string;
  /**
   * True when the scratch already holds the original's schema and data (a SQLite file copy);
   * false for an empty database the caller brings to the original's heads by replaying revisions.
   */
  readonly copied: boolean;
  /** Deletes it; safe to call after a failure. */
  drop(): Promise<void>;
}

/** The dialect's command-line client, as offline scripts address it. */
export interface ScriptClient {
  /** Lines at the top of a script: stop at the first error, UTF-8 on the connection. */
  readonly prelude: readonly string[];
  /** The command a DBA runs the script with, for the header comment. */
  readonly runWith: string;
}

/** Everything the engine needs to know about one dialect (STYLE.md §A, Kysely `DialectAdapter`). */
export interface DialectAdapter {
  readonly dialect: Dialect;
  readonly capabilities: DialectCapabilities;
  readonly syntax: SplitterSyntax;
  readonly bookkeeping: BookkeepingSql;
  /**
   * Wraps one statement for a script run by the dialect's own client: adds the terminator, and
   * for MySQL a `DELIMITER` block around statements that contain semicolons.
   */
  renderScriptStatement(sql: string): string;
  /** How a script for the dialect's own command-line client starts and is run (`stratum sql`). */
  readonly script: ScriptClient;
  /** A query returning the server's version in a `version` column (connection tests in the app). */
  readonly serverVersionSql: string;
  /**
   * A query sizing the named tables of the current database/schema (the dry run): one row per
   * table that exists, with `table_name`, `row_estimate` (the statistics' estimate; null when the
   * dialect keeps none) and `total_bytes` (data and indexes).
   */
  tableSizesSql(tables: readonly string[]): string;
  /** Opens a connection; absent for dialects that only render offline SQL in this build. */
  readonly open?: (target: ConnectionTarget) => Promise<DatabaseConnection>;
  /**
   * Creates a scratch database beside `target` for a rehearsal: a copy of the SQLite file (backup
   * API), or an empty database on the same server (the shadow-database approach).
   */
  readonly createScratch?: (target: ConnectionTarget) => Promise<ScratchDatabase>;
}
