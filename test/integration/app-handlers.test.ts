/**
 * The app's handlers on a real {@link AppSession} (temp data folder, session password vault) behind
 * the real dispatcher, through an in-memory JSON transport (STYLE.md §F.5): the built-in demo on
 * real SQLite, and temp copies of it for slow, failing and branching revisions. Connections are in
 * app-connections.test.ts.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEngineEvent } from '../../shared/contract/engine-events.ts';
import {
  addRevision,
  copyDemo,
  DEMO,
  harnessPerTest,
  newRunId,
  readSqlite,
  runTo,
  sqliteTables,
  tempDir,
  type ExtraRevision,
} from '../support/app-harness.ts';

const harness = harnessPerTest();

describe('the demo project', () => {
  it('app.info opens the demo on first launch: demo.db created part-way, three revisions pending', async () => {
    const h = harness();
    const info = await h.ok('app.info', {});
    const demoRoot = path.join(h.dataDir, 'demo');
    expect(info).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      mode: 'browser',
      project: {
        root: demoRoot,
        name: 'demo',
        dialect: 'sqlite',
        migrations: 'migrations',
        isDemo: true,
        revisionCount: 12,
        heads: [DEMO.head],
      },
      recentProjects: [],
    });
    expect(existsSync(path.join(demoRoot, 'demo.db'))).toBe(true);
    const state = await h.ok('database.state', { connectionId: DEMO.local });
    expect(state).toMatchObject({
      connectionId: DEMO.local,
      exists: true,
      current: [DEMO.start],
      pending: DEMO.pending,
      modified: [],
      missing: [],
      dirty: [],
    });
    expect(state.applied).toHaveLength(9);
    // The next launch (a new session on the same data folder) keeps the database as the user left it.
    await runTo(h, 'upgrade', '288e26f3e7ab');
    const next = harness({ dataDir: h.dataDir });
    expect((await next.ok('app.info', {})).project?.isDemo).toBe(true);
    expect((await next.ok('database.state', { connectionId: DEMO.local })).current).toEqual(['288e26f3e7ab']);
  });

  it('revisions.list returns the 12 nodes newest first, each before its parents', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const graph = await h.ok('revisions.list', {});
    expect(graph.problems).toEqual([]);
    expect(graph.nodes).toHaveLength(12);
    expect(graph.nodes[0]).toMatchObject({ revision: DEMO.head, isHead: true, phase: 'post-deploy' });
    expect(graph.nodes.at(-1)).toMatchObject({ revision: 'a787cda37d02', isBase: true });
    const created = graph.nodes.map((n) => n.created!);
    expect(created).toEqual([...created].sort().reverse());
    const position = new Map(graph.nodes.map((n, i) => [n.revision, i]));
    for (const node of graph.nodes) {
      for (const parent of node.downRevisions)
        expect(position.get(parent)).toBeGreaterThan(position.get(node.revision)!);
    }
    expect(graph.nodes.find((n) => n.revision === DEMO.start)).toMatchObject({
      isMergePoint: true,
      downRevisions: ['69dbb179866a', '1dbda2d8df9c'],
    });
    expect(graph.nodes.filter((n) => n.isBranchPoint).map((n) => n.revision)).toEqual(['da1c1a50a7d0']);
  });

  it('revisions.show returns the file, its checksum and the up/down SQL with their lines', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const detail = await h.ok('revisions.show', { revision: '91a7' });
    expect(detail.node).toMatchObject({ revision: '91a7b03d14eb', transaction: 'none', reversible: true });
    expect(detail.checksum).toMatch(/^[0-9a-f]{64}$/);
    const lines = detail.text.split('\n');
    expect(lines[detail.up.line - 2]).toBe('-- migrate:up');
    expect(detail.up.sql).toContain('ALTER TABLE orders ADD COLUMN subtotal_cents INTEGER;');
    expect(detail.down).toEqual({ sql: 'ALTER TABLE orders DROP COLUMN subtotal_cents;', line: 30 });
    expect(lines[detail.down!.line - 1]).toBe(detail.down!.sql);

    expect(await h.fail('revisions.show', { revision: 'ffffffffffff' })).toMatchObject({
      code: 'REVISION_NOT_FOUND',
      details: { target: 'ffffffffffff' },
    });
  });

  it('plan.preview shows the upgrade to heads, its warnings, and writes nothing', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const plan = await h.ok('plan.preview', { connectionId: DEMO.local, kind: 'upgrade', target: 'heads' });
    expect(plan).toMatchObject({
      kind: 'upgrade',
      target: 'heads',
      tag: 'local',
      fromHeads: [DEMO.start],
      toHeads: [DEMO.head],
      confirmWith: null,
    });
    expect(plan.steps.map((s) => [s.revision, s.direction, s.statements])).toEqual([
      ['288e26f3e7ab', 'up', 3],
      ['91a7b03d14eb', 'up', 5],
      [DEMO.head, 'up', 1],
    ]);
    expect(plan.warnings.map((w) => [w.kind, w.revision])).toEqual([
      ['transactionNone', '91a7b03d14eb'],
      ['postDeploy', DEMO.head],
    ]);
    expect((await h.ok('database.state', { connectionId: DEMO.local })).current).toEqual([DEMO.start]);
    expect(
      await h.fail('plan.preview', { connectionId: DEMO.local, kind: 'upgrade', target: 'cafe' }),
    ).toMatchObject({
      code: 'REVISION_NOT_FOUND',
    });
  });

  it('migrations.run upgrades to a revision, streaming its events under the run id', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const runId = newRunId();
    const result = await h.ok('migrations.run', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: '91a7b03d14eb',
      runId,
    });
    expect(result.report).toMatchObject({
      ok: true,
      cancelled: false,
      headsBefore: [DEMO.start],
      headsAfter: ['91a7b03d14eb'],
    });
    expect(result.report.steps.map((s) => [s.revision, s.status, s.statementsDone])).toEqual([
      ['288e26f3e7ab', 'applied', 3],
      ['91a7b03d14eb', 'applied', 5],
    ]);
    expect(result.plan?.steps).toHaveLength(2);

    expect(h.events.every((e) => e.kind === 'run.event' && e.runId === runId)).toBe(true);
    const kinds = h.events.map((e) => e.event.kind);
    expect(kinds.filter((k) => k === 'stepStarted')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'statementStarted')).toHaveLength(8);
    expect(kinds.indexOf('runStarted')).toBeLessThan(kinds.indexOf('stepStarted'));
    expect(kinds.at(-1)).toBe('runFinished');
    const first = h.events.find((e) => e.event.kind === 'statementStarted')!.event;
    expect(first).toMatchObject({
      step: 0,
      index: 0,
      total: 3,
      location: { file: expect.stringContaining('288e26f3e7ab'), line: 9 },
      sql: 'ALTER TABLE users ADD COLUMN email_domain TEXT',
    });
    const finished = h.events.at(-1)!.event as Extract<RunEngineEvent['event'], { kind: 'runFinished' }>;
    expect(finished.report).toEqual(result.report);

    const state = await h.ok('database.state', { connectionId: DEMO.local });
    expect(state.current).toEqual(['91a7b03d14eb']);
    expect(state.pending).toEqual([DEMO.head]);
    const db = path.join(h.dataDir, 'demo', 'demo.db');
    expect(
      readSqlite(db, (d) =>
        d.prepare('SELECT count(*) FROM orders WHERE subtotal_cents IS NULL').pluck().get(),
      ),
    ).toBe(0);
  });

  it('migrations.run downgrades and stamps', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const db = path.join(h.dataDir, 'demo', 'demo.db');
    await runTo(h, 'upgrade', 'heads');

    const preview = await h.ok('plan.preview', {
      connectionId: DEMO.local,
      kind: 'downgrade',
      target: DEMO.start,
    });
    expect(preview.warnings.map((w) => w.kind)).toEqual(['downgrade', 'transactionNone']);
    const down = await runTo(h, 'downgrade', DEMO.start);
    expect(down.report.ok).toBe(true);
    expect(down.report.steps.map((s) => [s.revision, s.direction])).toEqual([
      [DEMO.head, 'down'],
      ['91a7b03d14eb', 'down'],
      ['288e26f3e7ab', 'down'],
    ]);
    expect((await h.ok('database.state', { connectionId: DEMO.local })).pending).toEqual(DEMO.pending);
    const columns = (table: string) =>
      readSqlite(db, (d) => d.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all());
    expect(columns('users')).not.toContain('email_domain');

    // A stamp only moves the version table: no migration SQL runs.
    const stampPreview = await h.ok('plan.preview', {
      connectionId: DEMO.local,
      kind: 'stamp',
      target: 'heads',
    });
    expect(stampPreview.warnings.map((w) => w.kind)).toEqual(['stamp']);
    const stamped = await runTo(h, 'stamp', 'heads');
    expect(stamped.report).toMatchObject({ ok: true, headsAfter: [DEMO.head] });
    const state = await h.ok('database.state', { connectionId: DEMO.local });
    expect(state).toMatchObject({ current: [DEMO.head], pending: [] });
    expect(columns('users')).not.toContain('email_domain');
    expect(columns('products')).toContain('legacy_price');
  });

  it('journal.list returns the journal newest first, filtered by revision and limited', async () => {
    const h = harness();
    await h.ok('app.info', {});
    await runTo(h, 'upgrade', '288e26f3e7ab');
    const { entries } = await h.ok('journal.list', { connectionId: DEMO.local });
    expect(entries).toHaveLength(10);
    expect(entries[0]).toMatchObject({ revision: '288e26f3e7ab', direction: 'up', status: 'succeeded' });
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => b - a));
    expect((await h.ok('journal.list', { connectionId: DEMO.local, limit: 2 })).entries).toHaveLength(2);
    const one = await h.ok('journal.list', { connectionId: DEMO.local, revision: DEMO.start });
    expect(one.entries.map((e) => [e.revision, e.fromHeads])).toEqual([
      [DEMO.start, ['1dbda2d8df9c', '69dbb179866a']],
    ]);
  });
});

/** A demo copy with one more revision after the demo's head. */
function demoWith(extra: Omit<ExtraRevision, 'parents' | 'created'>) {
  const root = copyDemo();
  const { file } = addRevision(root, { ...extra, parents: [DEMO.head], created: '2026-03-01T09:00' });
  return { root, file, db: path.join(root, 'demo.db') };
}

