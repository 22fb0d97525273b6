/**
 * SQLite connections through better-sqlite3. The driver is synchronous; the session wraps it in the
 * async {@link DatabaseSession} interface (the worker process keeps it off the main thread).
 *
 * Decisions:
 * - `execute` runs its text with `db.exec`, not `prepare(sql).run()`. The statement splitter hands it
 *   one statement at a time; `exec` runs the text as the sqlite3 shell runs an offline script. The
 *   reason is speed at scale: better-sqlite3 keeps every prepared statement alive until garbage
 *   collection, and SQLite walks all live statements of a connection on every schema change, so a
 *   long run of DDL through `prepare` turned quadratic (500 revisions: 45% slower; bench/).
 *   `query` caches its prepared statements by text, since the same bookkeeping queries repeat.
 * - Stratum does not choose `foreign_keys` for the user; it keeps SQLite's documented connection
 *   defaults, which the sqlite3 shell running a `stratum sql` script also has. better-sqlite3 is
 *   compiled with `SQLITE_DEFAULT_FOREIGN_KEYS=1` and `SQLITE_DEFAULT_RECURSIVE_TRIGGERS=1`, so both
 *   are set back to OFF at open: otherwise an online run would enforce foreign keys (and cascade
 *   deletes during the usual create-copy-drop-rename table rebuild) while the same script in
 *   sqlite3 would not. A migration that wants them says `PRAGMA foreign_keys = ON` itself.
 * - `busy_timeout` is 5 s by default so a concurrent writer waits rather than failing at once.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { EngineError } from '../../engine/engine-error.ts';
import { DatabaseError } from '../../engine/ports.ts';
import type { ConnectionTarget, DatabaseConnection, DatabaseSession } from '../../engine/ports.ts';
import { SqliteLocker } from './lock.ts';

/** Default `PRAGMA busy_timeout`, in milliseconds. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** How many distinct query texts a session keeps prepared. */
const STATEMENT_CACHE_SIZE = 64;

/** The in-memory database path. */
export const SQLITE_MEMORY = ':memory:';

/** Options for {@link openSqliteConnection}. */
export interface SqliteConnectionOptions {
  /** How long a statement waits for another connection's write lock (`PRAGMA busy_timeout`). */
  readonly busyTimeoutMs?: number;
}

/**
 * The file a `sqlite:` URL names, resolved against `baseDir`: `sqlite:./dev.db`, `sqlite:dev.db`,
 * `sqlite:/abs/path.db`, `sqlite::memory:`, and the `sqlite://` forms of the same
 * (`sqlite:///abs/path.db`, `sqlite://./dev.db`). The path is taken literally (no percent-decoding).
 * Throws `URL_INVALID` for anything else.
 */
