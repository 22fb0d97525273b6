/**
 * The PostgreSQL migration lock on the real local server: a session-level advisory lock on a
 * dedicated connection, polled, bounded, cancellable, naming its holder.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import type { DatabaseConnection, Lock, LockOptions } from '../../electron/engine/ports.ts';
import type { LockHolder } from '../../shared/model/run-event.ts';
import { postgresAdapter } from '../../electron/dialects/postgres/adapter.ts';
import { advisoryLockKey, type PostgresLock } from '../../electron/dialects/postgres/lock.ts';
import { adminExec, createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

let db: TestDatabase;
const open: DatabaseConnection[] = [];
const held: Lock[] = [];

beforeAll(async () => {
  db = await createTestDatabase('postgres', 'pg_lock');
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  for (const connection of open.splice(0)) await connection.session.close();
});

async function connect(query = '', versionTable?: string): Promise<DatabaseConnection> {
  const connection = await postgresAdapter.open!({
    url: `${db.url}${query}`,
    baseDir: '/tmp',
    create: true,
    env: {},
    ...(versionTable === undefined ? {} : { versionTable }),
  });
  open.push(connection);
  return connection;
}

function options(runId: string, extra: Partial<LockOptions> = {}): LockOptions {
  return {
    timeoutMs: 5_000,
    owner: { host: 'test-host', pid: process.pid, osUser: 'tester', toolVersion: 'test', runId },
    ...extra,
  };
}

async function acquire(connection: DatabaseConnection, runId: string, extra: Partial<LockOptions> = {}) {
  const lock = (await connection.locker.acquire(options(runId, extra))) as PostgresLock;
  held.push(lock);
  return lock;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the acquire to fail'),
    (error: unknown) => error,
  );
}

async function backendPid(connection: DatabaseConnection): Promise<number> {
  const [row] = await connection.session.query('SELECT pg_backend_pid() AS pid');
  return row!.pid as number;
}

describe('advisoryLockKey', () => {
  it('is stable, 64-bit, and differs per schema and version table', () => {
    const key = advisoryLockKey('public', 'stratum_version');
    expect(advisoryLockKey('public', 'stratum_version')).toEqual(key);
    expect(BigInt(key.key)).toBe(BigInt.asIntN(64, (BigInt(key.classid) << 32n) | BigInt(key.objid)));
    expect(advisoryLockKey('public', 'other_version').key).not.toBe(key.key);
    expect(advisoryLockKey('app', 'stratum_version').key).not.toBe(key.key);
  });
});

describe('PostgresLocker', () => {
  it('times out with LOCKED naming the holder backend pid and application_name', async () => {
    const first = await connect('?application_name=holder_app');
    const lock = await acquire(first, 'run-1');
    // The lock lives on a connection of its own, not on the session.
    expect(lock.backendPid).not.toBe(await backendPid(first));

    const second = await connect();
    const waits: [LockHolder | null, number][] = [];
    const started = Date.now();
    const error = await rejection(
      second.locker.acquire(
        options('run-2', { timeoutMs: 600, onWait: (holder, waitedMs) => waits.push([holder, waitedMs]) }),
      ),
    );
    expect(isEngineError(error, 'LOCKED')).toBe(true);
    const details = (error as { details: { database: string; waitedMs: number; holder: LockHolder } })
      .details;
    expect(details.database).toBe(`postgres://postgres@127.0.0.1:5432/${db.name}`);
    expect(details.waitedMs).toBeGreaterThanOrEqual(600);
    expect(details.holder).toMatchObject({
      pid: lock.backendPid,
      host: '127.0.0.1',
      detail: 'application_name "holder_app", user postgres',
    });
    expect(details.holder.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((error as Error).message).toContain(`backend pid ${lock.backendPid} from 127.0.0.1`);
    expect((error as Error).message).toContain('--lock-timeout');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]![0]?.pid).toBe(lock.backendPid);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('lets the next acquire through after release, including one already waiting', async () => {
    const first = await connect();
    const second = await connect();
    const lock = await acquire(first, 'run-1');
    const waiting = second.locker.acquire(options('run-2', { timeoutMs: 20_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lock.release();
    const next = (await waiting) as PostgresLock;
    held.push(next);
    await next.release();
    await lock.release(); // a second release does nothing
    held.push(await acquire(first, 'run-3', { timeoutMs: 0 }));
  });

  it('does not block a project with another version table in the same database', async () => {
    const a = await connect('', 'stratum_version');
    const b = await connect('', 'other_version');
    await acquire(a, 'run-a');
    await acquire(b, 'run-b', { timeoutMs: 0 });
  });

  it('holds the lock while CREATE INDEX CONCURRENTLY runs on the session connection (no deadlock)', async () => {
    const connection = await connect();
    await connection.session.execute('CREATE TABLE big (id integer, v text)');
    await connection.session.execute("INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 1000) g");
    const lock = await acquire(connection, 'run-1');
    const done = connection.session.execute('CREATE INDEX CONCURRENTLY big_v ON big (v)');
    const bound = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('CREATE INDEX CONCURRENTLY did not finish within 20 s')), 20_000),
    );
    await Promise.race([done, bound]);
    const rows = await connection.session.query(
      "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_v'::regclass",
    );
    expect(rows).toEqual([{ indisvalid: true }]);
    expect(lock.lost).toBe(false);
  });

  it('stops waiting when the signal aborts', async () => {
    const first = await connect();
    const second = await connect();
    await acquire(first, 'run-1');
    const signal = { aborted: false };
    setTimeout(() => (signal.aborted = true), 300);
    const started = Date.now();
    const error = await rejection(second.locker.acquire(options('run-2', { timeoutMs: 30_000, signal })));
    expect(isEngineError(error, 'CANCELLED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('loses the lock with its connection, and release then does not throw', async () => {
    const first = await connect();
    const second = await connect();
    const lock = await acquire(first, 'run-1');
    await adminExec('postgres', `SELECT pg_terminate_backend(${lock.backendPid})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lock.lost).toBe(true);
    held.push(await acquire(second, 'run-2', { timeoutMs: 2_000 }));
    await lock.release();
  });
});
