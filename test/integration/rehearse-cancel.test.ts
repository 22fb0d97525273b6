/**
 * A rehearsal cancelled from the app while a statement runs on the scratch copy: it stops, the
 * scratch database is dropped all the same, and the connection's database is untouched. Real
 * PostgreSQL and MariaDB (the servers must be up: this suite fails loudly when they are not).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  harnessPerTest,
  newRunId,
  runTo,
  serverProject,
  type ExtraRevision,
} from '../support/app-harness.ts';
import { createTestDatabase, rehearsalDatabases, type TestDatabase } from '../support/test-databases.ts';

const harness = harnessPerTest();
let db: TestDatabase | null = null;

afterEach(async () => {
  await db?.drop();
  db = null;
});

const SLEEP = { postgres: 'SELECT pg_sleep(1);', mysql: 'SELECT SLEEP(1);' } as const;

function revisions(dialect: 'postgres' | 'mysql'): ExtraRevision[] {
  return [
    {
      id: 'ca0000000001',
      parents: [],
      message: 'accounts',
      created: '2026-03-01T09:00',
      up: 'CREATE TABLE accounts (id INTEGER PRIMARY KEY);',
      down: 'DROP TABLE accounts;',
    },
    {
      id: 'ca0000000002',
      parents: ['ca0000000001'],
      message: 'slow',
      created: '2026-03-02T09:00',
      up: `CREATE TABLE slow_marker (id INTEGER);\n${SLEEP[dialect].repeat(4)}`,
      down: 'DROP TABLE slow_marker;',
    },
  ];
}

describe.each(['postgres', 'mysql'] as const)('%s: a cancelled rehearsal', (dialect) => {
  it('stops after the statement in progress and drops the scratch database', async () => {
    db = await createTestDatabase(dialect, 'rehearse_cancel');
    const h = harness({ project: serverProject(dialect, revisions(dialect)) });
    const saved = await h.ok('connections.save', { name: 'db', url: db.url, tag: 'local' });
    await runTo(h, 'upgrade', 'ca0000000001', saved.id);
    const before = await rehearsalDatabases(dialect);

    const runId = newRunId();
    let cancelled: Promise<{ cancelled: boolean }> | null = null;
    let scratchSeen: string[] = [];
    h.onEvent = (e) => {
      if (
        cancelled === null &&
        e.runId === runId &&
        e.event.kind === 'statementStarted' &&
        /sleep/i.test(e.event.sql)
      ) {
        cancelled = (async () => {
          scratchSeen = await rehearsalDatabases(dialect);
          return h.ok('run.cancel', { runId });
        })();
      }
    };
    const result = await h.ok('plan.rehearse', {
      connectionId: saved.id,
      kind: 'upgrade',
      target: 'heads',
      runId,
    });
    expect(await cancelled).toEqual({ cancelled: true });
    // While it ran, the scratch database existed; it is gone now, as before the rehearsal.
    expect(scratchSeen.length).toBe(before.length + 1);
    expect(await rehearsalDatabases(dialect)).toEqual(before);
    expect(result.report).toMatchObject({ ok: false, cancelled: true });
    expect(result.statements.length).toBeLessThan(5);
    expect(await h.ok('database.state', { connectionId: saved.id })).toMatchObject({
      current: ['ca0000000001'],
      pending: ['ca0000000002'],
      dirty: [],
    });
  });
});
