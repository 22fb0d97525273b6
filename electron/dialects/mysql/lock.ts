/**
 * The MySQL/MariaDB migration lock: one run per database at a time (DESIGN.md §5).
 *
 * Decisions:
 * - A named user lock, `GET_LOCK('stratum:<database>:<version table>', 0)`, on a DEDICATED
 *   connection held for the whole run. The server releases it when that connection ends, so a run
 *   that dies never leaves a stale lock; and since the lock is not on the session that runs the
 *   migrations, nothing a migration does (DDL, `KILL QUERY`) can release it by accident. Lock names
 *   are server-wide, hence the database in the name; names longer than MySQL's 64-character limit
 *   become `stratum:` plus a SHA-256 prefix.
 * - `GET_LOCK` with timeout 0, polled every ~200 ms with an async sleep: a server-side wait could not
 *   be cancelled by `signal`, nor report `onWait`.
 * - The holder comes from the server: `IS_USED_LOCK` gives its connection id, PROCESSLIST its user,
 *   host and idle time (the lock connection runs nothing after `GET_LOCK`, so its idle time is how
 *   long it has held the lock), and `performance_schema.session_connect_attrs` (when enabled) the
 *   program name, pid and host name Stratum sends as connection attributes. Without it the pid is
 *   null and the connection id is in `detail`.
 * - The lock connection's `wait_timeout` is raised to the maximum so a long run's idle lock
 *   connection is not dropped (which would silently release the lock).
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mysql2/promise';
import { EngineError } from '../../engine/engine-error.ts';
import type { Lock, LockOptions, Locker } from '../../engine/ports.ts';
import type { LockHolder } from '../../../shared/model/run-event.ts';
import type { MysqlConnectionConfig } from './connection-config.ts';
import { connectMysql, toMysqlDatabaseError } from './driver-connection.ts';

/** How often a waiter retries, in milliseconds. */
export const LOCK_POLL_MS = 200;
/** How often `onWait` is called while waiting (and once at the start of the wait). */
export const LOCK_WAIT_REPORT_MS = 1000;
/** MySQL's limit on user lock names. */
export const MAX_LOCK_NAME_LENGTH = 64;
/** The largest `wait_timeout` MySQL accepts on every platform (a year, in seconds). */
const LOCK_CONNECTION_WAIT_TIMEOUT_S = 31_536_000;

/** Options of {@link MysqlLocker}, for tests. */
export interface MysqlLockerOptions {
  readonly pollMs?: number;
  readonly waitReportMs?: number;
}

/** The lock name of a database and version table: `stratum:<db>:<table>`, hashed past 64 characters. */
export function mysqlLockName(database: string, versionTable: string): string {
  const name = `stratum:${database}:${versionTable}`;
  if (name.length <= MAX_LOCK_NAME_LENGTH) return name;
  const digest = createHash('sha256').update(`${database}:${versionTable}`).digest('hex');
  return `stratum:${digest.slice(0, MAX_LOCK_NAME_LENGTH - 'stratum:'.length)}`;
}

function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'another connection (it could not be identified)';
  const parts = [
    holder.detail,
    holder.pid === null ? null : `pid ${holder.pid}`,
    holder.host === null ? null : `on ${holder.host}`,
    holder.since === null ? null : `since ${holder.since}`,
  ];
  return parts.filter((p) => p !== null && p !== undefined).join(' ');
}

/** Takes the one-run-per-database migration lock of a MySQL/MariaDB database. */
export class MysqlLocker implements Locker {
  readonly #config: MysqlConnectionConfig;
  readonly #name: string;
  readonly #pollMs: number;
  readonly #waitReportMs: number;

  constructor(config: MysqlConnectionConfig, versionTable: string, options: MysqlLockerOptions = {}) {
    this.#config = config;
    this.#name = mysqlLockName(config.database, versionTable);
    this.#pollMs = options.pollMs ?? LOCK_POLL_MS;
    this.#waitReportMs = options.waitReportMs ?? LOCK_WAIT_REPORT_MS;
  }

  /** The server-wide name of the lock. */
  get name(): string {
    return this.#name;
  }

  /**
   * Waits up to `timeoutMs` for the lock.
   *
   * @throws EngineError `LOCKED` {database, waitedMs, holder} after the timeout; `CANCELLED` when
   *   `signal` aborts the wait; `DATABASE_UNAVAILABLE` when the lock connection cannot be opened or
   *   fails.
   */
  async acquire(options: LockOptions): Promise<Lock> {
    const { connection, lost } = await connectMysql(this.#config, {
      connectAttributes: {
        ...this.#config.options.connectAttributes,
        stratum_run: options.owner.runId,
        ...(options.owner.host === null ? {} : { stratum_host: options.owner.host }),
      },
    });
    try {
      await connection.query('SET SESSION wait_timeout = ?', [LOCK_CONNECTION_WAIT_TIMEOUT_S]);
      await this.#wait(connection, options);
    } catch (error) {
      connection.destroy();
      if (error instanceof EngineError) throw error;
      throw this.#unavailable(error);
    }
    return new HeldMysqlLock(connection, this.#name, lost);
  }