describe('runs on a copy of the demo', () => {
  it('run.cancel stops a run after the statement in progress, and nothing of the step stays', async () => {
    // About 1.5 s of SQLite work in one statement; the second statement never runs.
    const { root, db } = demoWith({
      id: 'c0ffee5107a1',
      message: 'slow summary',
      up: [
        'CREATE TABLE slow_totals AS',
        '  WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 12000000)',
        '  SELECT sum(x) AS total FROM n;',
        'CREATE TABLE after_slow (id INTEGER);',
      ].join('\n'),
      down: 'DROP TABLE after_slow;\nDROP TABLE slow_totals;',
    });
    const h = harness({ project: root });
    await runTo(h, 'upgrade', DEMO.head);

    const runId = newRunId();
    let cancelled: Promise<{ cancelled: boolean }> | null = null;
    h.onEvent = (e) => {
      if (cancelled === null && e.runId === runId && e.event.kind === 'statementStarted') {
        cancelled = h.ok('run.cancel', { runId });
      }
    };
    const started = performance.now();
    const result = await h.ok('migrations.run', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: 'heads',
      runId,
    });
    expect(performance.now() - started).toBeGreaterThan(500);
    expect(await cancelled).toEqual({ cancelled: true });
    expect(result.report).toMatchObject({ ok: false, cancelled: true, headsAfter: [DEMO.head] });
    expect(result.report.steps).toEqual([
      expect.objectContaining({
        revision: 'c0ffee5107a1',
        status: 'notRun',
        statementsDone: 1,
        rolledBack: true,
      }),
    ]);
    expect(sqliteTables(db)).not.toContain('slow_totals');
    expect(sqliteTables(db)).not.toContain('after_slow');
    expect(await h.ok('database.state', { connectionId: DEMO.local })).toMatchObject({
      current: [DEMO.head],
      pending: ['c0ffee5107a1'],
      dirty: [],
    });
    // The run is over: its id is free, and cancelling it again does nothing.
    expect(await h.ok('run.cancel', { runId })).toEqual({ cancelled: false });
  });

  it('a failing statement reports STATEMENT_FAILED with its file and line, and rolls the step back', async () => {
    const { root, file, db } = demoWith({
      id: 'bad0bad0bad0',
      message: 'broken insert',
      up: 'CREATE TABLE fine (id INTEGER);\nINSERT INTO no_such_table VALUES (1);',
      down: 'DROP TABLE fine;',
    });
    const h = harness({ project: root });
    await runTo(h, 'upgrade', DEMO.head);
    const result = await runTo(h, 'upgrade', 'heads');
    expect(result.report).toMatchObject({ ok: false, cancelled: false, headsAfter: [DEMO.head] });
    const step = result.report.steps[0]!;
    expect(step).toMatchObject({
      revision: 'bad0bad0bad0',
      status: 'failed',
      rolledBack: true,
      dirty: false,
    });
    expect(step.error).toMatchObject({
      code: 'STATEMENT_FAILED',
      details: {
        file,
        line: 8,
        index: 1,
        sql: 'INSERT INTO no_such_table VALUES (1)',
        dialect: 'sqlite',
        nativeCode: 'SQLITE_ERROR',
        nativeMessage: expect.stringContaining('no such table: no_such_table'),
      },
    });
    expect(sqliteTables(db)).not.toContain('fine');
    const journal = await h.ok('journal.list', { connectionId: DEMO.local, revision: 'bad0bad0bad0' });
    expect(journal.entries).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('a cancel sent right after the run starts, before it reaches the database, still cancels it', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const runId = newRunId();
    const running = h.call('migrations.run', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: 'heads',
      runId,
    });
    expect(await h.ok('run.cancel', { runId })).toEqual({ cancelled: true });
    // Cancelled before it took the lock: the run stops there, as CANCELLED.
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(h.events).toEqual([]);
    expect((await h.ok('database.state', { connectionId: DEMO.local })).current).toEqual([DEMO.start]);
  });

  it('refuses a run id that is in use, and leaves that run alone', async () => {
    const h = harness();
    await h.ok('app.info', {});
    expect(await h.ok('run.cancel', { runId: newRunId() })).toEqual({ cancelled: false });
    const runId = newRunId();
    const first = h.ok('migrations.run', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: '288e26f3e7ab',
      runId,
    });
    const second = await h.fail('migrations.run', {
      connectionId: DEMO.local,
      kind: 'upgrade',
      target: 'heads',
      runId,
    });
    expect(second).toMatchObject({ code: 'USAGE', details: { argument: 'runId' } });
    expect((await first).report).toMatchObject({ ok: true, headsAfter: ['288e26f3e7ab'] });
  });

  it('revisions.merge joins the two heads of a branched project into a new merge file', async () => {
    const root = copyDemo();
    addRevision(root, {
      id: 'b4a9c2d1e0f3',
      parents: [DEMO.start],
      message: 'add gift cards',
      created: '2026-02-03T09:00',
      up: 'CREATE TABLE gift_cards (id INTEGER PRIMARY KEY);',
      down: 'DROP TABLE gift_cards;',
    });
    const h = harness({ project: root });
    const summary = await h.ok('project.open', { path: root });
    expect([...summary.heads].sort()).toEqual([DEMO.head, 'b4a9c2d1e0f3']);

    const merged = await h.ok('revisions.merge', { message: 'merge gift cards' });
    expect(merged.revision).toMatch(/^[0-9a-f]{12}$/);
    expect(merged.file).toMatch(
      new RegExp(`^migrations/\\d{8}T\\d{4}_${merged.revision}_merge_gift_cards\\.sql$`),
    );
    const text = readFileSync(path.join(root, merged.file), 'utf8');
    expect(text).toContain(`-- revision: ${merged.revision}`);
    expect(text).toMatch(/-- parents: (07c4ef33eb9e b4a9c2d1e0f3|b4a9c2d1e0f3 07c4ef33eb9e)/);

    const graph = await h.ok('revisions.list', {});
    expect(graph.nodes[0]).toMatchObject({ revision: merged.revision, isHead: true, isMergePoint: true });
    expect((await h.ok('app.info', {})).project?.heads).toEqual([merged.revision]);
    // One head left: nothing more to merge.
    expect(await h.fail('revisions.merge', { message: 'again' })).toMatchObject({ code: 'USAGE' });
  });
});

