/**
 * Runs on a real MariaDB through the commands (`upgrade`, `downgrade`, `resolve`): a temp project
 * per test with `"dialect": "mysql"` and `--url` pointing at this file's scratch database. MySQL
 * commits DDL implicitly, so a revision failing at statement 2 of 3 leaves statement 1 applied and
 * its journal row `dirty`, which blocks further runs until `stratum resolve` settles it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveDirty } from '../../electron/commands/resolve-dirty.ts';
import { downgrade, upgrade } from '../../electron/commands/run-migrations.ts';
import { exitCodeFor, type ErrorCode } from '../../shared/contract/error-codes.ts';
import type { ResolveAction } from '../../shared/model/resolve-report.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

const A = 'a1a1a1a1a1a1';
const B = 'b2b2b2b2b2b2';
const C = 'c3c3c3c3c3c3';
const B_FILE = `migrations/20260102T0000_${B}_audit.sql`;

/** A trigger body between DELIMITER directives, as the mysql client takes it. */
const POSTS_UP = [
  'CREATE TABLE posts (id INT, title VARCHAR(40));',
  'DELIMITER //',
  'CREATE TRIGGER posts_title BEFORE INSERT ON posts FOR EACH ROW',
  'BEGIN',
  "  IF NEW.title IS NULL THEN SET NEW.title = 'untitled'; END IF;",
  'END//',
  'DELIMITER ;',
].join('\n');

let db: TestDatabase;
let admin: mysql.Connection;
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('mysql', 'runner');
  admin = await mysql.createConnection({ uri: db.url, dateStrings: true });
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});
beforeEach(async () => {
  // One database for the file: every test starts from an empty one.
  const [rows] = await admin.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [db.name],
  );
  for (const { name } of rows as { name: string }[]) await admin.query(`DROP TABLE \`${name}\``);
});
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function revisionFile(id: string, parent: string, message: string, up: string, down: string): string {
  return [
    `-- revision: ${id}`,
    `-- parents: ${parent}`,
    `-- message: ${message}`,
    '',
    '-- migrate:up',
    up,
    '',
    '-- migrate:down',
    down,
    '',
  ].join('\n');
}

/** Three revisions; B's statement 2 inserts into `legacy_events`, which exists only if the test made it. */
function project(bStatement2 = "INSERT INTO users (id, name) VALUES (1, 'ada');") {
  const root = mkdtempSync(path.join(tmpdir(), 'stratum-mysql-runner-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'migrations'));
  writeFileSync(
    path.join(root, 'stratum.json'),
    JSON.stringify({ migrations: 'migrations', dialect: 'mysql', environments: {} }),
  );
  const write = (file: string, text: string): void => writeFileSync(path.join(root, file), text);
  write(
    `migrations/20260101T0000_${A}_users.sql`,
    revisionFile(
      A,
      '',
      'users',
      'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40));',
      'DROP TABLE users;',
    ),
  );
  write(
    B_FILE,
    revisionFile(
      B,
      A,
      'audit',
      [
        'CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));',
        bStatement2,
        'CREATE TABLE audit_archive (id INT);',
      ].join('\n'),
      'DROP TABLE audit_archive;\nDROP TABLE audit;',
    ),
  );
  write(
    `migrations/20260103T0000_${C}_posts.sql`,
    revisionFile(C, B, 'posts', POSTS_UP, 'DROP TABLE posts;'),
  );
  const options = { cwd: root, env: {}, url: db.url, lockTimeoutMs: 5000 };
  return {
    up: (target = 'head') => upgrade({ ...options, target }),
    down: (target: string) => downgrade({ ...options, target }),
    resolve: (action: ResolveAction) => resolveDirty({ ...options, revision: B, action }),
  };
}

async function sql<T = Record<string, unknown>>(query: string): Promise<T[]> {
  const [rows] = await admin.query(query);
  return rows as T[];
}

const tables = async (): Promise<string[]> =>
  (
    await sql<{ name: string }>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
    )
  ).map((r) => r.name);
const heads = async (): Promise<string[]> =>
  (await sql<{ revision: string }>('SELECT revision FROM stratum_version ORDER BY revision')).map(
    (r) => r.revision,
  );
const journal = () =>
  sql<Record<string, unknown>>(
    'SELECT id, revision, direction, status, statements_done, statements_total, db_user, started_at, finished_at, error FROM stratum_journal ORDER BY id',
  );

async function exitOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (error) {
    return exitCodeFor((error as { code: ErrorCode }).code);
  }
}