export function resolveSqlitePath(url: string, baseDir: string): string {
  const match = /^sqlite:(?:\/\/)?(.*)$/i.exec(url.trim());
  const path = match?.[1] ?? '';
  if (match === null || path === '') {
    const reason = match === null ? 'A SQLite URL starts with "sqlite:".' : 'The URL names no database file.';
    throw new EngineError('URL_INVALID', `Invalid SQLite URL "${url}": ${reason} Example: sqlite:./dev.db`, {
      url,
      reason,
    });
  }
  if (path === SQLITE_MEMORY) return SQLITE_MEMORY;
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Wraps a driver error, keeping `SQLITE_*` codes. `SQLITE_BUSY` means another connection kept the
 * file locked for the whole busy timeout (`busyTimeoutMs`): the error says so and carries
 * `lockWaitedMs`, which the engine reports as `LOCKED`.
 */
export function toDatabaseError(error: unknown, busyTimeoutMs = 0): DatabaseError {
  if (error instanceof DatabaseError) return error;
  if (error instanceof Database.SqliteError) {
    if (error.code.startsWith('SQLITE_BUSY')) {
      const message = `${error.message}: the file stayed locked by another connection for ${(busyTimeoutMs / 1000).toFixed(1)} s`;
      return new DatabaseError(message, error.code, { cause: error, lockWaitedMs: busyTimeoutMs });
    }
    return new DatabaseError(error.message, error.code, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DatabaseError(message, null, { cause: error });
}

function unavailable(database: string, reason: string, cause?: unknown): EngineError<'DATABASE_UNAVAILABLE'> {
  return new EngineError(
    'DATABASE_UNAVAILABLE',
    `Cannot open the SQLite database ${database}: ${reason}`,
    { database, reason },
    { cause },
  );
}

/**
 * Opens the file, retrying read-only when the OS refuses write access (read-only commands).
 *
 * The check that the file is a database does not wait for locks: when another connection holds the
 * file (another Stratum run in a long transaction, or another program), the handle is returned
 * unchecked, so a run goes on to wait for the migration lock (bounded by `--lock-timeout`) instead of
 * failing here; a statement that still finds the file locked fails with `SQLITE_BUSY` after
 * `busyTimeoutMs`.
 */
function openDatabase(path: string, create: boolean, busyTimeoutMs: number): Database.Database {
  const open = (readonly: boolean): Database.Database => {
    const db = new Database(path, { fileMustExist: !create, readonly, timeout: 0 });
    try {
      db.pragma('foreign_keys = OFF');
      db.pragma('recursive_triggers = OFF');
      try {
        // Opening is lazy; reading the schema makes a non-database file fail here (SQLITE_NOTADB).
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      } catch (error) {
        if (!(error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY'))) throw error;
      }
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  try {
    return open(false);
  } catch (error) {
    const code = error instanceof Database.SqliteError ? error.code : '';
    if (create || path === SQLITE_MEMORY || !/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code)) throw error;
    return open(true);
  }
}

/**
 * Opens a SQLite database named by a `sqlite:` URL, with a session and a per-file {@link SqliteLocker}.
 *
 * @throws EngineError `URL_INVALID` for a malformed URL; `DATABASE_UNAVAILABLE` when the file is
 *   missing and `target.create` is false, is a directory, is not a database, or cannot be opened.
 */
export async function openSqliteConnection(
  target: ConnectionTarget,
  options: SqliteConnectionOptions = {},
): Promise<DatabaseConnection> {
  const path = resolveSqlitePath(target.url, target.baseDir);
  if (path !== SQLITE_MEMORY) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined && !target.create && target.emptyIfMissing === true) {
      // Read-only commands on a database nobody has created yet: an empty in-memory stand-in,
      // so nothing is written and the file is not created.
      const empty = openDatabase(SQLITE_MEMORY, true, DEFAULT_BUSY_TIMEOUT_MS);
      const session = new SqliteSession(empty, `${path} (not created yet)`);
      return { session, locker: new SqliteLocker(SQLITE_MEMORY), missing: true };
    }
    if (stat === undefined && !target.create) {
      throw unavailable(
        path,
        `the file does not exist. \`stratum upgrade\` (or \`stratum stamp\`) creates it; ` +
          `otherwise check the URL (${target.url}), which is relative to the project folder.`,
      );
    }
    if (stat?.isDirectory() === true) {
      throw unavailable(path, 'it is a directory, not a SQLite database file.');
    }
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Database.Database;
  try {
    db = openDatabase(path, target.create, busyTimeoutMs);
  } catch (error) {
    const code = error instanceof Database.SqliteError ? ` (${error.code})` : '';
    const text = error instanceof Error ? error.message : String(error);
    throw unavailable(path, `${text}${code}.`, error);
  }
  return { session: new SqliteSession(db, path, busyTimeoutMs), locker: new SqliteLocker(path) };
}

/** A {@link DatabaseSession} over one better-sqlite3 connection. */
export class SqliteSession implements DatabaseSession {
  readonly dialect = 'sqlite' as const;
  readonly description: string;
  readonly #db: Database.Database;
  readonly #busyTimeoutMs: number;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, description: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS) {
    this.#db = db;
    this.description = description;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * Runs one statement (see the module comment); throws {@link DatabaseError}. better-sqlite3 is
   * synchronous, so afterwards it yields one turn of the event loop: a Cancel that arrived over
   * HTTP or a MessagePort while the statement ran is handled before the next statement starts.
   */
  async execute(sql: string): Promise<void> {
    try {
      this.#db.exec(sql);
    } catch (error) {
      throw toDatabaseError(error, this.#busyTimeoutMs);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const statement = this.#prepare(sql);
    if (statement === null) return [];
    try {
      if (!statement.reader) {
        statement.run();
        return [];
      }
      return statement.all() as Record<string, unknown>[];
    } catch (error) {
      throw toDatabaseError(error, this.#busyTimeoutMs);
    }
  }

  async tableExists(table: string): Promise<boolean> {
    try {
      const row = this.#db
        .prepare(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`)
        .get(table);
      return row !== undefined;
    } catch (error) {
      throw toDatabaseError(error, this.#busyTimeoutMs);
    }
  }

  /** SQLite has no users. */
  async databaseUser(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** Prepares one statement; null for a text with no statement (only comments or blanks). */
  #prepare(sql: string): Database.Statement | null {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) return cached;
    try {
      const statement = this.#db.prepare(sql);
      // Only a handful of distinct queries repeat (version rows, journal); bound the cache anyway.
      if (this.#statements.size < STATEMENT_CACHE_SIZE) this.#statements.set(sql, statement);
      return statement;
    } catch (error) {
      if (error instanceof RangeError && /contains no statements/.test(error.message)) return null;
      throw toDatabaseError(error, this.#busyTimeoutMs);
    }
  }
}
