/**
 * Bad input on the real PostgreSQL and MariaDB servers, through `stratum` run as a real process:
 * a user without the privilege to create the version table, a connection the server drops in the
 * middle of a revision (pg_terminate_backend / KILL), and the connection failures the CLI must
 * report with exit 1 on stderr without ever printing the password. Every case checks the message,
 * the journal, and that a retry applies nothing twice.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { killChildren, removeTempDirs, runCli, startCli } from './fixtures/process/harness.ts';
import {
  serverProject,
  waitForAsync,
  type ServerRevision,
} from './fixtures/server-failures/server-project.ts';
import { adminExec, createTestDatabase, TEST_SERVERS, type TestDatabase } from '../support/test-databases.ts';

const R1 = 'f1f1f1f1f1f1';
const R2 = 'f2f2f2f2f2f2';
const R3 = 'f3f3f3f3f3f3';

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

/** One query as the administrator on database `name`, rows back. */
async function adminQuery(
  dialect: 'postgres' | 'mysql',
  name: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const url = new URL(TEST_SERVERS[dialect]);
  url.pathname = `/${name}`;
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection({ uri: url.href });
  try {
    const [rows] = await connection.query(sql);
    return rows as Record<string, unknown>[];
  } finally {
    await connection.end();
  }
}

/** The journal as (revision, direction, status), oldest first. */
async function journal(db: TestDatabase): Promise<{ revision: string; direction: string; status: string }[]> {
  const rows = await adminQuery(
    db.dialect,
    db.name,
    'SELECT revision, direction, status, statements_done FROM stratum_journal ORDER BY id',
  );
  return rows.map((r) => ({
    revision: String(r.revision),
    direction: String(r.direction),
    status: String(r.status),
    statementsDone: Number(r.statements_done),
  }));
}

async function heads(db: TestDatabase): Promise<string[]> {
  const rows = await adminQuery(
    db.dialect,
    db.name,
    'SELECT revision FROM stratum_version ORDER BY revision',
  );
  return rows.map((r) => String(r.revision));
}

async function tables(db: TestDatabase): Promise<string[]> {
  const sql =
    db.dialect === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
      : 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1';
  return (await adminQuery(db.dialect, db.name, sql)).map((r) => String(r.name));
}

/** Exactly one succeeded `up` row per revision, and nothing else. */
function expectAppliedOnce(rows: { revision: string; direction: string; status: string }[], revs: string[]) {
  for (const rev of revs) {
    expect(
      rows.filter((r) => r.revision === rev && r.direction === 'up' && r.status === 'succeeded'),
    ).toHaveLength(1);
  }
}

/** A URL of `db` as another user (and optionally a password). */
function urlAs(db: TestDatabase, user: string, password?: string): string {
  const url = new URL(db.url);
  url.username = user;
  if (password !== undefined) url.password = password;
  return url.href;
}