describe('upgrade and downgrade on MySQL', () => {
  it('applies to head, journals every step with the database user, and downgrades to base', async () => {
    const p = project();
    const { report } = await p.up();
    expect(report).toMatchObject({ ok: true, headsBefore: [], headsAfter: [C] });
    expect(report.steps.map((s) => [s.revision, s.status, s.statementsDone])).toEqual([
      [A, 'applied', 1],
      [B, 'applied', 3],
      [C, 'applied', 2],
    ]);
    expect(await heads()).toEqual([C]);
    const rows = await journal();
    expect(
      rows.map((r) => [r.revision, r.direction, r.status, r.statements_done, r.statements_total]),
    ).toEqual([
      [A, 'up', 'succeeded', 1, 1],
      [B, 'up', 'succeeded', 3, 3],
      [C, 'up', 'succeeded', 2, 2],
    ]);
    for (const row of rows) {
      expect(row.db_user).toMatch(/^root@/);
      expect(row.finished_at).not.toBeNull();
    }
    expect(await sql('SELECT id, name FROM users')).toEqual([{ id: 1, name: 'ada' }]);
    await admin.query('INSERT INTO posts (id) VALUES (1)');
    expect(await sql('SELECT title FROM posts')).toEqual([{ title: 'untitled' }]);
    expect((await p.up()).report).toMatchObject({ ok: true, steps: [], headsAfter: [C] });

    const down = await p.down('base');
    expect(down.report).toMatchObject({ ok: true, headsAfter: [] });
    expect(down.report.steps.map((s) => s.revision)).toEqual([C, B, A]);
    expect(await tables()).toEqual(['stratum_journal', 'stratum_version']);
    expect(await heads()).toEqual([]);
    expect((await journal()).map((r) => `${r.revision}:${r.direction}:${r.status}`).slice(3)).toEqual([
      `${C}:down:succeeded`,
      `${B}:down:succeeded`,
      `${A}:down:succeeded`,
    ]);
  });
});

describe('a revision failing part-way on MySQL', () => {
  const failing = () => project("INSERT INTO legacy_events (what) VALUES ('moved');");

  /** Upgrades until B fails at statement 2 of 3, and checks the dirty state it leaves. */
  async function dirty() {
    const p = failing();
    const { report } = await p.up();
    expect(report.ok).toBe(false);
    expect(report.steps[1]).toMatchObject({ revision: B, status: 'failed', dirty: true, statementsDone: 1 });
    expect(report.steps[1]?.error).toMatchObject({
      code: 'STATEMENT_FAILED',
      details: { file: B_FILE, index: 1, dialect: 'mysql', nativeCode: 'ER_NO_SUCH_TABLE (1146, 42S02)' },
    });
    expect(report.steps[2]).toMatchObject({ revision: C, status: 'notRun' });
    return p;
  }

  it('leaves the journal row dirty with statement 1 applied, and the next upgrade refuses (exit 9)', async () => {
    const p = await dirty();
    const row = (await journal()).find((r) => r.revision === B);
    expect(row).toMatchObject({ status: 'dirty', statements_done: 1, statements_total: 3 });
    expect(String(row?.error)).toContain(`${B_FILE}:`);
    // The CREATE TABLE committed implicitly: it stays, while the version table still says A.
    expect(await tables()).toContain('audit');
    expect(await tables()).not.toContain('audit_archive');
    expect(await heads()).toEqual([A]);
    const refused = (await p.up().catch((error: unknown) => error)) as Error;
    expect(refused).toMatchObject({
      code: 'DIRTY',
      details: { revision: B, statementsDone: 1, statementsTotal: 3 },
    });
    expect(refused.message).toContain(`stratum resolve ${B}`);
    expect(await exitOf(p.up())).toBe(9);
  });

  it('resolve --resume runs statements 2–3 once the cause is fixed; upgrade then reaches head', async () => {
    const p = await dirty();
    await admin.query('CREATE TABLE legacy_events (what VARCHAR(40))');
    const { report } = await p.resolve('resume');
    expect(report).toMatchObject({ ok: true, status: 'succeeded', statementsDoneAfter: 3, headsAfter: [B] });
    expect(await sql('SELECT what FROM legacy_events')).toEqual([{ what: 'moved' }]);
    expect(await tables()).toContain('audit_archive');
    expect((await journal()).find((r) => r.revision === B && r.direction === 'up')).toMatchObject({
      status: 'succeeded',
      statements_done: 3,
    });
    expect((await p.up()).report).toMatchObject({ ok: true, headsAfter: [C] });
  });

  it('resolve --mark-rolled-back keeps the version table; the next upgrade re-runs the revision', async () => {
    const p = await dirty();
    // The user undoes statement 1 by hand and fixes the cause.
    await admin.query('DROP TABLE audit');
    await admin.query('CREATE TABLE legacy_events (what VARCHAR(40))');
    const { report } = await p.resolve('markRolledBack');
    expect(report).toMatchObject({ ok: true, status: 'failed', headsAfter: [A] });
    expect(await heads()).toEqual([A]);
    const next = await p.up();
    expect(next.report).toMatchObject({ ok: true, headsAfter: [C] });
    expect(next.report.steps.map((s) => [s.revision, s.statementsDone])).toEqual([
      [B, 3],
      [C, 2],
    ]);
  });
});
