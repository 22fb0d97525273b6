/**
 * A migration statement blocked by a table lock the application holds (an open transaction on
 * `users`), on the real PostgreSQL and MariaDB servers through `stratum` run as a real process:
 * `--lock-timeout` bounds the wait (PostgreSQL `lock_timeout`, MySQL `lock_wait_timeout`), the run
 * exits 7 (LOCKED) naming the lock and --lock-timeout, nothing is applied, and once the holder lets
 * go the same command succeeds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { killChildren, removeTempDirs, runCli } from './fixtures/process/harness.ts';
import { serverProject } from './fixtures/server-failures/server-project.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

const R1 = 'a1b1c1d1e1f1';
const R2 = 'a2b2c2d2e2f2';
const REVISIONS = [
  { id: R1, up: 'CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1);' },
  { id: R2, up: 'ALTER TABLE users ADD COLUMN x int;' },
];

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

/** A client of `db` for the test's own statements (the "application"). */
interface Client {
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function connect(db: TestDatabase): Promise<Client> {
  if (db.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    return {
      query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
      close: () => client.end(),
    };
  }
  const connection = await mysql.createConnection({ uri: db.url });
  connection.on('error', () => undefined);
  return {
    query: async (sql) => (await connection.query(sql))[0] as Record<string, unknown>[],
    close: () => connection.end(),
  };
}

async function withClient<T>(db: TestDatabase, action: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(db);
  try {
    return await action(client);
  } finally {
    await client.close();
  }
}

const heads = (db: TestDatabase): Promise<string[]> =>
  withClient(db, async (c) =>
    (await c.query('SELECT revision FROM stratum_version ORDER BY revision')).map((r) => String(r.revision)),
  );

const journal = (db: TestDatabase): Promise<{ revision: string; status: string; done: number }[]> =>
  withClient(db, async (c) =>
    (await c.query('SELECT revision, status, statements_done FROM stratum_journal ORDER BY id')).map((r) => ({
      revision: String(r.revision),
      status: String(r.status),
      done: Number(r.statements_done),
    })),
  );

const userColumns = (db: TestDatabase): Promise<string[]> =>
  withClient(db, async (c) => {
    const sql =
      db.dialect === 'postgres'
        ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY 1"
        : "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' ORDER BY 1";
    return (await c.query(sql)).map((r) => String(r.name));
  });

/**
 * The whole scenario on one server: R1 applied, then a holder with an open transaction on `users`
 * blocks R2's ALTER TABLE until --lock-timeout 2 runs out; released, the same command applies R2.
 */
async function blockedThenApplied(
  dialect: 'postgres' | 'mysql',
  holderSql: readonly string[],
): Promise<void> {
  const db = await createTestDatabase(dialect, 'tablelock');
  try {
    const project = serverProject('table-lock', dialect, REVISIONS);
    const first = await runCli(project, ['--url', db.url, 'upgrade', R1]);
    expect(first.code, first.stderr).toBe(0);

    const holder = await connect(db);
    try {
      for (const sql of holderSql) await holder.query(sql);

      const args = ['--project', project, '--url', db.url, 'upgrade', 'head', '--lock-timeout', '2'];
      const blocked = await runCli(project, args);
      expect(blocked.code, blocked.stderr).toBe(7);
      expect(blocked.ms).toBeLessThan(30_000);
      expect(blocked.stderr).toMatch(/lock/i);
      expect(blocked.stderr).toContain('--lock-timeout');
      expect(blocked.stderr).toContain(R2);
      expect(blocked.stderr).not.toContain('INTERNAL');
      if (dialect === 'postgres') {
        expect(blocked.stderr).toMatch(/lock_timeout/);
        expect(blocked.stderr).toMatch(/pg_stat_activity/);
      } else {
        expect(blocked.stderr).toMatch(/SHOW PROCESSLIST/);
      }

      // Nothing applied: the version table still names R1, the column is not there.
      expect(await heads(db)).toEqual([R1]);
      expect(await userColumns(db)).toEqual(['id']);
      // MySQL: the ALTER TABLE committed the journal row implicitly before it waited; no statement
      // completed, so the row is failed, not dirty. PostgreSQL: rolled back, journaled as failed.
      const rows = (await journal(db)).filter((r) => r.revision === R2);
      expect(rows).toEqual([{ revision: R2, status: 'failed', done: 0 }]);
      expect((await journal(db)).some((r) => r.status === 'dirty')).toBe(false);

      await holder.query('ROLLBACK');
    } finally {
      await holder.close();
    }

    const retry = await runCli(project, [
      '--project',
      project,
      '--url',
      db.url,
      'upgrade',
      'head',
      '--lock-timeout',
      '2',
    ]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(await heads(db)).toEqual([R2]);
    expect(await userColumns(db)).toEqual(['id', 'x']);
    expect((await journal(db)).filter((r) => r.revision === R2 && r.status === 'succeeded')).toHaveLength(1);
  } finally {
    await db.drop();
  }
}

describe('PostgreSQL: a statement waiting for a table lock another session holds', () => {
  it('exits 7 after --lock-timeout (lock_timeout, 55P03), applies nothing, then succeeds once released', async () => {
    await blockedThenApplied('postgres', ['BEGIN', 'SELECT * FROM users FOR UPDATE']);
  }, 60_000);
});

describe('MySQL/MariaDB: a statement waiting for a metadata lock another session holds', () => {
  it('exits 7 after --lock-timeout (lock_wait_timeout, 1205), journal failed not dirty, then succeeds once released', async () => {
    await blockedThenApplied('mysql', ['START TRANSACTION', 'SELECT * FROM users FOR UPDATE']);
  }, 60_000);
});