  async #wait(connection: Connection, options: LockOptions): Promise<void> {
    const database = this.#config.description;
    const start = Date.now();
    let lastReport = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (options.signal?.aborted === true) {
        throw new EngineError('CANCELLED', `Stopped waiting for the migration lock on ${database}.`, {});
      }
      const [rows] = await connection.query('SELECT GET_LOCK(?, 0) AS got', [this.#name]);
      const got = (rows as { got: number | null }[])[0]?.got;
      if (got === 1) return;
      if (got !== 0) throw new Error(`GET_LOCK('${this.#name}') failed`);
      const waitedMs = Date.now() - start;
      const timedOut = waitedMs >= options.timeoutMs;
      const report = waitedMs - lastReport >= this.#waitReportMs;
      const holder = timedOut || report ? await this.#holder(connection) : null;
      if (timedOut) {
        throw new EngineError(
          'LOCKED',
          `Another migration run holds the lock on ${database}: ${describeHolder(holder)}. ` +
            `Gave up after ${(waitedMs / 1000).toFixed(1)} s; wait for that run to finish, or wait ` +
            `longer with --lock-timeout. (Lock name: ${this.#name}.)`,
          { database, waitedMs, holder },
        );
      }
      if (report) {
        lastReport = waitedMs;
        options.onWait?.(holder, waitedMs);
      }
      await sleep(Math.max(1, Math.min(this.#pollMs, options.timeoutMs - waitedMs)));
    }
  }

  /** Who holds the lock, as far as the server tells (see the module comment); null if unknown. */
  async #holder(connection: Connection): Promise<LockHolder | null> {
    try {
      const [used] = await connection.query('SELECT IS_USED_LOCK(?) AS id', [this.#name]);
      const id = Number((used as { id: number | string | null }[])[0]?.id ?? Number.NaN);
      if (!Number.isFinite(id)) return null;
      const [processes] = await connection.query(
        'SELECT USER AS user, HOST AS host, ' +
          "DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL TIME SECOND, '%Y-%m-%dT%H:%i:%sZ') AS since " +
          'FROM information_schema.PROCESSLIST WHERE ID = ?',
        [id],
      );
      const process = (processes as { user: string; host: string; since: string }[])[0];
      const attributes = await this.#attributes(connection, id);
      const pid = Number(attributes.get('_pid') ?? Number.NaN);
      const program = attributes.get('program_name');
      const clientHost = process?.host.replace(/:\d+$/, '') ?? null;
      const detail =
        `connection ${id}` +
        (process === undefined ? '' : ` of ${process.user}@${clientHost}`) +
        (program === undefined ? '' : ` (${program})`);
      return {
        host: attributes.get('stratum_host') ?? clientHost,
        pid: Number.isInteger(pid) ? pid : null,
        since: process?.since ?? null,
        detail,
      };
    } catch {
      return null;
    }
  }

  /** The connection attributes of connection `id`; empty without performance_schema. */
  async #attributes(connection: Connection, id: number): Promise<Map<string, string>> {
    try {
      const [rows] = await connection.query(
        'SELECT ATTR_NAME AS name, ATTR_VALUE AS value FROM performance_schema.session_connect_attrs ' +
          'WHERE PROCESSLIST_ID = ?',
        [id],
      );
      return new Map((rows as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    } catch {
      return new Map();
    }
  }

  #unavailable(error: unknown): EngineError<'DATABASE_UNAVAILABLE'> {
    const database = this.#config.description;
    const reason = toMysqlDatabaseError(error, database).message;
    return new EngineError(
      'DATABASE_UNAVAILABLE',
      `Cannot take the migration lock on ${database}: ${reason}`,
      { database, reason },
      { cause: error },
    );
  }
}

/** A held lock: the dedicated connection holding `GET_LOCK`. */
class HeldMysqlLock implements Lock {
  readonly #connection: Connection;
  readonly #name: string;
  readonly #lost: () => Error | null;
  #released = false;

  constructor(connection: Connection, name: string, lost: () => Error | null) {
    this.#connection = connection;
    this.#name = name;
    this.#lost = lost;
  }

  /** Releases the lock and ends its connection; calling it again does nothing. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#lost() !== null) {
      this.#connection.destroy(); // The server already released it with the connection.
      return;
    }
    try {
      await this.#connection.query('SELECT RELEASE_LOCK(?)', [this.#name]);
      await this.#connection.end();
    } catch {
      // Ending the connection releases the lock anyway.
      this.#connection.destroy();
    }
  }
}
