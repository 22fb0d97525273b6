/**
 * The run engine on real SQLite files: a temp project per test, revision files written by the test,
 * planned by the real planner and run by `runPlan` through the SQLite adapter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeRevisionChain, type ChainRevision } from '../support/revision-chain.ts';
import { sqliteAdapter } from '../../electron/dialects/sqlite/adapter.ts';
import { RevisionGraph } from '../../electron/engine/graph/revision-graph.ts';
import { parseRevisionTarget } from '../../electron/engine/graph/revision-target.ts';
import { planDowngrade, planUpgrade } from '../../electron/engine/plan/planner.ts';
import { parseRevisionFile } from '../../electron/engine/revision/revision-file-parser.ts';
import { runPlan } from '../../electron/engine/run/executor.ts';
import { readJournal } from '../../electron/engine/run/version-reader.ts';
import type { DatabaseConnection } from '../../electron/engine/ports.ts';
import type { Plan } from '../../electron/engine/plan/plan.ts';
import { nodeHasher, randomIds, runIdentity, systemClock } from '../../electron/node/system.ts';
import type { RunEvent, RunReport } from '../../shared/model/run-event.ts';
import { deterministicIds, goldenPlan, goldenScript } from '../golden/golden-project.ts';

const TABLES = { version: 'stratum_version', journal: 'stratum_journal' };
const IDENTITY = runIdentity('stratum 0.1.0-test');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Spec = ChainRevision;

/** A temp project holding `specs` as a chain of revision files, and its SQLite database. */
function project(specs: readonly Spec[]) {
  const root = mkdtempSync(path.join(tmpdir(), 'stratum-runner-'));
  dirs.push(root);
  writeRevisionChain(root, specs);
  const dbFile = path.join(root, 'app.db');
  const graph = (): RevisionGraph => {
    const folder = path.join(root, 'migrations');
    const names = readdirSync(folder).sort();
    return RevisionGraph.build(
      names.map(
        (n) => parseRevisionFile(readFileSync(path.join(folder, n), 'utf8'), `migrations/${n}`).revision,
      ),
    );
  };
  const run = async (
    makePlan: (rows: string[]) => Plan,
    onEvent?: (event: RunEvent) => void,
  ): Promise<RunReport> => {
    const connection: DatabaseConnection = await sqliteAdapter.open!({
      url: 'sqlite:./app.db',
      baseDir: root,
      create: true,
    });
    try {
      return await runPlan({
        connection,
        adapter: sqliteAdapter,
        tables: TABLES,
        identity: IDENTITY,
        hasher: nodeHasher,
        ids: randomIds,
        clock: systemClock,
        makePlan,
        lockTimeoutMs: 2000,
        onEvent,
      });
    } finally {
      await connection.session.close();
    }
  };
  const upgrade = (onEvent?: (event: RunEvent) => void): Promise<RunReport> =>
    run((rows) => planUpgrade(graph(), rows, parseRevisionTarget('heads'), 'heads'), onEvent);
  const downgrade = (target: string): Promise<RunReport> =>
    run((rows) => planDowngrade(graph(), rows, parseRevisionTarget(target), target, 'sqlite'));
  /** Reads the database with a connection of its own. */
  const read = <T = Record<string, unknown>>(sql: string): T[] => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const journal = async () => {
    const connection = await sqliteAdapter.open!({ url: 'sqlite:./app.db', baseDir: root, create: false });
    try {
      return await readJournal(connection.session, sqliteAdapter, TABLES);
    } finally {
      await connection.session.close();
    }
  };
  const tables = (): string[] =>
    read<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ).map((r) => r.name);
  const heads = (): string[] =>
    read<{ revision: string }>('SELECT revision FROM stratum_version').map((r) => r.revision);
  return { root, upgrade, downgrade, read, journal, tables, heads };
}

const R = ['a00000000001', 'a00000000002', 'a00000000003', 'a00000000004'] as const;

