/**
 * The PostgreSQL migration lock: one run per database and version table at a time (DESIGN.md §5).
 *
 * Decisions:
 * - A session-level advisory lock, taken on a connection of its own, never on the session's: a
 *   `transaction: none` revision running `CREATE INDEX CONCURRENTLY` waits for every transaction
 *   that could see the table, and would wait forever on the migration connection's own lock
 *   transaction if the lock lived there. Session-level advisory locks need no transaction, and
 *   the server drops them when the connection ends: a killed run never leaves a stale lock.
 * - Polled with `pg_try_advisory_lock` every {@link LOCK_POLL_MS} rather than blocking in
 *   `pg_advisory_lock`, so the wait is bounded by `timeoutMs`, `signal` can cancel it and
 *   `onWait` can report the holder.
 * - The key is the first 64 bits of SHA-256(`stratum:<current_schema>.<version table>`), computed
 *   here rather than with `hashtext()` (an internal function whose values are not promised to
 *   stay the same across server versions). Advisory locks are per database, so two projects in
 *   one database with different version tables (or schemas) do not block each other, while every
 *   Stratum version computes the same key for the same table.
 * - The holder is found in `pg_locks` (locktype `advisory`, `classid`/`objid` = the key's high and
 *   low 32 bits, `objsubid` 1 for a bigint key) joined with `pg_stat_activity`: its backend pid,
 *   client address (`local socket` for Unix sockets), the time its lock connection last changed
 *   state (it does nothing after taking the lock, so that is when it got it) and its
 *   application_name. A user without `pg_read_all_stats` sees only the pid of other users'
 *   sessions; the rest is then null.
 * - If the lock connection dies (server restart, `pg_terminate_backend`), the server releases the
 *   lock: another run could then start while this one is still running statements on its session
 *   connection. There is no way to take a lost session-level lock back atomically; `release()`
 *   then only closes what is left.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../engine/engine-error.ts';
import type { Lock, LockOptions, Locker } from '../../engine/ports.ts';
import type { LockHolder } from '../../../shared/model/run-event.ts';
import type { PostgresConnector, PostgresLink } from './connection.ts';

/** How often a waiter retries, in milliseconds. */
export const LOCK_POLL_MS = 200;
/** How often `onWait` is called while waiting (and once at the start of the wait). */
export const LOCK_WAIT_REPORT_MS = 1000;

/** Options of {@link PostgresLocker}, for tests. */
export interface PostgresLockerOptions {
  readonly pollMs?: number;
  readonly waitReportMs?: number;
}

/** A 64-bit advisory lock key and the two 32-bit halves `pg_locks` shows it as. */
export interface AdvisoryKey {
  /** Signed 64-bit key, as decimal text (what `pg_try_advisory_lock(bigint)` takes). */
  readonly key: string;
  /** High 32 bits, unsigned (`pg_locks.classid`). */
  readonly classid: string;
  /** Low 32 bits, unsigned (`pg_locks.objid`). */
  readonly objid: string;
}

/** The advisory lock key of a version table in a schema (see the module comment). */
export function advisoryLockKey(schema: string, versionTable: string): AdvisoryKey {
  const digest = createHash('sha256').update(`stratum:${schema}.${versionTable}`, 'utf8').digest();
  const unsigned = digest.readBigUInt64BE(0);
  return {
    key: BigInt.asIntN(64, unsigned).toString(),
    classid: (unsigned >> 32n).toString(),
    objid: (unsigned & 0xffffffffn).toString(),
  };
}

const HOLDER_SQL = `SELECT a.pid, host(a.client_addr) AS client_addr, a.client_port, a.application_name,
  a.usename,
  to_char(COALESCE(a.state_change, a.backend_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since
FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid = $1::oid AND l.objid = $2::oid
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
LIMIT 1`;

/** Who holds the lock, from `pg_locks` and `pg_stat_activity`; null when unknown or already free. */
async function readHolder(link: PostgresLink, key: AdvisoryKey): Promise<LockHolder | null> {
  try {
    const result = await link.client.query(HOLDER_SQL, [key.classid, key.objid]);
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (row === undefined) return null;
    const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
    const host = str(row.client_addr) ?? (row.client_port === -1 ? 'local socket' : null);
    const parts = [
      str(row.application_name) === null ? null : `application_name "${String(row.application_name)}"`,
      str(row.usename) === null ? null : `user ${String(row.usename)}`,
    ].filter((p) => p !== null);
    return {
      host,
      pid: typeof row.pid === 'number' ? row.pid : null,
      since: str(row.since),
      ...(parts.length === 0 ? {} : { detail: parts.join(', ') }),
    };
  } catch {
    return null;
  }
}

