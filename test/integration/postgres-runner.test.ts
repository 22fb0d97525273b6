/**
 * The run engine on the real local PostgreSQL server, through the commands (`upgrade`,
 * `downgrade`): a temp project with `"dialect": "postgres"` per test, `--url` = this file's scratch
 * database, whose `public` schema is emptied before each test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chainFile, writeRevisionChain, type ChainRevision } from '../support/revision-chain.ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downgrade, upgrade } from '../../electron/commands/run-migrations.ts';
import { postgresAdapter } from '../../electron/dialects/postgres/adapter.ts';
import { readJournal } from '../../electron/engine/run/version-reader.ts';
import type { DatabaseConnection } from '../../electron/engine/ports.ts';
import type { RunEvent } from '../../shared/model/run-event.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

const TABLES = { version: 'stratum_version', journal: 'stratum_journal' };
const R = ['b00000000001', 'b00000000002', 'b00000000003'] as const;

let db: TestDatabase;
let reader: DatabaseConnection;
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('postgres', 'pg_runner');
  reader = await postgresAdapter.open!({ url: db.url, baseDir: '/tmp', create: false, env: {} });
});
afterAll(async () => {
  await reader.session.close();
  await db.drop();
});
beforeEach(async () => {
  await reader.session.execute('DROP SCHEMA public CASCADE');
  await reader.session.execute('CREATE SCHEMA public');
});
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Spec = ChainRevision;

const fileOf = chainFile;

/** A temp postgres project holding `specs` as a chain of revisions, run against `db`. */
function project(specs: readonly Spec[]) {
  const root = mkdtempSync(path.join(tmpdir(), 'stratum-pg-runner-'));
  dirs.push(root);
  writeRevisionChain(root, specs);
  writeFileSync(
    path.join(root, 'stratum.json'),
    JSON.stringify({ migrations: 'migrations', dialect: 'postgres' }),
  );
  const options = { cwd: root, env: {}, url: db.url, lockTimeoutMs: 5_000 };
  return {
    upgrade: (onEvent?: (event: RunEvent) => void) =>
      upgrade({ ...options, target: 'heads', ...(onEvent === undefined ? {} : { onEvent }) }),
    downgrade: (target: string) => downgrade({ ...options, target }),
  };
}

async function tables(): Promise<string[]> {
  const rows = await reader.session.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((r) => r.tablename as string);
}

async function heads(): Promise<string[]> {
  const rows = await reader.session.query('SELECT revision FROM stratum_version ORDER BY revision');
  return rows.map((r) => r.revision as string);
}

const journal = () => readJournal(reader.session, postgresAdapter, TABLES);

const THREE: Spec[] = [
  { id: R[0], up: 'CREATE TABLE users (id integer PRIMARY KEY, name text);', down: 'DROP TABLE users;' },
  {
    id: R[1],
    up: 'CREATE TABLE posts (id integer PRIMARY KEY);\nALTER TABLE userz ADD COLUMN email text;',
    down: 'DROP TABLE posts;',
  },
  { id: R[2], up: 'CREATE TABLE tags (id integer PRIMARY KEY);', down: 'DROP TABLE tags;' },
];
const GOOD = THREE.map((s, i) =>
  i === 1 ? { ...s, up: 'CREATE TABLE posts (id integer PRIMARY KEY);' } : s,
);