const FOUR: Spec[] = [
  { id: R[0], up: 'CREATE TABLE users (id integer PRIMARY KEY, name text);', down: 'DROP TABLE users;' },
  { id: R[1], up: "INSERT INTO users (id, name) VALUES (1, 'ada');", down: 'DELETE FROM users;' },
  {
    id: R[2],
    up: 'CREATE TABLE posts (id integer PRIMARY KEY);\nALTER TABLE userz ADD COLUMN email text;',
    down: 'DROP TABLE posts;',
  },
  { id: R[3], up: 'CREATE TABLE tags (id integer PRIMARY KEY);', down: 'DROP TABLE tags;' },
];

describe('runPlan on SQLite', () => {
  it('applies everything, journals who and how long, and a re-run is a no-op', async () => {
    const specs = FOUR.map((s, i) =>
      i === 2 ? { ...s, up: 'CREATE TABLE posts (id integer PRIMARY KEY);' } : s,
    );
    const p = project(specs);
    const report = await p.upgrade();
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(p.heads()).toEqual([R[3]]);
    expect(p.tables()).toEqual(['posts', 'stratum_journal', 'stratum_version', 'tags', 'users']);
    const rows = await p.journal();
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'succeeded',
        direction: 'up',
        dbUser: null, // SQLite has no users.
        osUser: IDENTITY.osUser,
        host: IDENTITY.host,
        toolVersion: 'stratum 0.1.0-test',
      });
      expect(row.statementsDone).toBe(row.statementsTotal);
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
      expect(row.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row.finishedAt).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.appliedText).toContain('-- migrate:up');
    }

    const again = await p.upgrade();
    expect(again).toMatchObject({ ok: true, steps: [], headsBefore: [R[3]], headsAfter: [R[3]] });
    expect(await p.journal()).toHaveLength(4);
  });

  it('a bad statement in revision 3 of 4: 1–2 applied, 3 rolled back and journaled failed, 4 not run', async () => {
    const p = project(FOUR);
    const report = await p.upgrade();
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.status, s.rolledBack])).toEqual([
      ['applied', false],
      ['applied', false],
      ['failed', true],
      ['notRun', false],
    ]);
    const file = `migrations/20261103T0900_${R[2]}_step.sql`;
    expect(report.steps[2]!.error).toMatchObject({
      code: 'STATEMENT_FAILED',
      message: `${file}:8: statement 2 of 2 failed on sqlite: no such table: userz (SQLITE_ERROR)`,
      details: { file, line: 8, index: 1, dialect: 'sqlite', nativeCode: 'SQLITE_ERROR' },
    });
    expect(p.heads()).toEqual([R[1]]);
    // The first statement of revision 3 was rolled back with it.
    expect(p.tables()).toEqual(['stratum_journal', 'stratum_version', 'users']);
    const rows = await p.journal();
    expect(rows.map((r) => [r.revision, r.status, r.statementsDone])).toEqual([
      [R[0], 'succeeded', 1],
      [R[1], 'succeeded', 1],
      [R[2], 'failed', 1],
    ]);
    expect(rows[2]!.error).toBe(`${file}:8: no such table: userz`);
    expect(rows[2]!.finishedAt).not.toBeNull();
  });

  it('journals transaction: none progress statement by statement; a failure leaves it dirty and the next run refuses', async () => {
    const p = project([
      { id: R[0], up: 'CREATE TABLE users (id integer PRIMARY KEY, email text);' },
      {
        id: R[1],
        transaction: 'none',
        up: 'CREATE INDEX users_email ON users (email);\nCREATE INDEX users_id ON users (id);\nCREATE INDEX bad ON userz (id);',
      },
    ]);
    const progress: number[] = [];
    const report = await p.upgrade((event) => {
      if (event.kind === 'statementStarted' && event.step === 1) {
        const row = p.read<{ statements_done: number }>(
          `SELECT statements_done FROM stratum_journal WHERE revision = '${R[1]}'`,
        )[0];
        progress.push(row?.statements_done ?? -1);
      }
    });
    expect(progress).toEqual([0, 1, 2]);
    expect(report.steps[1]).toMatchObject({
      status: 'failed',
      dirty: true,
      rolledBack: false,
      statementsDone: 2,
    });
    expect(report.steps[1]!.error!.message).toContain('stratum resolve');
    const rows = await p.journal();
    expect(rows[1]).toMatchObject({ status: 'dirty', statementsDone: 2, statementsTotal: 3 });
    expect(rows[1]!.error).toMatch(
      /^migrations\/20261102T0900_a00000000002_step.sql:10: no such table: (main\.)?userz$/,
    );
    // The two indexes that ran stayed.
    expect(
      p.read("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"),
    ).toEqual([{ name: 'users_email' }, { name: 'users_id' }]);
    expect(p.heads()).toEqual([R[0]]);

    await expect(p.upgrade()).rejects.toMatchObject({
      code: 'DIRTY',
      details: { revision: R[1], statementsDone: 2, statementsTotal: 3 },
    });
  });

  it('downgrading back to base leaves only the two Stratum tables', async () => {
    const specs = FOUR.map((s, i) =>
      i === 2 ? { ...s, up: 'CREATE TABLE posts (id integer PRIMARY KEY);' } : s,
    );
    const p = project(specs);
    expect((await p.upgrade()).ok).toBe(true);
    const report = await p.downgrade('base');
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.revision, s.direction, s.status])).toEqual([
      [R[3], 'down', 'applied'],
      [R[2], 'down', 'applied'],
      [R[1], 'down', 'applied'],
      [R[0], 'down', 'applied'],
    ]);
    expect(p.tables()).toEqual(['stratum_journal', 'stratum_version']);
    expect(p.heads()).toEqual([]);
    const rows = await p.journal();
    expect(rows.map((r) => [r.direction, r.status])).toEqual([
      ...Array(4).fill(['up', 'succeeded']),
      ...Array(4).fill(['down', 'succeeded']),
    ]);
    expect(rows.at(-1)).toMatchObject({ revision: R[0], fromHeads: [R[0]], toHeads: [] });
  });

  it.skipIf(spawnSync('sqlite3', ['-version']).status !== 0)(
    'an online upgrade and the offline script run by sqlite3 leave the same database (STYLE §F.4)',
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'stratum-runner-'));
      dirs.push(root);
      const connection = await sqliteAdapter.open!({
        url: 'sqlite:./online.db',
        baseDir: root,
        create: true,
      });
      try {
        const report = await runPlan({
          connection,
          adapter: sqliteAdapter,
          tables: TABLES,
          identity: { osUser: null, host: null, pid: null, toolVersion: 'stratum 0.1.0 (offline)' },
          hasher: nodeHasher,
          ids: deterministicIds(),
          clock: systemClock,
          makePlan: () => goldenPlan(),
          lockTimeoutMs: 2000,
        });
        expect(report.ok).toBe(true);
      } finally {
        await connection.session.close();
      }
      writeFileSync(path.join(root, 'script.sql'), goldenScript('sqlite'));
      const shell = spawnSync('sh', ['-c', 'sqlite3 offline.db < script.sql'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(shell.stderr).toBe('');
      const dump = (file: string) => {
        const db = new Database(path.join(root, file), { readonly: true });
        try {
          return {
            schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all(),
            versions: db.prepare('SELECT * FROM stratum_version').all(),
            journal: db
              .prepare(
                'SELECT id, step_id, run_id, revision, direction, from_heads, to_heads, checksum, applied_text, status, ' +
                  'statements_done, statements_total, db_user, os_user, host, tool_version, error FROM stratum_journal',
              )
              .all(),
            data: [db.prepare('SELECT * FROM users').all(), db.prepare('SELECT * FROM audit_log').all()],
          };
        } finally {
          db.close();
        }
      };
      expect(dump('online.db')).toEqual(dump('offline.db'));
    },
  );
});