function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'another session (it could not be identified)';
  const detail = holder.detail === undefined ? '' : ` (${holder.detail})`;
  return `backend pid ${holder.pid ?? '?'} from ${holder.host ?? 'an unknown host'} since ${holder.since ?? 'an unknown time'}${detail}`;
}

/** Takes the migration lock of one PostgreSQL database and version table (see the module comment). */
export class PostgresLocker implements Locker {
  readonly #connector: PostgresConnector;
  readonly #versionTable: string;
  readonly #pollMs: number;
  readonly #waitReportMs: number;

  constructor(connector: PostgresConnector, versionTable: string, options: PostgresLockerOptions = {}) {
    this.#connector = connector;
    this.#versionTable = versionTable;
    this.#pollMs = options.pollMs ?? LOCK_POLL_MS;
    this.#waitReportMs = options.waitReportMs ?? LOCK_WAIT_REPORT_MS;
  }

  /**
   * Opens a dedicated connection and waits up to `timeoutMs` for the advisory lock on it.
   *
   * @throws EngineError `LOCKED` {database, waitedMs, holder} after the timeout; `CANCELLED` when
   *   `signal` aborts the wait; `DATABASE_UNAVAILABLE` when the lock connection cannot be opened
   *   or fails.
   */
  async acquire(options: LockOptions): Promise<PostgresLock> {
    const link = await this.#connector.connect();
    try {
      const key = await this.#key(link);
      await this.#wait(link, key, options);
      return new PostgresLock(link, key);
    } catch (error) {
      await link.close();
      throw error;
    }
  }

  async #key(link: PostgresLink): Promise<AdvisoryKey> {
    const result = await this.#query(link, 'SELECT current_schema() AS schema_name');
    const schema = result[0]?.schema_name;
    return advisoryLockKey(typeof schema === 'string' ? schema : '', this.#versionTable);
  }

  async #wait(link: PostgresLink, key: AdvisoryKey, options: LockOptions): Promise<void> {
    const database = this.#connector.options.description;
    const start = Date.now();
    let lastReport = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (options.signal?.aborted === true) {
        throw new EngineError('CANCELLED', `Stopped waiting for the migration lock on ${database}.`, {});
      }
      const rows = await this.#query(link, 'SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.key]);
      if (rows[0]?.locked === true) return;
      const waitedMs = Date.now() - start;
      if (waitedMs >= options.timeoutMs) {
        const holder = await readHolder(link, key);
        throw new EngineError(
          'LOCKED',
          `Another migration run holds the lock on ${database} (version table "${this.#versionTable}"): ` +
            `${describeHolder(holder)}. Gave up after ${(waitedMs / 1000).toFixed(1)} s; wait for that run ` +
            `to finish, or wait longer with --lock-timeout.`,
          { database, waitedMs, holder },
        );
      }
      if (waitedMs - lastReport >= this.#waitReportMs) {
        lastReport = waitedMs;
        options.onWait?.(await readHolder(link, key), waitedMs);
      }
      await sleep(Math.max(1, Math.min(this.#pollMs, options.timeoutMs - waitedMs)));
    }
  }

  async #query(link: PostgresLink, sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
    const database = this.#connector.options.description;
    try {
      if (link.lost !== null) throw link.lost;
      return (await link.client.query(sql, values)).rows as Record<string, unknown>[];
    } catch (error) {
      const reason = `the lock connection failed: ${error instanceof Error ? error.message : String(error)}`;
      throw new EngineError(
        'DATABASE_UNAVAILABLE',
        `Cannot take the migration lock on ${database}: ${reason}`,
        { database, reason },
        { cause: error },
      );
    }
  }
}

/** A held advisory lock and its dedicated connection. */
export class PostgresLock implements Lock {
  readonly #link: PostgresLink;
  readonly #key: AdvisoryKey;
  #released = false;

  constructor(link: PostgresLink, key: AdvisoryKey) {
    this.#link = link;
    this.#key = key;
  }

  /** The server process id of the lock connection (what `pg_locks` shows as the holder). */
  get backendPid(): number {
    return this.#link.backendPid;
  }

  /** Whether the lock connection died, which released the lock (see the module comment). */
  get lost(): boolean {
    return this.#link.lost !== null;
  }

  /** Unlocks and closes the lock connection; calling it again does nothing. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#link.lost === null) {
      try {
        await this.#link.client.query('SELECT pg_advisory_unlock($1::bigint)', [this.#key.key]);
      } catch {
        // Closing the connection below releases it as well.
      }
    }
    await this.#link.close();
  }
}
