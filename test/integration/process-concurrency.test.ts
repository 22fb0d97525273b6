/**
 * Concurrent `stratum upgrade` processes on one real SQLite file, and the bounded wait for the run
 * lock (`--lock-timeout`, exit 7 naming the holder).
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  killChildren,
  readState,
  removeTempDirs,
  runCli,
  startCli,
  startNode,
  waitFor,
  writeProject,
  type RevisionSpec,
} from './fixtures/process/harness.ts';

const HOLD_LOCK = fileURLToPath(new URL('./fixtures/process/hold-lock.ts', import.meta.url));

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

const id = (n: number): string => `${String(n).padStart(2, '0')}`.repeat(6);

/**
 * Ten revisions: a trunk, a branch point at 2, two branches (3–4 and 5–6) merged by 7, then 8–10.
 * Revision 2 inserts enough rows to keep the first runner busy while the others start.
 */
const REVISIONS: RevisionSpec[] = [
  { id: id(1), parents: [], up: 'CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);' },
  {
    id: id(2),
    parents: [id(1)],
    up:
      'CREATE TABLE accounts (id integer PRIMARY KEY, user_id integer, balance integer);\n' +
      'INSERT INTO accounts (id, user_id, balance) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL ' +
      'SELECT i + 1 FROM n WHERE i < 200000) SELECT i, i % 1000, i * 7 FROM n;',
  },
  { id: id(3), parents: [id(2)], up: 'CREATE TABLE audit (id integer PRIMARY KEY, what text);' },
  { id: id(4), parents: [id(3)], up: 'CREATE INDEX audit_what ON audit (what);' },
  { id: id(5), parents: [id(2)], up: 'ALTER TABLE users ADD COLUMN email text;' },
  {
    id: id(6),
    parents: [id(5)],
    up: "INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL);",
  },
  { id: id(7), parents: [id(4), id(6)], up: "INSERT INTO audit (what) VALUES ('merged');" },
  { id: id(8), parents: [id(7)], up: 'CREATE INDEX accounts_user ON accounts (user_id);' },
  {
    id: id(9),
    parents: [id(8)],
    transaction: 'none',
    up: "CREATE TABLE settings (k text PRIMARY KEY, v text);\nINSERT INTO settings VALUES ('mode', 'on');",
  },
  { id: id(10), parents: [id(9)], up: 'CREATE VIEW rich AS SELECT * FROM accounts WHERE balance > 1000000;' },
];

interface JsonRun {
  readonly ok: boolean;
  readonly report: { readonly steps: readonly { readonly revision: string; readonly status: string }[] };
}

