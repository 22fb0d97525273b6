/**
 * MySQL/MariaDB sessions on the real local server: statements, errors with errno and SQLSTATE,
 * trigger bodies, utf8mb4, connection failures worded without the password, and a connection
 * killed mid-use.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../electron/dialects/mysql/adapter.ts';
import { MysqlSession } from '../../electron/dialects/mysql/connection.ts';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import { DatabaseError, type DatabaseConnection } from '../../electron/engine/ports.ts';
import { adminExec, createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

let db: TestDatabase;
const open: DatabaseConnection[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('mysql', 'conn');
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  for (const connection of open.splice(0)) await connection.session.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Opens `url` (the test database by default) with an empty environment: no option files. */
async function connect(url = db.url, env: Record<string, string> = {}): Promise<DatabaseConnection> {
  const connection = await mysqlAdapter.open!({ url, baseDir: '/', create: false, env });
  open.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error as Error,
  );
}

/** The test database's URL with another user/password/port/path. */
function urlWith(
  change: Partial<Pick<URL, 'username' | 'password' | 'port' | 'pathname' | 'search'>>,
): string {
  const url = new URL(db.url);
  Object.assign(url, change);
  return url.href;
}

describe('MysqlSession', () => {
  it('executes, queries, knows its tables and its user', async () => {
    const { session } = await connect();
    expect(session.dialect).toBe('mysql');
    expect(session.description).toBe(db.url);
    await session.execute('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40), born DATETIME(3))');
    await session.execute("INSERT INTO users VALUES (1, 'ada', '1815-12-10 08:00:00.250')");
    expect(await session.query('SELECT id, name, born FROM users')).toEqual([
      { id: 1, name: 'ada', born: '1815-12-10 08:00:00.250' },
    ]);
    expect(await session.query('UPDATE users SET name = name')).toEqual([]);
    expect(await session.tableExists('users')).toBe(true);
    expect(await session.tableExists('Users')).toBe(false);
    expect(await session.tableExists('stratum_version')).toBe(false);
    expect(await session.databaseUser()).toMatch(/^root@/);
    // Only comments: nothing to run, not an error.
    await session.execute('-- nothing here');
  });

  it('keeps errno and SQLSTATE of a failing statement', async () => {
    const { session } = await connect();
    const error = await failure(session.execute('SELECT * FROM no_such_table'));
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).nativeCode).toBe('ER_NO_SUCH_TABLE (1146, 42S02)');
    expect(error.message).toContain('no_such_table');
    const syntax = await failure(session.query('SELEC 1'));
    expect((syntax as DatabaseError).nativeCode).toBe('ER_PARSE_ERROR (1064, 42000)');
    // One statement per call: a second statement is a syntax error, never run.
    await session.execute('CREATE TABLE once (id INT)');
    const two = await failure(session.execute('INSERT INTO once VALUES (1); INSERT INTO once VALUES (2)'));
    expect((two as DatabaseError).nativeCode).toMatch(/^ER_PARSE_ERROR/);
    expect(await session.query('SELECT COUNT(*) AS n FROM once')).toEqual([{ n: 0 }]);
  });

  it('runs a CREATE TRIGGER with a BEGIN … END body and semicolons inside', async () => {
    const { session } = await connect();
    await session.execute('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT, note VARCHAR(20))');
    await session.execute(
      [
        'CREATE TRIGGER accounts_guard BEFORE INSERT ON accounts FOR EACH ROW',
        'BEGIN',
        '  IF NEW.balance < 0 THEN',
        "    SET NEW.balance = 0; SET NEW.note = 'clamped';",
        '  END IF;',
        'END',
      ].join('\n'),
    );
    await session.execute('INSERT INTO accounts (id, balance) VALUES (1, -5), (2, 7)');
    expect(await session.query('SELECT id, balance, note FROM accounts ORDER BY id')).toEqual([
      { id: 1, balance: 0, note: 'clamped' },
      { id: 2, balance: 7, note: null },
    ]);
  });

  it('round-trips non-ASCII identifiers and data (utf8mb4, emoji)', async () => {
    const { session } = await connect();
    await session.execute('CREATE TABLE `café_ünïcode` (`名前` VARCHAR(40)) DEFAULT CHARSET=utf8mb4');
    const text = 'Grüße, 世界 🚀🦀 — naïve';
    await session.execute(`INSERT INTO \`café_ünïcode\` VALUES ('${text}')`);
    expect(await session.query('SELECT `名前` FROM `café_ünïcode`')).toEqual([{ 名前: text }]);
    expect(await session.tableExists('café_ünïcode')).toBe(true);
  });

  it('reports a connection killed mid-statement as a DatabaseError, and the process survives', async () => {
    const { session } = await connect();
    const id = (session as MysqlSession).connectionId;
    expect(await session.query('SELECT CONNECTION_ID() AS id')).toEqual([{ id }]);
    const running = failure(session.query('SELECT SLEEP(30)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await adminExec('mysql', `KILL ${id}`);
    const error = await running;
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.message).toContain('connection');
    // The session stays unusable but keeps failing politely, and closes without throwing.
    const next = await failure(session.execute('SELECT 1'));
    expect(next).toBeInstanceOf(DatabaseError);
    expect(next.message).toContain('was lost');
    await session.close();
  });

  it('survives an idle connection killed from another session', async () => {
    const { session } = await connect();
    await adminExec('mysql', `KILL ${(session as MysqlSession).connectionId}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const error = await failure(session.query('SELECT 1'));
    expect(error).toBeInstanceOf(DatabaseError);
  });
});

describe('connecting to MySQL', () => {
  it('a refused port is DATABASE_UNAVAILABLE saying nothing listens there', async () => {
    const error = await failure(connect('mysql://root@127.0.0.1:1/whatever'));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain('connection refused');
  });

  it('an unknown database suggests CREATE DATABASE', async () => {
    const error = await failure(connect(urlWith({ pathname: '/stratum_t_missing_db' })));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect(error.message).toContain('CREATE DATABASE `stratum_t_missing_db`');
    expect(error.message).toContain('1049');
  });

  it('an unknown database opens as an empty stand-in for read-only commands', async () => {
    const url = urlWith({ pathname: '/stratum_t_missing_db' });
    const connection = await mysqlAdapter.open!({ url, baseDir: '/', create: false, emptyIfMissing: true });
    open.push(connection);
    expect(connection.missing).toBe(true);
    expect(await connection.session.tableExists('stratum_version')).toBe(false);
  });

  it('TLS required by the URL but not offered by the server is refused clearly', async () => {
    const error = await failure(connect(urlWith({ search: '?ssl=required' })));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect(error.message).toContain('does not offer it');
  });

  it('refuses unknown URL parameters and URLs without a database', async () => {
    await expect(connect(urlWith({ search: '?sslmode=require' }))).rejects.toMatchObject({
      code: 'URL_INVALID',
    });
    await expect(connect(urlWith({ pathname: '/' }))).rejects.toMatchObject({ code: 'URL_INVALID' });
  });

  describe('with a password-protected user', () => {
    const user = 'stratum_t_pw';
    const password = 'c0rrect-h0rse-Battery';
    beforeAll(async () => {
      await adminExec('mysql', `DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
      for (const host of ['%', 'localhost']) {
        await adminExec('mysql', `CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
        await adminExec('mysql', `GRANT ALL ON \`${db.name}\`.* TO '${user}'@'${host}'`);
      }
    });
    afterAll(async () => {
      await adminExec('mysql', `DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
    });

    it('a wrong password is DATABASE_UNAVAILABLE that never shows the password', async () => {
      const wrong = 'Wr0ng-pa55word-here';
      const error = await failure(connect(urlWith({ username: user, password: wrong })));
      expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
      expect(error.message).toContain('1045');
      expect(error.message).toContain(user);
      expect(error.message).not.toContain(wrong);
      expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain(wrong);
      expect(error.message).toContain('***');
    });

    it('the right password works from the URL and from ~/.my.cnf, and is not in the description', async () => {
      const fromUrl = await connect(urlWith({ username: user, password: encodeURIComponent(password) }));
      expect(await fromUrl.session.databaseUser()).toMatch(new RegExp(`^${user}@`));
      expect(fromUrl.session.description).not.toContain(password);

      const home = mkdtempSync(path.join(tmpdir(), 'stratum-mycnf-'));
      dirs.push(home);
      writeFileSync(
        path.join(home, '.my.cnf'),
        `[mysql]\npassword=nope\n[client]\npassword = "${password}"\n`,
      );
      const fromFile = await connect(urlWith({ username: user }), { HOME: home });
      expect(await fromFile.session.databaseUser()).toMatch(new RegExp(`^${user}@`));

      const missing = await failure(connect(urlWith({ username: user }), { HOME: '/nonexistent' }));
      expect(missing.message).toContain('without a password');
    });
  });
});
