/**
 * STYLE.md §F.4 on the three real databases: the SQL the app's plan preview (a dry run) shows for
 * every step is exactly the SQL the real run then executes, statement for statement, with the
 * same file:line: the demo on SQLite (a backfill, a batched `transaction: none` revision, a
 * contract step), and multi-statement revisions with a `;` inside a string on the servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEngineEvent } from '../../shared/contract/engine-events.ts';
import {
  DEMO,
  harnessPerTest,
  newRunId,
  serverProject,
  type AppHarness,
  type ExtraRevision,
} from '../support/app-harness.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

const harness = harnessPerTest();

const REVISIONS: readonly ExtraRevision[] = [
  {
    id: '0d0d0d0d0d01',
    parents: [],
    message: 'create gadgets',
    created: '2026-03-01T09:00',
    up: "CREATE TABLE gadgets (id INTEGER PRIMARY KEY, name VARCHAR(50));\nINSERT INTO gadgets VALUES (1, 'a;b');",
    down: 'DROP TABLE gadgets;',
  },
  {
    id: '0d0d0d0d0d02',
    parents: ['0d0d0d0d0d01'],
    message: 'index gadgets',
    created: '2026-03-02T09:00',
    up: "-- one index, then data\nCREATE INDEX gadgets_name ON gadgets (name);\nUPDATE gadgets SET name = 'c';",
    down: 'DROP INDEX gadgets_name ON gadgets;',
  },
];

/** The statements of `plan.preview`, then those a real run executed, as `file:line sql`. */
async function previewThenRun(h: AppHarness, connectionId: string): Promise<[string[], string[]]> {
  const preview = await h.ok('plan.preview', { connectionId, kind: 'upgrade', target: 'heads' });
  const previewed = preview.steps.flatMap((s) => s.sql.map((q) => `${q.file}:${q.line} ${q.sql}`));
  const runId = newRunId();
  const executed: string[] = [];
  h.onEvent = (e: RunEngineEvent) => {
    if (e.runId === runId && e.event.kind === 'statementStarted') {
      executed.push(`${e.event.location.file}:${e.event.location.line} ${e.event.sql}`);
    }
  };
  const result = await h.ok('migrations.run', { connectionId, kind: 'upgrade', target: 'heads', runId });
  expect(result.report.ok).toBe(true);
  return [previewed, executed];
}

describe('dry-run SQL equals executed SQL', () => {
  it('sqlite: the demo, from its first-launch state to its head', async () => {
    const h = harness();
    await h.ok('app.info', {});
    // The pending backfill touches tables that exist: sized from SQLite's page counts.
    const preview = await h.ok('plan.preview', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: 'heads',
    });
    const users = preview.steps[0]!.tables.find((t) => t.name === 'users');
    expect(users).toMatchObject({ exists: true, rows: null, bytes: expect.any(Number) });
    expect(users!.bytes).toBeGreaterThan(0);
    const [previewed, executed] = await previewThenRun(h, DEMO.local);
    expect(previewed.length).toBeGreaterThan(5);
    expect(executed).toEqual(previewed);
  });

  describe.each(['postgres', 'mysql'] as const)('%s', (dialect) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(dialect, 'dry_run');
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('a fresh database to the head', async () => {
      const revisions = REVISIONS.map((r) =>
        dialect === 'postgres' && r.down?.startsWith('DROP INDEX') === true
          ? { ...r, down: 'DROP INDEX gadgets_name;' }
          : r,
      );
      const h = harness({ project: serverProject(dialect, revisions) });
      const saved = await h.ok('connections.save', { name: dialect, url: db.url, tag: 'local' });
      // Fresh database: the tables the plan creates are "new".
      const fresh = await h.ok('plan.preview', { connectionId: saved.id, kind: 'upgrade', target: 'heads' });
      expect(fresh.steps[0]!.tables).toEqual([{ name: 'gadgets', exists: false, rows: null, bytes: null }]);
      const [previewed, executed] = await previewThenRun(h, saved.id);
      expect(previewed).toHaveLength(4);
      expect(previewed[0]).toMatch(/migrations\/.+_0d0d0d0d0d01_.+\.sql:\d+ CREATE TABLE gadgets/);
      expect(executed).toEqual(previewed);
      // Back to base: the table the downgrade drops exists now, with its size. (MySQL's
      // `DROP INDEX … ON gadgets` names it too; PostgreSQL's `DROP INDEX gadgets_name` does not.)
      const down = await h.ok('plan.preview', { connectionId: saved.id, kind: 'downgrade', target: 'base' });
      const gadgets = down.steps.flatMap((step) => step.tables).find((t) => t.name === 'gadgets');
      expect(gadgets).toMatchObject({ name: 'gadgets', exists: true });
      expect(gadgets!.bytes).toBeGreaterThan(0);
    });
  });
});