describe('projects', () => {
  it('project.open refuses a folder without stratum.json, and a path that is no folder', async () => {
    const h = harness();
    const empty = tempDir('no-project');
    expect(await h.fail('project.open', { path: empty })).toEqual({
      code: 'PROJECT_NOT_FOUND',
      message: expect.stringContaining('has no stratum.json'),
      details: { searchedFrom: empty },
    });
    const missing = path.join(empty, 'nope');
    expect(await h.fail('project.open', { path: missing })).toMatchObject({
      code: 'PROJECT_NOT_FOUND',
      message: `${missing} is not a folder.`,
    });
  });

  it('project.open switches projects and remembers them; project.openDemo goes back', async () => {
    const root = copyDemo();
    const h = harness();
    await h.ok('app.info', {});
    expect(await h.ok('project.open', { path: root })).toMatchObject({ root, name: 'shop', isDemo: false });
    expect(await h.ok('database.state', { connectionId: DEMO.local })).toMatchObject({
      exists: false,
      current: [],
    });
    expect((await h.ok('project.openDemo', {})).isDemo).toBe(true);
    expect((await h.ok('database.state', { connectionId: DEMO.local })).current).toEqual([DEMO.start]);
    // A restarted app over the same data folder lists it; once deleted it is dropped from the list.
    const again = harness({ dataDir: h.dataDir });
    expect((await again.ok('app.info', {})).recentProjects).toEqual([root]);
    rmSync(root, { recursive: true });
    expect((await again.ok('app.info', {})).recentProjects).toEqual([]);
  });
});