describe('upgrade and downgrade on PostgreSQL', () => {
  it('applies everything and journals the database user, with a dollar-quoted function', async () => {
    const specs = GOOD.map((s, i) =>
      i === 2
        ? {
            ...s,
            up: `${s.up}\nCREATE FUNCTION tag_count() RETURNS bigint AS $$\n  SELECT count(*) FROM tags;\n$$ LANGUAGE sql;`,
            down: 'DROP FUNCTION tag_count();\nDROP TABLE tags;',
          }
        : s,
    );
    const p = project(specs);
    const { report, database } = await p.upgrade();
    expect(database.url).toBe(db.url);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await heads()).toEqual([R[2]]);
    expect(await tables()).toEqual(['posts', 'stratum_journal', 'stratum_version', 'tags', 'users']);
    const rows = await journal();
    expect(rows.map((r) => [r.revision, r.direction, r.status, r.dbUser])).toEqual([
      [R[0], 'up', 'succeeded', 'postgres'],
      [R[1], 'up', 'succeeded', 'postgres'],
      [R[2], 'up', 'succeeded', 'postgres'],
    ]);
    for (const row of rows) {
      expect(row.statementsDone).toBe(row.statementsTotal);
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
      expect(row.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    const again = await p.upgrade();
    expect(again.report).toMatchObject({ ok: true, steps: [], headsAfter: [R[2]] });
  });

  it('a bad statement in revision 2 of 3: 1 applied, 2 rolled back and journaled failed, 3 not run', async () => {
    const p = project(THREE);
    const { report } = await p.upgrade();
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.status, s.rolledBack])).toEqual([
      ['applied', false],
      ['failed', true],
      ['notRun', false],
    ]);
    const file = fileOf(1, R[1]);
    expect(report.steps[1]!.error).toMatchObject({
      code: 'STATEMENT_FAILED',
      message: `${file}:8: statement 2 of 2 failed on postgres: relation "userz" does not exist (42P01)`,
      details: { file, line: 8, index: 1, dialect: 'postgres', nativeCode: '42P01' },
    });
    expect(await heads()).toEqual([R[0]]);
    // The first statement of revision 2 (CREATE TABLE posts) was rolled back with it.
    expect(await tables()).toEqual(['stratum_journal', 'stratum_version', 'users']);
    const rows = await journal();
    expect(rows.map((r) => [r.revision, r.status, r.statementsDone, r.dbUser])).toEqual([
      [R[0], 'succeeded', 1, 'postgres'],
      [R[1], 'failed', 1, 'postgres'],
    ]);
    expect(rows[1]!.error).toBe(`${file}:8: relation "userz" does not exist`);
    expect(rows[1]!.finishedAt).not.toBeNull();
  });

  it('runs a transaction: none revision with CREATE INDEX CONCURRENTLY under the lock', async () => {
    const p = project([
      GOOD[0]!,
      {
        id: R[1],
        transaction: 'none',
        up: 'CREATE INDEX CONCURRENTLY users_name ON users (name);\nCREATE INDEX CONCURRENTLY users_id_name ON users (id, name);',
        down: 'DROP INDEX CONCURRENTLY users_id_name;\nDROP INDEX CONCURRENTLY users_name;',
      },
    ]);
    const events: RunEvent[] = [];
    const { report } = await p.upgrade((event) => events.push(event));
    expect(report.ok).toBe(true);
    expect(events.some((e) => e.kind === 'stepStarted' && e.transaction === 'none')).toBe(true);
    const indexes = await reader.session.query(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND indexname <> 'users_pkey' ORDER BY 1",
    );
    expect(indexes).toEqual([{ indexname: 'users_id_name' }, { indexname: 'users_name' }]);
    expect((await journal()).map((r) => [r.status, r.statementsDone, r.statementsTotal])).toEqual([
      ['succeeded', 1, 1],
      ['succeeded', 2, 2],
    ]);

    const down = await p.downgrade('base');
    expect(down.report.ok).toBe(true);
    expect(await tables()).toEqual(['stratum_journal', 'stratum_version']);
  });

  it('downgrades back to base, leaving only the two Stratum tables', async () => {
    const p = project(GOOD);
    expect((await p.upgrade()).report.ok).toBe(true);
    const { report } = await p.downgrade('base');
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.revision, s.direction, s.status])).toEqual([
      [R[2], 'down', 'applied'],
      [R[1], 'down', 'applied'],
      [R[0], 'down', 'applied'],
    ]);
    expect(await tables()).toEqual(['stratum_journal', 'stratum_version']);
    expect(await heads()).toEqual([]);
    const rows = await journal();
    expect(rows.map((r) => [r.direction, r.status, r.dbUser])).toEqual([
      ...Array(3).fill(['up', 'succeeded', 'postgres']),
      ...Array(3).fill(['down', 'succeeded', 'postgres']),
    ]);
    expect(rows.at(-1)).toMatchObject({ revision: R[0], fromHeads: [R[0]], toHeads: [] });
  });
});
