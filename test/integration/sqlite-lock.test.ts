import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import type { Lock, LockOptions } from '../../electron/engine/ports.ts';
import type { LockHolder } from '../../shared/model/run-event.ts';
import { SqliteLocker } from '../../electron/dialects/sqlite/lock.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-sqlite-lock.ts', import.meta.url));

let dir: string;
let database: string;
const held: Lock[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-sqlite-lock-'));
  database = join(dir, 'app.db');
});

afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function options(runId: string, extra: Partial<LockOptions> = {}): LockOptions {
  return {
    timeoutMs: 5_000,
    owner: { host: hostname(), pid: process.pid, osUser: 'tester', toolVersion: 'test', runId },
    ...extra,
  };
}

async function acquire(runId: string, extra: Partial<LockOptions> = {}): Promise<Lock> {
  const lock = await new SqliteLocker(database, { pollMs: 20 }).acquire(options(runId, extra));
  held.push(lock);
  return lock;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the acquire to fail'),
    (error: unknown) => error,
  );
}

/** Starts the fixture holding the lock in a child process; resolves once it holds it. */
function holdInChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [FIXTURE, database], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code}): ${stderr}`)));
  });
}

describe('SqliteLocker', () => {
  it('makes a second acquirer time out with LOCKED naming the holder', async () => {
    await acquire('first');
    const waits: [LockHolder | null, number][] = [];
    const started = Date.now();
    const error = await rejection(
      new SqliteLocker(database, { pollMs: 20 }).acquire(
        options('second', { timeoutMs: 300, onWait: (holder, waitedMs) => waits.push([holder, waitedMs]) }),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(isEngineError(error, 'LOCKED')).toBe(true);
    if (!isEngineError(error, 'LOCKED')) return;
    expect(error.details.database).toBe(database);
    expect(error.details.waitedMs).toBeGreaterThanOrEqual(300);
    expect(error.details.holder).toMatchObject({ host: hostname(), pid: process.pid, detail: 'run first' });
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(hostname());
    expect(error.message).toContain(error.details.holder?.since ?? 'missing');
    expect(error.message).toContain('--lock-timeout');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]?.[0]?.pid).toBe(process.pid);
  });

  it('is acquired by the next run after release, and release is idempotent', async () => {
    const first = await acquire('first');
    expect(JSON.parse(readFileSync(`${database}.stratum-lock.json`, 'utf8'))).toMatchObject({
      runId: 'first',
      pid: process.pid,
    });
    const waiting = acquire('second', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    await first.release();
    await first.release();
    await waiting;
    expect(JSON.parse(readFileSync(`${database}.stratum-lock.json`, 'utf8'))).toMatchObject({
      runId: 'second',
    });
    await held.pop()?.release();
    expect(existsSync(`${database}.stratum-lock.json`)).toBe(false);
    expect(existsSync(`${database}.stratum-lock`)).toBe(true);
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

  it('is released by the OS when the holding process is killed with SIGKILL', async () => {
    const child = await holdInChild();
    const error = await rejection(acquire('waiter', { timeoutMs: 200 }));
    expect(isEngineError(error, 'LOCKED')).toBe(true);
    if (isEngineError(error, 'LOCKED')) expect(error.details.holder?.pid).toBe(child.pid);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // The killed holder's file is left behind, but the lock went with the process.
    expect(JSON.parse(readFileSync(`${database}.stratum-lock.json`, 'utf8'))).toMatchObject({
      pid: child.pid,
    });
    await acquire('after-kill', { timeoutMs: 10_000 });
    expect(JSON.parse(readFileSync(`${database}.stratum-lock.json`, 'utf8'))).toMatchObject({
      runId: 'after-kill',
    });
  });

  it('is a no-op for in-memory databases', async () => {
    const locker = new SqliteLocker(':memory:');
    const a = await locker.acquire(options('a'));
    const b = await locker.acquire(options('b', { timeoutMs: 0 }));
    await a.release();
    await b.release();
  });
});
