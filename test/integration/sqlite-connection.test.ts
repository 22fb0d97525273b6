import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import { DatabaseError } from '../../electron/engine/ports.ts';
import type { ConnectionTarget, DatabaseConnection } from '../../electron/engine/ports.ts';
import { openSqliteConnection, resolveSqlitePath } from '../../electron/dialects/sqlite/connection.ts';
import { sqliteAdapter } from '../../electron/dialects/sqlite/adapter.ts';

let dir: string;
const open: DatabaseConnection[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-sqlite-connection-'));
});

afterEach(async () => {
  for (const connection of open.splice(0)) await connection.session.close();
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

async function connect(url: string, create = true): Promise<DatabaseConnection> {
  const target: ConnectionTarget = { url, baseDir: dir, create };
  const connection = await sqliteAdapter.open!(target);
  open.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );
}

describe('resolveSqlitePath', () => {
  it.each([
    ['sqlite:./dev.db', '/p/dev.db'],
    ['sqlite:dev.db', '/p/dev.db'],
    ['sqlite:data/dev.db', '/p/data/dev.db'],
    ['sqlite:/abs/path.db', '/abs/path.db'],
    ['sqlite:///abs/path.db', '/abs/path.db'],
    ['sqlite://./dev.db', '/p/dev.db'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite://:memory:', ':memory:'],
  ])('%s → %s', (url, path) => {
    expect(resolveSqlitePath(url, '/p')).toBe(path);
  });

  it.each(['postgres://x/y', 'sqlite:', 'dev.db'])('rejects %s with URL_INVALID', (url) => {
    expect(() => resolveSqlitePath(url, '/p')).toThrow(expect.objectContaining({ code: 'URL_INVALID' }));
  });
});

describe('openSqliteConnection', () => {
  it('creates a missing file when allowed and runs statements', async () => {
    const { session } = await connect('sqlite:./dev.db');
    expect(existsSync(join(dir, 'dev.db'))).toBe(true);
    expect(session.dialect).toBe('sqlite');
    expect(session.description).toBe(join(dir, 'dev.db'));
    await session.execute('CREATE TABLE t (x integer)');
    await session.execute(
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO t VALUES (NEW.x + 100) ;\n  SELECT 1;\nEND',
    );
    await session.execute('-- only a comment');
    await session.execute('INSERT INTO t VALUES (1)');
    expect(await session.query('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 101 }]);
    expect(await session.query('UPDATE t SET x = x')).toEqual([]);
    expect(await session.tableExists('t')).toBe(true);
    expect(await session.tableExists('T')).toBe(true);
    expect(await session.tableExists('missing')).toBe(false);
    expect(await session.databaseUser()).toBeNull();
  });

  it('runs statements that return rows through execute', async () => {
    const { session } = await connect('sqlite:./dev.db');
    await session.execute('PRAGMA journal_mode = WAL');
    expect(await session.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('sets busy_timeout and keeps SQLite default foreign_keys and recursive_triggers (off)', async () => {
    const { session } = await connect('sqlite:./dev.db');
    expect(await session.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
    // better-sqlite3 is built with both on; the sqlite3 shell running `stratum sql` has both off.
    expect(await session.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 0 }]);
    expect(await session.query('PRAGMA recursive_triggers')).toEqual([{ recursive_triggers: 0 }]);
    await session.execute('PRAGMA foreign_keys = ON');
    expect(await session.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    const custom = await openSqliteConnection(
      { url: 'sqlite:./dev.db', baseDir: dir, create: true },
      { busyTimeoutMs: 250 },
    );
    open.push(custom);
    expect(await custom.session.query('PRAGMA busy_timeout')).toEqual([{ timeout: 250 }]);
  });

  it('keeps SQLITE_ codes on failed statements', async () => {
    const { session } = await connect('sqlite:./dev.db');
    const syntax = await failure(session.execute('CREATE TABLE (oops'));
    expect(syntax).toBeInstanceOf(DatabaseError);
    expect((syntax as DatabaseError).nativeCode).toBe('SQLITE_ERROR');
    await session.execute('CREATE TABLE u (x integer UNIQUE)');
    await session.execute('INSERT INTO u VALUES (1)');
    const unique = await failure(session.execute('INSERT INTO u VALUES (1)'));
    expect((unique as DatabaseError).nativeCode).toBe('SQLITE_CONSTRAINT_UNIQUE');
    const query = await failure(session.query('SELECT * FROM missing'));
    expect((query as DatabaseError).nativeCode).toBe('SQLITE_ERROR');
    expect((query as DatabaseError).message).toContain('no such table: missing');
  });

  it('runs the text it is given in order, as the sqlite3 shell runs an offline script', async () => {
    const { session } = await connect('sqlite:./dev.db');
    await session.execute('CREATE TABLE a (x); CREATE TABLE b (x)');
    expect(await session.tableExists('a')).toBe(true);
    expect(await session.tableExists('b')).toBe(true);
    await session.execute('-- only a comment');
  });

  it('reuses prepared queries, and they see schema changes', async () => {
    const { session } = await connect('sqlite:./dev.db');
    await session.execute('CREATE TABLE v (x)');
    const sql = 'SELECT count(*) AS n FROM v';
    expect(await session.query(sql)).toEqual([{ n: 0 }]);
    await session.execute('INSERT INTO v VALUES (1)');
    await session.execute('ALTER TABLE v ADD COLUMN y TEXT');
    expect(await session.query(sql)).toEqual([{ n: 1 }]);
  });

  it('reports a missing file with create false as DATABASE_UNAVAILABLE, creating nothing', async () => {
    const error = await failure(connect('sqlite:./missing.db', false));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/does not exist/);
    expect((error as Error).message).toContain('stratum upgrade');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('reports a file that is not a database as DATABASE_UNAVAILABLE with the driver text', async () => {
    writeFileSync(join(dir, 'notes.db'), 'these are notes, not a SQLite database\n'.repeat(20));
    for (const create of [false, true]) {
      const error = await failure(connect('sqlite:notes.db', create));
      expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toContain('file is not a database');
      expect((error as Error).message).toContain('SQLITE_NOTADB');
    }
  });

  it('reports a directory as DATABASE_UNAVAILABLE', async () => {
    mkdirSync(join(dir, 'folder.db'));
    const error = await failure(connect('sqlite:folder.db', true));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('directory');
  });

  it('reports a missing parent folder as DATABASE_UNAVAILABLE', async () => {
    const error = await failure(connect('sqlite:no/such/dir/dev.db', true));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
  });

  it('opens :memory: with a no-op lock', async () => {
    const { session, locker } = await connect('sqlite::memory:', false);
    expect(session.description).toBe(':memory:');
    await session.execute('CREATE TABLE t (x)');
    const lock = await locker.acquire({
      timeoutMs: 0,
      owner: { host: null, pid: null, osUser: null, toolVersion: 'test', runId: 'r' },
    });
    await lock.release();
  });

  it('locks the file through its locker', async () => {
    const { locker } = await connect('sqlite:./dev.db');
    const owner = { host: 'h', pid: 1, osUser: null, toolVersion: 'test', runId: 'r' };
    const lock = await locker.acquire({ timeoutMs: 1000, owner });
    const error = await failure(locker.acquire({ timeoutMs: 0, owner: { ...owner, runId: 'r2' } }));
    expect(isEngineError(error, 'LOCKED')).toBe(true);
    await lock.release();
    expect(existsSync(join(dir, 'dev.db.stratum-lock'))).toBe(true);
  });

  it('wraps BEGIN IMMEDIATE so a second writer waits on busy_timeout', async () => {
    const a = await openSqliteConnection(
      { url: 'sqlite:./dev.db', baseDir: dir, create: true },
      { busyTimeoutMs: 50 },
    );
    const b = await openSqliteConnection(
      { url: 'sqlite:./dev.db', baseDir: dir, create: true },
      { busyTimeoutMs: 50 },
    );
    open.push(a, b);
    await a.session.execute(sqliteAdapter.bookkeeping.beginTransaction());
    const error = await failure(b.session.execute(sqliteAdapter.bookkeeping.beginTransaction()));
    expect((error as DatabaseError).nativeCode).toBe('SQLITE_BUSY');
    await a.session.execute(sqliteAdapter.bookkeeping.rollbackTransaction());
    await b.session.execute(sqliteAdapter.bookkeeping.beginTransaction());
    await b.session.execute(sqliteAdapter.bookkeeping.commitTransaction());
  });
});
