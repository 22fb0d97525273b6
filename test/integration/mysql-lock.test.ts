/** The MySQL/MariaDB migration lock (GET_LOCK on a dedicated connection) on the real local server. */
import { hostname } from 'node:os';
import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mysqlConnectionConfig } from '../../electron/dialects/mysql/connection-config.ts';
import { MysqlLocker, mysqlLockName } from '../../electron/dialects/mysql/lock.ts';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import type { Lock, LockOptions } from '../../electron/engine/ports.ts';
import type { LockHolder } from '../../shared/model/run-event.ts';
import { adminExec, createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

let db: TestDatabase;
const held: Lock[] = [];

beforeAll(async () => {
  db = await createTestDatabase('mysql', 'lock');
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
});

function locker(table = 'stratum_version'): MysqlLocker {
  const config = mysqlConnectionConfig({ url: db.url, baseDir: '/', create: false, env: {} });
  return new MysqlLocker(config, table, { pollMs: 20, waitReportMs: 50 });
}

function options(runId: string, extra: Partial<LockOptions> = {}): LockOptions {
  return {
    timeoutMs: 5_000,
    owner: { host: hostname(), pid: process.pid, osUser: 'tester', toolVersion: 'test', runId },
    ...extra,
  };
}

async function acquire(runId: string, extra: Partial<LockOptions> = {}, table?: string): Promise<Lock> {
  const lock = await locker(table).acquire(options(runId, extra));
  held.push(lock);
  return lock;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the acquire to fail'),
    (error: unknown) => error,
  );
}

/** The connection id holding the named lock, as the server says. */
async function holderId(name: string): Promise<number | null> {
  const admin = await mysql.createConnection({ uri: db.url });
  try {
    const [rows] = await admin.query('SELECT IS_USED_LOCK(?) AS id', [name]);
    const id = (rows as { id: number | null }[])[0]?.id ?? null;
    return id === null ? null : Number(id);
  } finally {
    await admin.end();
  }
}

describe('mysqlLockName', () => {
  it('names the database and table, hashing past 64 characters', () => {
    expect(mysqlLockName('app', 'stratum_version')).toBe('stratum:app:stratum_version');
    const long = mysqlLockName('a'.repeat(60), 'stratum_version');
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^stratum:[0-9a-f]{56}$/);
    expect(mysqlLockName('a'.repeat(60), 'other')).not.toBe(long);
  });
});

describe('MysqlLocker', () => {
  it('makes a second acquirer time out with LOCKED naming the holder connection', async () => {
    await acquire('first');
    const id = await holderId(locker().name);
    expect(id).not.toBeNull();
    const waits: [LockHolder | null, number][] = [];
    const started = Date.now();
    const error = await rejection(
      locker().acquire(
        options('second', { timeoutMs: 400, onWait: (holder, waitedMs) => waits.push([holder, waitedMs]) }),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(isEngineError(error, 'LOCKED')).toBe(true);
    if (!isEngineError(error, 'LOCKED')) return;
    expect(error.details.database).toBe(db.url);
    expect(error.details.waitedMs).toBeGreaterThanOrEqual(400);
    const holder = error.details.holder;
    expect(holder?.detail).toContain(`connection ${id}`);
    expect(holder?.detail).toContain('root@');
    expect(holder?.host).toBeTruthy();
    expect(holder?.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(error.message).toContain(`connection ${id}`);
    expect(error.message).toContain('--lock-timeout');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]?.[0]?.detail).toContain(`connection ${id}`);
  });

  it('lets the next run through after release; release is idempotent', async () => {
    const first = await acquire('first');
    const waiting = acquire('second', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    await first.release();
    await first.release();
    const second = await waiting;
    expect(await holderId(locker().name)).not.toBeNull();
    await second.release();
    expect(await holderId(locker().name)).toBeNull();
  });

  it('keeps separate locks per version table', async () => {
    await acquire('first');
    await acquire('other', { timeoutMs: 1_000 }, 'alembic_version');
  });

  it('stops waiting when the signal aborts', async () => {
    await acquire('first');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await rejection(acquire('second', { timeoutMs: 30_000, signal: controller.signal }));
    expect(isEngineError(error, 'CANCELLED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('is released by the server when the holding connection is killed', async () => {
    await acquire('first');
    const id = await holderId(locker().name);
    await adminExec('mysql', `KILL ${id}`);
    await acquire('second', { timeoutMs: 5_000 });
  });
});
