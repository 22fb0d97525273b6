/**
 * The SQLite migration lock: one run per database file at a time (DESIGN.md §5).
 *
 * Decision: the lock is an EXCLUSIVE transaction, held for the whole run, on a sidecar SQLite file
 * `<db>.stratum-lock`, not on the database itself (a run needs its own transactions there).
 * - SQLite's locks are OS file locks, which the OS drops when a process dies: a run killed with
 *   SIGKILL never leaves a stale lock, unlike a lock row or a pid file.
 * - The sidecar is opened with `busy_timeout = 0` and polled every ~100 ms with an async sleep: the
 *   driver's busy handler would sleep synchronously and freeze the event loop, while polling lets
 *   `signal` cancel the wait and `onWait` report it.
 * - The sidecar file is never deleted: unlinking it while another process has it open would let
 *   two processes lock two different inodes.
 * - Who holds the lock is written after acquiring to `<db>.stratum-lock.json` (temp file + rename,
 *   so a reader never sees half a file). It is informational only: the transaction is the lock. It
 *   is removed on release while the lock is still held, so it can only ever be our own.
 * - Only SQLite opens the sidecar: POSIX locks are per process, and a `close()` of any other
 *   descriptor of the same file would drop them.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { EngineError } from '../../engine/engine-error.ts';
import type { Lock, LockOptions, Locker } from '../../engine/ports.ts';
import type { LockHolder } from '../../../shared/model/run-event.ts';

/** How often a waiter retries, in milliseconds. */
export const LOCK_POLL_MS = 100;
/** How often `onWait` is called while waiting (and once at the start of the wait). */
export const LOCK_WAIT_REPORT_MS = 1000;

/** Suffix of the sidecar lock file next to the database. */
export const LOCK_FILE_SUFFIX = '.stratum-lock';

/** Options of {@link SqliteLocker}, for tests. */
export interface SqliteLockerOptions {
  readonly pollMs?: number;
  readonly waitReportMs?: number;
}

/** What the holder writes to `<db>.stratum-lock.json`. */
interface HolderFile {
  readonly host: string | null;
  readonly pid: number | null;
  readonly since: string;
  readonly runId: string;
}

const NO_OP_LOCK: Lock = { release: async () => undefined };

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
}

function lockUnavailable(database: string, error: unknown): EngineError<'DATABASE_UNAVAILABLE'> {
  const reason = `cannot use the lock file ${database}${LOCK_FILE_SUFFIX}: ${
    error instanceof Error ? error.message : String(error)
  }. Stratum needs write access to the database's folder to run migrations.`;
  return new EngineError('DATABASE_UNAVAILABLE', `Cannot lock the SQLite database ${database}: ${reason}`, {
    database,
    reason,
  });
}

function readHolderFile(path: string): HolderFile | null {
  try {
    const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof data !== 'object' || data === null) return null;
    const { host, pid, since, runId } = data as Record<string, unknown>;
    if (typeof since !== 'string' || typeof runId !== 'string') return null;
    return {
      host: typeof host === 'string' ? host : null,
      pid: typeof pid === 'number' ? pid : null,
      since,
      runId,
    };
  } catch {
    return null;
  }
}

/** Whether a process of this host with `pid` is gone (EPERM means it exists under another user). */
function isDeadLocalProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The holder named in the JSON file, or null when unknown. A file left by a killed process on this
 * host is stale (its lock went with it) and names nobody.
 */
function readHolder(path: string): LockHolder | null {
  const file = readHolderFile(path);
  if (file === null) return null;
  if (file.host === hostname() && file.pid !== null && isDeadLocalProcess(file.pid)) return null;
  return { host: file.host, pid: file.pid, since: file.since, detail: `run ${file.runId}` };
}

function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'another Stratum run (its host and pid are unknown)';
  return `pid ${holder.pid ?? '?'} on ${holder.host ?? 'an unknown host'} since ${holder.since ?? 'an unknown time'}`;
}

/**
 * Takes the one-run-per-file migration lock of a SQLite database (see the module comment).
 * `:memory:` databases are private to their connection, so their lock is a no-op.
 */
