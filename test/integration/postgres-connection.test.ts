/**
 * PostgreSQL sessions on the real local server (test/support/test-databases.ts): statements,
 * SQLSTATEs, connection failures worded for the user, and connections that die mid-run.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import { DatabaseError } from '../../electron/engine/ports.ts';
import type { DatabaseConnection } from '../../electron/engine/ports.ts';
import { postgresAdapter } from '../../electron/dialects/postgres/adapter.ts';
import { adminExec, createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

let db: TestDatabase;
const open: DatabaseConnection[] = [];

beforeAll(async () => {
  db = await createTestDatabase('postgres', 'pg_connection');
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  for (const connection of open.splice(0)) await connection.session.close();
});

async function connect(url = db.url): Promise<DatabaseConnection> {
  const connection = await postgresAdapter.open!({ url, baseDir: '/tmp', create: true, env: {} });
  open.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );
}

/** `db.url` with another user-info, host:port, database or query. */
function variant(parts: { auth?: string; hostPort?: string; database?: string; query?: string }): string {
  const url = new URL(db.url);
  return `postgres://${parts.auth ?? 'postgres'}@${parts.hostPort ?? url.host}/${parts.database ?? db.name}${parts.query ?? ''}`;
}

describe('PostgresSession', () => {
  it('executes, queries, finds tables in the current schema and names the user', async () => {
    const { session } = await connect();
    expect(session.dialect).toBe('postgres');
    expect(session.description).toBe(`postgres://postgres@127.0.0.1:5432/${db.name}`);
    await session.execute('CREATE TABLE items (id integer PRIMARY KEY, name text)');
    await session.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
    await session.execute(
      'CREATE FUNCTION twice(x integer) RETURNS integer AS $body$ BEGIN RETURN x * 2; END; $body$ LANGUAGE plpgsql',
    );
    expect(await session.query('SELECT id, name, twice(id) AS t FROM items ORDER BY id')).toEqual([
      { id: 1, name: 'a', t: 2 },
      { id: 2, name: 'b', t: 4 },
    ]);
    expect(await session.query('UPDATE items SET name = name')).toEqual([]);
    await session.execute('-- only a comment');
    await session.execute('DROP TABLE IF EXISTS not_there'); // a NOTICE, not an error
    expect(await session.tableExists('items')).toBe(true);
    expect(await session.tableExists('missing')).toBe(false);
    await session.execute('CREATE TABLE "Mixed" (x integer)');
    expect(await session.tableExists('Mixed')).toBe(true);
    expect(await session.tableExists('mixed')).toBe(false);
    await session.execute('CREATE SCHEMA other');
    await session.execute('CREATE TABLE other.elsewhere (x integer)');
    expect(await session.tableExists('elsewhere')).toBe(false);
    expect(await session.databaseUser()).toBe('postgres');
    expect(await session.query("SELECT current_setting('application_name') AS app")).toEqual([
      { app: 'stratum' },
    ]);
    // The server notices a killed client within a second (PostgreSQL 14+), releasing its lock.
    expect(
      await session.query("SELECT current_setting('client_connection_check_interval') AS every"),
    ).toEqual([{ every: '1s' }]);
  });

  it('keeps the SQLSTATE and shows where in the statement it failed', async () => {
    const { session } = await connect();
    const missing = await failure(session.query('SELECT *\nFROM no_such_table'));
    expect(missing).toBeInstanceOf(DatabaseError);
    expect((missing as DatabaseError).nativeCode).toBe('42P01');
    expect((missing as Error).message).toBe(
      'relation "no_such_table" does not exist (at line 2, column 6 of the statement)',
    );
    await session.execute('CREATE TABLE u (x integer UNIQUE)');
    await session.execute('INSERT INTO u VALUES (1)');
    const unique = await failure(session.execute('INSERT INTO u VALUES (1)'));
    expect((unique as DatabaseError).nativeCode).toBe('23505');
    expect((unique as Error).message).toContain('Detail: Key (x)=(1) already exists.');
  });

  it('runs CREATE INDEX CONCURRENTLY through execute (simple query protocol)', async () => {
    const { session } = await connect();
    await session.execute('CREATE TABLE big (id integer, v text)');
    await session.execute('CREATE INDEX CONCURRENTLY big_v ON big (v)');
    expect(await session.query("SELECT indexname FROM pg_indexes WHERE tablename = 'big'")).toEqual([
      { indexname: 'big_v' },
    ]);
  });

  it('turns a connection killed while idle into a DatabaseError on the next statement, not a crash', async () => {
    const { session } = await connect();
    const [{ pid }] = (await session.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    await adminExec('postgres', `SELECT pg_terminate_backend(${pid})`);
    // Let the server's goodbye arrive while the session is idle.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await failure(session.query('SELECT 1'));
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).nativeCode).toBe('57P01');
    expect((error as Error).message).toContain('was lost');
    expect((error as Error).message).toContain('terminating connection');
    await session.close();
  });

  it('fails the statement that is running when its connection is killed', async () => {
    const { session } = await connect();
    const [{ pid }] = (await session.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
    const running = failure(session.execute('SELECT pg_sleep(30)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await adminExec('postgres', `SELECT pg_terminate_backend(${pid})`);
    const error = await running;
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).nativeCode).toBe('57P01');
    expect(await failure(session.execute('SELECT 1'))).toBeInstanceOf(DatabaseError);
  });
});