describe('a user without the privilege to create the version table', () => {
  it('PostgreSQL: exit 1 naming the table and the CREATE privilege; nothing recorded', async () => {
    const db = await createTestDatabase('postgres', 'noddl');
    const role = `stratum_t_noddl_${randomBytes(4).toString('hex')}`;
    try {
      await adminExec('postgres', `CREATE ROLE ${role} LOGIN`);
      await adminExec('postgres', `GRANT CONNECT ON DATABASE "${db.name}" TO ${role}`);
      // PostgreSQL 15 no longer grants CREATE on public to PUBLIC; make sure of it whatever the version.
      await adminQuery('postgres', db.name, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      const project = serverProject('pg-noddl', 'postgres', [
        { id: R1, up: 'CREATE TABLE one (x integer);' },
      ]);
      const result = await runCli(project, ['--url', urlAs(db, role), 'upgrade', 'head']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('permission denied for schema public');
      expect(result.stderr).toContain('stratum_version');
      expect(result.stderr).toContain('CREATE privilege on schema public');
      expect(await tables(db)).toEqual([]);
    } finally {
      await db.drop();
      await adminExec('postgres', `DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('MariaDB: exit 1 with the server\u2019s 1142 message naming the table; nothing recorded', async () => {
    const db = await createTestDatabase('mysql', 'noddl');
    const user = `stratum_t_ro_${randomBytes(4).toString('hex')}`;
    const hosts = ['%', 'localhost'];
    try {
      for (const host of hosts) {
        await adminExec('mysql', `CREATE USER '${user}'@'${host}'`);
        await adminExec('mysql', `GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'${host}'`);
      }
      const project = serverProject('my-noddl', 'mysql', [{ id: R1, up: 'CREATE TABLE one (x integer);' }]);
      const result = await runCli(project, ['--url', urlAs(db, user), 'upgrade', 'head']);
      expect(result.code).toBe(1);
      // ER_TABLEACCESS_DENIED_ERROR (1142): "CREATE command denied to user … for table `db`.`stratum_version`".
      expect(result.stderr).toMatch(
        /CREATE command denied to user '[^']+'@'[^']+' for table `[^`]+`\.`stratum_version`/,
      );
      expect(await tables(db)).toEqual([]);
    } finally {
      await db.drop();
      await adminExec('mysql', `DROP USER IF EXISTS ${hosts.map((h) => `'${user}'@'${h}'`).join(', ')}`);
    }
  });
});

describe('the server drops the connection in the middle of a revision', () => {
  let pgDb: TestDatabase;
  let myDb: TestDatabase;
  beforeAll(async () => {
    pgDb = await createTestDatabase('postgres', 'conn_lost');
    myDb = await createTestDatabase('mysql', 'conn_lost');
  });
  afterAll(async () => {
    await pgDb?.drop();
    await myDb?.drop();
  });

  const chain = (sleep: string): ServerRevision[] => [
    { id: R1, up: 'CREATE TABLE one (x integer);' },
    { id: R2, up: `CREATE TABLE two (x integer);\n${sleep};\nCREATE TABLE two_b (x integer);` },
    { id: R3, up: 'CREATE TABLE three (x integer);' },
  ];

  it('PostgreSQL (pg_terminate_backend): exit 1, revision 2 rolled back, the retry applies 2 and 3 once', async () => {
    const project = serverProject('pg-killed', 'postgres', chain('SELECT pg_sleep(3)'));
    const args = ['--url', pgDb.url, 'upgrade', 'head'];
    const cli = startCli(project, args);
    const terminated = await waitForAsync('the pg_sleep statement to run', async () => {
      const rows = await adminQuery(
        'postgres',
        'postgres',
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'stratum' " +
          "AND query LIKE '%pg_sleep%' AND state = 'active'",
      );
      return rows.length > 0 || cli.child.exitCode !== null;
    });
    expect(terminated).toBe(true);
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('was lost while the statement ran');
    expect(result.stderr).toContain(`${R2} was rolled back`);
    expect(result.stderr).toContain('terminating connection due to administrator command');

    expect(await heads(pgDb)).toEqual([R1]);
    expect(await tables(pgDb)).not.toContain('two');
    const afterKill = await journal(pgDb);
    expectAppliedOnce(afterKill, [R1]);
    // The killed revision left no applied trace: its row, if any, is not "succeeded".
    expect(afterKill.filter((r) => r.revision === R2 && r.status === 'succeeded')).toEqual([]);
    expect(afterKill.filter((r) => r.revision === R3)).toEqual([]);

    const retry = await runCli(project, args);
    expect(retry.code, retry.stderr).toBe(0);
    expect(await heads(pgDb)).toEqual([R3]);
    expect(await tables(pgDb)).toEqual(expect.arrayContaining(['one', 'two', 'two_b', 'three']));
    const final = await journal(pgDb);
    expectAppliedOnce(final, [R1, R2, R3]);
    // Nothing is left half-recorded: every row has finished one way or the other.
    expect(final.filter((r) => r.status === 'running' || r.status === 'dirty')).toEqual([]);
  });

  it('MariaDB (KILL): exit 1, the dirty row says what ran, and after resolve everything is applied once', async () => {
    const project = serverProject('my-killed', 'mysql', chain('SELECT SLEEP(3)'));
    const args = ['--url', myDb.url, 'upgrade', 'head'];
    const cli = startCli(project, args);
    const killed = await waitForAsync('the SLEEP statement to run', async () => {
      const rows = await adminQuery(
        'mysql',
        'mysql',
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(3)%' AND INFO NOT LIKE '%PROCESSLIST%'",
      );
      if (rows.length === 0) return cli.child.exitCode !== null ? 'exited' : false;
      for (const row of rows) await adminExec('mysql', `KILL ${Number(row.id)}`);
      return 'killed';
    });
    expect(killed).toBe('killed');
    const result = await cli.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('was lost (Connection lost: The server closed the connection.)');
    expect(result.stderr).toContain('statements that completed before stay applied');
    // The journal cannot be read back on the dead connection: the CLI must not claim a rollback.
    expect(result.stderr).not.toContain(`${R2} was rolled back`);
    expect(result.stderr).toContain('could not check which of its statements stayed applied');
    expect(result.stderr).toContain('run `stratum status`');

    // Statement 1 of revision 2 (CREATE TABLE two) committed implicitly before the kill; the version
    // table still says revision 1.
    expect(await heads(myDb)).toEqual([R1]);
    const names = await tables(myDb);
    expect(names).toContain('two');
    expect(names).not.toContain('two_b');
    const afterKill = await journal(myDb);
    expectAppliedOnce(afterKill, [R1]);
    const r2 = afterKill.filter((r) => r.revision === R2);
    expect(r2).toHaveLength(1);
    // The journal says statement 1 ran and the revision is unfinished (never "succeeded" or
    // "failed with nothing applied").
    expect(r2[0]).toMatchObject({ direction: 'up', statementsDone: 1 });
    expect(['dirty', 'running']).toContain(r2[0]!.status);

    // The next upgrade refuses the half-applied revision (exit 9) instead of running statement 1 again.
    const refused = await runCli(project, args);
    expect(refused.code).toBe(9);
    expect(refused.stderr).toContain(`stratum resolve ${R2}`);

    const resolved = await runCli(project, ['--url', myDb.url, 'resolve', R2, '--resume']);
    expect(resolved.code, resolved.stderr).toBe(0);
    const retry = await runCli(project, args);
    expect(retry.code, retry.stderr).toBe(0);
    expect(await heads(myDb)).toEqual([R3]);
    expect(await tables(myDb)).toEqual(expect.arrayContaining(['one', 'two', 'two_b', 'three']));
    const final = await journal(myDb);
    expectAppliedOnce(final, [R1, R2, R3]);
    expect(final.filter((r) => r.status === 'running' || r.status === 'dirty')).toEqual([]);
  });
});

describe('connection failures at the CLI: exit 1, the reason on stderr, never the password', () => {
  const password = 'S3cret-Pa55-word';

  it('PostgreSQL: refused port, unknown database', async () => {
    const project = serverProject('pg-connect', 'postgres', [
      { id: R1, up: 'CREATE TABLE one (x integer);' },
    ]);
    const refused = await runCli(project, [
      '--url',
      `postgres://postgres:${password}@127.0.0.1:1/whatever?connect_timeout=5`,
      'upgrade',
      'head',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('connection refused');
    expect(refused.stdout + refused.stderr).not.toContain(password);

    const url = new URL(TEST_SERVERS.postgres);
    url.password = password;
    url.pathname = '/stratum_t_no_such_db';
    const missing = await runCli(project, ['--url', url.href, 'upgrade', 'head']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('database "stratum_t_no_such_db" does not exist');
    expect(missing.stdout + missing.stderr).not.toContain(password);
  });

  it('MariaDB: refused port, unknown database, wrong password', async () => {
    const project = serverProject('my-connect', 'mysql', [{ id: R1, up: 'CREATE TABLE one (x integer);' }]);
    const refused = await runCli(project, [
      '--url',
      `mysql://root:${password}@127.0.0.1:1/whatever`,
      'upgrade',
      'head',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('connection refused');
    expect(refused.stdout + refused.stderr).not.toContain(password);

    const missing = await runCli(project, [
      '--url',
      'mysql://root@127.0.0.1:3306/stratum_t_no_such_db',
      'upgrade',
      'head',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('1049');

    const db = await createTestDatabase('mysql', 'pw');
    const user = `stratum_t_pw_${randomBytes(4).toString('hex')}`;
    const hosts = ['%', 'localhost'];
    try {
      for (const host of hosts)
        await adminExec('mysql', `CREATE USER '${user}'@'${host}' IDENTIFIED BY 'right-one'`);
      const wrong = await runCli(project, ['--url', urlAs(db, user, password), 'upgrade', 'head']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('1045');
      expect(wrong.stderr).toContain(user);
      expect(wrong.stdout + wrong.stderr).not.toContain(password);
      // The password given in the environment's URL, through DATABASE_URL, is not printed either.
      const viaEnv = await runCli(project, ['upgrade', 'head'], {
        env: { ...process.env, NO_COLOR: '1', DATABASE_URL: urlAs(db, user, password) },
      });
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.stdout + viaEnv.stderr).not.toContain(password);
    } finally {
      await db.drop();
      await adminExec('mysql', `DROP USER IF EXISTS ${hosts.map((h) => `'${user}'@'${h}'`).join(', ')}`);
    }
  });
});