describe('concurrent stratum upgrade processes', () => {
  it('8 processes on one fresh file: all exit 0 and every revision is applied exactly once', async () => {
    const project = writeProject('concurrency', REVISIONS);
    const started = Date.now();
    const runs = Array.from({ length: 8 }, () =>
      startCli(project.root, ['upgrade', 'head', '--env', 'local', '--json']),
    );
    const results = await Promise.all(runs.map((run) => run.done));
    const elapsedMs = Date.now() - started;
    console.log(
      `8 concurrent upgrades took ${elapsedMs} ms (slowest process ${Math.max(...results.map((r) => r.ms))} ms)`,
    );

    for (const result of results) expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    const reports = results.map((result) => JSON.parse(result.stdout) as JsonRun);
    expect(reports.every((run) => run.ok)).toBe(true);
    // Across all processes, each revision was reported applied by exactly one of them.
    const applied = reports.flatMap((run) =>
      run.report.steps.filter((step) => step.status === 'applied').map((step) => step.revision),
    );
    expect(applied.toSorted()).toEqual(REVISIONS.map((r) => r.id).toSorted());
    expect(reports.flatMap((run) => run.report.steps).every((step) => step.status === 'applied')).toBe(true);

    const state = readState(project.database);
    expect(state.versions).toEqual([id(10)]);
    expect(state.journal).toHaveLength(REVISIONS.length);
    expect(state.journal.every((row) => row.direction === 'up' && row.status === 'succeeded')).toBe(true);
    expect(Object.fromEntries(countRows(state.journal, 'succeeded'))).toEqual(
      Object.fromEntries(REVISIONS.map((r) => [r.id, 1])),
    );
    expect(state.tables).toEqual(['accounts', 'audit', 'settings', 'users']);

    // The schema is complete: every revision's effect is there once.
    const check = await runCli(project.root, ['check', '--env', 'local']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it("a run started during another run's long, spilling transaction waits for the lock and exits 0", async () => {
    // Revision 2 writes far more than SQLite's page cache, so its transaction holds the file's
    // exclusive lock for seconds: longer than the 5 s busy timeout of any statement.
    const project = writeProject('concurrency-spill', [
      REVISIONS[0]!,
      {
        id: id(2),
        parents: [id(1)],
        up:
          'CREATE TABLE big (x integer, y text);\n' +
          'INSERT INTO big (x, y) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n ' +
          'WHERE i < 3000000) SELECT i, hex(randomblob(16)) FROM n;\n' +
          'CREATE INDEX big_y ON big (y);\nCREATE INDEX big_yx ON big (y, x);',
      },
    ]);
    const first = startCli(project.root, ['upgrade', 'head', '--env', 'local']);
    await waitFor(
      'revision 1 to finish',
      () => first.stderr().includes('✓ [1/2]') || first.child.exitCode !== null,
    );
    const second = await runCli(project.root, ['upgrade', 'head', '--env', 'local', '--lock-timeout', '120']);
    const firstResult = await first.done;
    console.log(`long revision: first run ${firstResult.ms} ms, waiting run ${second.ms} ms`);
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toContain('Nothing to upgrade');
    const state = readState(project.database);
    expect(state.versions).toEqual([id(2)]);
    expect(state.journal).toHaveLength(2);
  });

  it('times out after --lock-timeout with exit 7, naming the holder process; nothing applied', async () => {
    const project = writeProject('lock-timeout', REVISIONS.slice(0, 3));
    const holder = startNode(project.root, [HOLD_LOCK, project.database]);
    await waitFor(
      'the fixture to hold the lock',
      () => holder.stdout().includes('locked') || holder.child.exitCode !== null,
    );
    expect(holder.stdout(), holder.stderr()).toContain('locked');

    const result = await runCli(project.root, ['upgrade', 'head', '--env', 'local', '--lock-timeout', '1']);
    expect(result.code, result.stderr).toBe(7);
    // Bounded: gives up after about a second, not after the 60 s default.
    expect(result.ms).toBeLessThan(20_000);
    expect(result.stderr).toContain('Another migration run holds the lock');
    expect(result.stderr).toContain(`pid ${holder.child.pid}`);
    expect(result.stderr).toContain(hostname());
    expect(result.stderr).toContain('--lock-timeout');
    expect(result.stderr).toContain('waiting for the migration lock held by');

    const state = readState(project.database);
    expect(state.versions).toEqual([]);
    expect(state.journal).toEqual([]);
    expect(state.tables).toEqual([]);
  });

  it('a run stuck on a long revision makes a second run time out with exit 7 naming it; the first finishes', async () => {
    // A CPU-bound revision: long, but it writes little, so its transaction never spills to the file.
    const project = writeProject('lock-busy-run', [
      REVISIONS[0]!,
      {
        id: id(2),
        parents: [id(1)],
        up:
          'CREATE TABLE slow (n integer);\n' +
          'INSERT INTO slow (n) SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL ' +
          'SELECT i + 1 FROM n WHERE i < 45000000) SELECT i FROM n);',
      },
    ]);
    const first = startCli(project.root, ['upgrade', 'head', '--env', 'local']);
    await waitFor(
      'revision 1 to finish',
      () => first.stderr().includes('✓ [1/2]') || first.child.exitCode !== null,
    );

    const second = await runCli(project.root, ['upgrade', 'head', '--env', 'local', '--lock-timeout', '1']);
    const firstResult = await first.done;
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(firstResult.stderr).toContain('✓ [2/2]');
    // The first run finished after the second gave up (else this test proves nothing).
    expect(second.code, second.stderr).toBe(7);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect(second.stderr).toContain(hostname());
    expect(second.stderr).toContain('--lock-timeout');

    const state = readState(project.database);
    expect(state.versions).toEqual([id(2)]);
    expect(Object.fromEntries(countRows(state.journal, 'succeeded'))).toEqual({ [id(1)]: 1, [id(2)]: 1 });
    expect(state.journal).toHaveLength(2);
  });
});
