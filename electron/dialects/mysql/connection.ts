/**
 * MySQL/MariaDB connections through mysql2 (`mysql2/promise`).
 *
 * Decisions:
 * - Statements go through `connection.query` (the text protocol), never `execute`: prepared
 *   statements refuse many DDL statements (`CREATE TRIGGER`, `LOCK TABLES`, …), and the text
 *   protocol is what the mysql client uses for a `stratum sql` script, so both run the same way.
 *   `multipleStatements` stays off: the splitter hands over one statement at a time (trigger bodies
 *   whole; it already removed `DELIMITER` lines), and a stray `;` must fail rather than run twice.
 * - `utf8mb4` so any character, emoji included, round-trips; `dateStrings` so `DATETIME` comes back
 *   as the server's text, which the engine's version reader reads as UTC (no driver time zone guess).
 * - The bookkeeping SQL and the splitter assume backslash escapes in strings (MySQL's default). A
 *   server running with `NO_BACKSLASH_ESCAPES` gets it removed for Stratum's session only.
 * - A connection the server drops (KILL, restart, `wait_timeout`) must never crash the process:
 *   mysql2 emits `'error'` on the connection when no command is waiting, so the session always
 *   listens, remembers the error, and reports it as a {@link DatabaseError} on the current or next
 *   statement.
 * - The password is never part of a message: messages name the URL without it (`description`).
 */
import type { Connection } from 'mysql2/promise';
import { EngineError } from '../../engine/engine-error.ts';
import type { ConnectionTarget, DatabaseConnection, DatabaseSession } from '../../engine/ports.ts';
import { mysqlConnectionConfig } from './connection-config.ts';
import {
  connectMysql,
  driverError,
  lockWaitTimeoutSeconds,
  toMysqlDatabaseError,
} from './driver-connection.ts';
import { MysqlLocker } from './lock.ts';

/** Default version table, when the target does not name one (DESIGN.md §4). */
const DEFAULT_VERSION_TABLE = 'stratum_version';

/**
 * Opens a MySQL/MariaDB database named by a `mysql://` or `mariadb://` URL, with a session and a
 * {@link MysqlLocker} on a connection of its own.
 *
 * @throws EngineError `URL_INVALID` for a malformed URL; `DATABASE_UNAVAILABLE` when the server
 *   cannot be reached, refuses the user, lacks the database (unless `emptyIfMissing`) or lacks TLS
 *   the URL requires.
 */
export async function openMysqlConnection(target: ConnectionTarget): Promise<DatabaseConnection> {
  const config = mysqlConnectionConfig(target);
  const locker = new MysqlLocker(config, target.versionTable ?? DEFAULT_VERSION_TABLE);
  let opened: Awaited<ReturnType<typeof connectMysql>>;
  try {
    opened = await connectMysql(config);
  } catch (error) {
    const missing = error instanceof EngineError && driverError(error.cause).code === 'ER_BAD_DB_ERROR';
    if (!missing || target.create || target.emptyIfMissing !== true) throw error;
    // Read-only commands on a database nobody has created yet: a session without a current
    // database, where no table exists, so `status` says everything is pending.
    const empty = await connectMysql(config, { database: undefined });
    const session = new MysqlSession(empty.connection, `${config.description} (not created yet)`, empty.lost);
    return { session, locker, missing: true };
  }
  const session = new MysqlSession(opened.connection, config.description, opened.lost, target.lockTimeoutMs);
  try {
    await session.keepBackslashEscapes();
    await session.setLockWaitTimeout();
  } catch (error) {
    await session.close();
    throw error;
  }
  return { session, locker };
}

/** A {@link DatabaseSession} over one mysql2 connection. */
export class MysqlSession implements DatabaseSession {
  readonly dialect = 'mysql' as const;
  readonly description: string;
  /** The server's id of this connection (`CONNECTION_ID()`), what `KILL` and PROCESSLIST use. */
  readonly connectionId: number;
  readonly #connection: Connection;
  readonly #lost: () => Error | null;
  /** How long statements may wait for locks other sessions hold, for the timeout's message. */
  readonly #lockTimeoutMs: number | undefined;
  #closed = false;

  constructor(connection: Connection, description: string, lost: () => Error | null, lockTimeoutMs?: number) {
    this.#connection = connection;
    this.description = description;
    this.#lost = lost;
    this.connectionId = connection.threadId ?? 0;
    this.#lockTimeoutMs = lockTimeoutMs;
  }

  /** Runs one statement (trigger bodies included) with the text protocol; throws {@link DatabaseError}. */
  async execute(sql: string): Promise<void> {
    await this.#run(sql);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return this.#run(sql);
  }

  async tableExists(table: string): Promise<boolean> {
    // Table names are case-sensitive where the server keeps them so (lower_case_table_names = 0).
    const rows = await this.#run(
      'SELECT 1 AS found FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ' +
        'AND (@@lower_case_table_names <> 0 OR BINARY TABLE_NAME = BINARY ?)',
      [table, table],
    );
    return rows.length > 0;
  }

  /** `user@host` as the server authenticated it (`CURRENT_USER()`). */
  async databaseUser(): Promise<string | null> {
    const rows = await this.#run('SELECT CURRENT_USER() AS user');
    const user = rows[0]?.user;
    return typeof user === 'string' ? user : null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#lost() !== null) {
      this.#connection.destroy();
      return;
    }
    try {
      await this.#connection.end();
    } catch {
      this.#connection.destroy();
    }
  }

  /** Removes `NO_BACKSLASH_ESCAPES` from this session's `sql_mode` (see the module comment). */
  async keepBackslashEscapes(): Promise<void> {
    const rows = await this.#run('SELECT @@SESSION.sql_mode AS mode');
    const modes = String(rows[0]?.mode ?? '').split(',');
    if (!modes.includes('NO_BACKSLASH_ESCAPES')) return;
    const kept = modes.filter((m) => m !== 'NO_BACKSLASH_ESCAPES' && m !== '').join(',');
    await this.#run('SET SESSION sql_mode = ?', [kept]);
  }

  /**
   * Bounds this session's waits for metadata locks (`lock_wait_timeout`, default one year) and
   * InnoDB row locks (`innodb_lock_wait_timeout`) by the lock timeout: a statement waiting longer
   * fails with errno 1205, reported as `LOCKED`. Never set on the GET_LOCK connection (lock.ts).
   */
  async setLockWaitTimeout(): Promise<void> {
    if (this.#lockTimeoutMs === undefined) return;
    const seconds = lockWaitTimeoutSeconds(this.#lockTimeoutMs);
    await this.#run('SET SESSION lock_wait_timeout = ?, innodb_lock_wait_timeout = ?', [seconds, seconds]);
  }

  async #run(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
    const lost = this.#lost();
    if (lost !== null || this.#closed) {
      throw toMysqlDatabaseError(lost ?? connectionClosed(), this.description);
    }
    let result: unknown;
    try {
      [result] =
        values === undefined ? await this.#connection.query(sql) : await this.#connection.query(sql, values);
    } catch (error) {
      if (driverError(error).code === 'ER_EMPTY_QUERY') return []; // Only comments: nothing to run.
      throw toMysqlDatabaseError(error, this.description, this.#lockTimeoutMs);
    }
    if (!Array.isArray(result)) return []; // An OK packet (DDL, DML).
    // A CALL returns several result sets and an OK packet: the first result set is the answer.
    const rows: unknown[] = result.length > 0 && Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    return rows.map((row) => ({ ...(row as Record<string, unknown>) }));
  }
}

function connectionClosed(): Error {
  return Object.assign(new Error('the session was closed'), { fatal: true });
}