export class SqliteLocker implements Locker {
  readonly #database: string;
  readonly #pollMs: number;
  readonly #waitReportMs: number;

  /** @param database Absolute path of the database file, or `:memory:`. */
  constructor(database: string, options: SqliteLockerOptions = {}) {
    this.#database = database;
    this.#pollMs = options.pollMs ?? LOCK_POLL_MS;
    this.#waitReportMs = options.waitReportMs ?? LOCK_WAIT_REPORT_MS;
  }

  /**
   * Waits up to `timeoutMs` for the lock.
   *
   * @throws EngineError `LOCKED` {database, waitedMs, holder} after the timeout; `CANCELLED` when
   *   `signal` aborts the wait; `DATABASE_UNAVAILABLE` when the sidecar file cannot be used.
   */
  async acquire(options: LockOptions): Promise<Lock> {
    if (this.#database === ':memory:') return NO_OP_LOCK;
    const database = this.#database;
    const lockPath = database + LOCK_FILE_SUFFIX;
    const holderPath = `${lockPath}.json`;
    let db: Database.Database;
    try {
      db = new Database(lockPath, { timeout: 0 });
    } catch (error) {
      throw lockUnavailable(database, error);
    }
    try {
      await this.#wait(db, database, holderPath, options);
    } catch (error) {
      db.close();
      throw error;
    }
    const mine: HolderFile = {
      host: options.owner.host,
      pid: options.owner.pid,
      since: new Date().toISOString(),
      runId: options.owner.runId,
    };
    try {
      const temp = `${holderPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temp, `${JSON.stringify(mine)}\n`);
      renameSync(temp, holderPath);
    } catch {
      // Holder information is a courtesy for waiters; the lock itself is held.
    }
    return new HeldSqliteLock(db, holderPath, mine);
  }

  async #wait(
    db: Database.Database,
    database: string,
    holderPath: string,
    options: LockOptions,
  ): Promise<void> {
    const start = Date.now();
    let lastReport = Number.NEGATIVE_INFINITY;
    for (;;) {
      if (options.signal?.aborted === true) {
        throw new EngineError('CANCELLED', `Stopped waiting for the migration lock on ${database}.`, {});
      }
      try {
        db.prepare('BEGIN EXCLUSIVE').run();
        return;
      } catch (error) {
        if (!isBusy(error)) throw lockUnavailable(database, error);
      }
      const waitedMs = Date.now() - start;
      const holder = readHolder(holderPath);
      if (waitedMs >= options.timeoutMs) {
        throw new EngineError(
          'LOCKED',
          `Another migration run holds the lock on ${database}: ${describeHolder(holder)}. ` +
            `Gave up after ${(waitedMs / 1000).toFixed(1)} s; wait for that run to finish, or ` +
            `wait longer with --lock-timeout.`,
          { database, waitedMs, holder },
        );
      }
      if (waitedMs - lastReport >= this.#waitReportMs) {
        lastReport = waitedMs;
        options.onWait?.(holder, waitedMs);
      }
      await sleep(Math.max(1, Math.min(this.#pollMs, options.timeoutMs - waitedMs)));
    }
  }
}

/** A held SQLite lock: an open EXCLUSIVE transaction on the sidecar file. */
class HeldSqliteLock implements Lock {
  readonly #db: Database.Database;
  readonly #holderPath: string;
  readonly #mine: HolderFile;

  constructor(db: Database.Database, holderPath: string, mine: HolderFile) {
    this.#db = db;
    this.#holderPath = holderPath;
    this.#mine = mine;
  }

  /** Releases the lock; calling it again does nothing. */
  async release(): Promise<void> {
    if (!this.#db.open) return;
    // Remove the holder file first, while the lock still keeps every other writer out.
    const current = readHolderFile(this.#holderPath);
    if (current !== null && current.runId === this.#mine.runId && current.pid === this.#mine.pid) {
      try {
        unlinkSync(this.#holderPath);
      } catch {
        // Already gone.
      }
    }
    try {
      if (this.#db.inTransaction) this.#db.prepare('ROLLBACK').run();
    } finally {
      this.#db.close();
    }
  }
}