describe('connection failures', () => {
  async function unavailable(url: string): Promise<Error & { details: { reason: string } }> {
    const error = await failure(connect(url));
    expect(isEngineError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).not.toContain('hunter2');
    expect(JSON.stringify((error as { details: unknown }).details)).not.toContain('hunter2');
    return error as Error & { details: { reason: string } };
  }

  it('says the server is not running on a refused port, quickly', async () => {
    const started = Date.now();
    const error = await unavailable(variant({ auth: 'postgres:hunter2', hostPort: '127.0.0.1:1' }));
    expect(error.message).toBe(
      `Cannot connect to the PostgreSQL database postgres://postgres@127.0.0.1:1/${db.name}: connection ` +
        'refused. Is the server running on 127.0.0.1:1 and accepting TCP connections (listen_addresses, port)?',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up on a server that never answers after connect_timeout', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await unavailable(
        variant({ hostPort: `127.0.0.1:${port}`, query: '?connect_timeout=1' }),
      );
      expect(error.details.reason).toContain('no answer within 1 s');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('suggests creating a database that does not exist', async () => {
    const error = await unavailable(variant({ auth: 'postgres:hunter2', database: `${db.name}_nope` }));
    expect(error.details.reason).toBe(
      `database "${db.name}_nope" does not exist. Create it first (CREATE DATABASE "${db.name}_nope"; or ` +
        `\`createdb -h 127.0.0.1 -p 5432 -U postgres ${db.name}_nope\`), or fix the database name in the URL.`,
    );
  });

  it('says the server does not support SSL when sslmode=require, and prefer falls back', async () => {
    const { session } = await connect();
    // The local server runs without SSL; this test is about that case.
    expect(await session.query('SHOW ssl')).toEqual([{ ssl: 'off' }]);
    const error = await unavailable(variant({ auth: 'postgres:hunter2', query: '?sslmode=require' }));
    expect(error.details.reason).toContain('the server does not support SSL');
    expect(error.details.reason).toContain('sslmode=require');
    const preferred = await connect(variant({ query: '?sslmode=prefer' }));
    expect(await preferred.session.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('accepts a password in the URL (trust auth on 127.0.0.1 here, so any password works)', async () => {
    // The server's pg_hba.conf trusts 127.0.0.1, so a wrong password cannot be provoked here; 28P01
    // is provoked on a scratch cluster in tls-and-auth.test.ts.
    await adminExec('postgres', 'DROP ROLE IF EXISTS stratum_t_pw');
    await adminExec('postgres', "CREATE ROLE stratum_t_pw LOGIN PASSWORD 'secret'");
    try {
      const { session } = await connect(variant({ auth: 'stratum_t_pw:secret' }));
      expect(await session.databaseUser()).toBe('stratum_t_pw');
      await session.close();
    } finally {
      await adminExec('postgres', 'DROP ROLE IF EXISTS stratum_t_pw');
    }
  });
});
