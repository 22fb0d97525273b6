import { describe, expect, it } from 'vitest';
import { runPlan, type RunPlanOptions } from '../../../electron/engine/run/executor.ts';
import { renderOfflineScript } from '../../../electron/engine/sql/offline-script.ts';
import { readJournal } from '../../../electron/engine/run/version-reader.ts';
import { isEngineError } from '../../../electron/engine/engine-error.ts';
import type { Plan } from '../../../electron/engine/plan/plan.ts';
import type { Revision } from '../../../electron/engine/revision/revision.ts';
import type { RunEvent } from '../../../shared/model/run-event.ts';
import {
  FakeConnection,
  IDENTITY,
  TABLES,
  fakeAdapter,
  fakeHasher,
  sequentialIds,
  steppingClock,
} from './fake-database.ts';
import { chain, upgradeChain } from './revisions.ts';

const R1 = 'aaaaaaaaaaa1';
const R2 = 'aaaaaaaaaaa2';
const R3 = 'aaaaaaaaaaa3';

const revisions = chain([
  { id: R1, up: 'CREATE TABLE users (id int);', down: 'DROP TABLE users;' },
  { id: R2, up: 'ALTER TABLE users ADD a int;\nALTER TABLE userz ADD b int;\nALTER TABLE users ADD c int;' },
  { id: R3, up: 'CREATE INDEX i ON users (a);' },
]);

function setup(
  options: { revisions?: Revision[]; transactionalDdl?: boolean; plan?: (rows: string[]) => Plan } = {},
): {
  connection: FakeConnection;
  events: RunEvent[];
  run: (extra?: Partial<RunPlanOptions>) => ReturnType<typeof runPlan>;
} {
  const connection = new FakeConnection();
  const events: RunEvent[] = [];
  const revs = options.revisions ?? revisions;
  const adapter = fakeAdapter({ transactionalDdl: options.transactionalDdl ?? true });
  const run = (extra: Partial<RunPlanOptions> = {}): ReturnType<typeof runPlan> =>
    runPlan({
      connection,
      adapter,
      tables: TABLES,
      identity: IDENTITY,
      hasher: fakeHasher,
      ids: sequentialIds(),
      clock: steppingClock(),
      makePlan: options.plan ?? ((rows) => upgradeChain(revs, rows)),
      lockTimeoutMs: 1000,
      onEvent: (event) => events.push(event),
      ...extra,
    });
  return { connection, events, run };
}

/** Fails migration statements naming `userz` (not the journal rows, whose applied text names it too). */
const failOnUserz = (sql: string): string | null =>
  !sql.startsWith('#') && sql.includes('userz') ? 'no such table: userz' : null;

async function journal(connection: FakeConnection) {
  return readJournal(connection.session, fakeAdapter(), TABLES);
}

describe('runPlan', () => {
  it('applies every step in its own transaction, journals it, and a re-run is a no-op', async () => {
    const { connection, events, run } = setup();
    const report = await run();
    expect(report).toMatchObject({
      ok: true,
      cancelled: false,
      dryRun: false,
      headsBefore: [],
      headsAfter: [R3],
    });
    expect(report.steps.map((s) => [s.revision, s.status, s.statementsDone, s.statementsTotal])).toEqual([
      [R1, 'applied', 1, 1],
      [R2, 'applied', 3, 3],
      [R3, 'applied', 1, 1],
    ]);
    const rows = await journal(connection);
    expect(rows.map((r) => [r.revision, r.status, r.statementsDone, r.statementsTotal])).toEqual([
      [R1, 'succeeded', 1, 1],
      [R2, 'succeeded', 3, 3],
      [R3, 'succeeded', 1, 1],
    ]);
    expect(rows[0]).toMatchObject({
      osUser: 'ada',
      host: 'box',
      toolVersion: 'stratum 0.1.0',
      fromHeads: [],
      toHeads: [R1],
    });
    expect(connection.log).toEqual(['lock', 'release']);
    expect(events.map((e) => e.kind).slice(0, 6)).toEqual([
      'lockWaiting',
      'lockAcquired',
      'runStarted',
      'stepStarted',
      'statementStarted',
      'statementFinished',
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'runFinished', report });
    expect(events.filter((e) => e.kind === 'stepFinished')).toHaveLength(3);
    expect(events.find((e) => e.kind === 'statementStarted')).toMatchObject({
      step: 0,
      index: 0,
      total: 1,
      location: { file: `migrations/${R1}.sql`, line: 6 },
      sql: 'CREATE TABLE users (id int)',
    });

    const executed = connection.session.executed.length;
    const again = await run();
    expect(again).toMatchObject({ ok: true, headsBefore: [R3], headsAfter: [R3], steps: [] });
    expect(connection.session.executed).toHaveLength(executed);
  });

  it('a failing statement rolls its step back, keeps earlier steps, and does not run later ones', async () => {
    const { connection, run } = setup();
    connection.session.failOn = failOnUserz;
    const report = await run();
    expect(report.ok).toBe(false);
    expect(report.headsAfter).toEqual([R1]);
    expect(report.steps.map((s) => [s.revision, s.status, s.rolledBack, s.dirty])).toEqual([
      [R1, 'applied', false, false],
      [R2, 'failed', true, false],
      [R3, 'notRun', false, false],
    ]);
    const failed = report.steps[1]!;
    expect(failed.statementsDone).toBe(1);
    expect(failed.error).toEqual({
      code: 'STATEMENT_FAILED',
      message: `migrations/${R2}.sql:7: statement 2 of 3 failed on sqlite: no such table: userz (FAKE_ERROR)`,
      details: {
        file: `migrations/${R2}.sql`,
        line: 7,
        index: 1,
        sql: 'ALTER TABLE userz ADD b int',
        dialect: 'sqlite',
        nativeCode: 'FAKE_ERROR',
        nativeMessage: 'no such table: userz',
      },
    });
    const rows = await journal(connection);
    expect(rows.map((r) => [r.revision, r.status, r.statementsDone, r.error])).toEqual([
      [R1, 'succeeded', 1, null],
      [R2, 'failed', 1, `migrations/${R2}.sql:7: no such table: userz`],
    ]);
    expect(connection.session.statements).not.toContain('CREATE INDEX i ON users (a)');
    expect(connection.session.inTransaction).toBe(false);
    expect(connection.log).toEqual(['lock', 'release']);
  });

  it('transaction: none leaves the database dirty when a statement after the first fails, and the next run refuses', async () => {
    const revs = chain([
      { id: R1, up: 'CREATE TABLE users (id int);' },
      { id: R2, up: 'CREATE INDEX a ON users (id);\nCREATE INDEX b ON userz (id);', transaction: 'none' },
    ]);
    const { connection, run } = setup({ revisions: revs });
    connection.session.failOn = failOnUserz;
    const report = await run();
    expect(report.steps[1]).toMatchObject({
      status: 'failed',
      dirty: true,
      rolledBack: false,
      statementsDone: 1,
    });
    expect(report.steps[1]!.error!.message).toContain('stratum resolve');
    const rows = await journal(connection);
    expect(rows[1]).toMatchObject({ status: 'dirty', statementsDone: 1, statementsTotal: 2 });
    expect(report.headsAfter).toEqual([R1]);

    connection.session.failOn = null;
    const refused = await run().catch((error: unknown) => error);
    expect(isEngineError(refused, 'DIRTY')).toBe(true);
    expect(refused).toMatchObject({
      details: { revision: R2, statementsDone: 1, statementsTotal: 2, journalId: rows[1]!.id },
    });
    expect((refused as Error).message).toMatch(/R2|aaaaaaaaaaa2/);
    expect((refused as Error).message).toContain('stratum resolve');
    expect(connection.log).toEqual(['lock', 'release', 'lock', 'release']);
  });

  it('transaction: none records `failed`, not dirty, when its first statement fails', async () => {
    const revs = chain([{ id: R1, up: 'CREATE INDEX b ON userz (id);\nSELECT 1;', transaction: 'none' }]);
    const { connection, run } = setup({ revisions: revs });
    connection.session.failOn = failOnUserz;
    const report = await run();
    expect(report.steps[0]).toMatchObject({
      status: 'failed',
      dirty: false,
      rolledBack: false,
      statementsDone: 0,
    });
    expect((await journal(connection))[0]).toMatchObject({ status: 'failed', statementsDone: 0 });
    connection.session.failOn = null;
    await expect(run()).resolves.toMatchObject({ ok: true });
  });

  it('journals progress of transaction: none statements one by one', async () => {
    const revs = chain([{ id: R1, up: 'SELECT 1;\nSELECT 2;\nSELECT 3;', transaction: 'none' }]);
    const { connection, run } = setup({ revisions: revs });
    const seen: number[] = [];
    connection.session.beforeExecute = (sql) => {
      if (sql.startsWith('SELECT'))
        seen.push((connection.session.state.journal[0]?.statements_done as number) ?? -1);
    };
    await run();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('on MySQL-like dialects a per-migration step whose DDL committed implicitly is dirty, not rolled back', async () => {
    const revs = chain([{ id: R1, up: 'CREATE TABLE t (id int);\nALTER TABLE userz ADD b int;' }]);
    const { connection, run } = setup({ revisions: revs, transactionalDdl: false });
    connection.session.failOn = failOnUserz;
    connection.session.implicitCommitPrefix = 'CREATE';
    const report = await run();
    expect(report.steps[0]).toMatchObject({
      status: 'failed',
      dirty: true,
      rolledBack: false,
      statementsDone: 1,
    });
    expect((await journal(connection))[0]).toMatchObject({ status: 'dirty', statementsDone: 1 });
  });

  it('cancel between steps: the remaining steps do not run and the report says cancelled', async () => {
    const { connection, run } = setup();
    const signal = { aborted: false };
    connection.session.beforeExecute = (sql) => {
      if (sql === 'COMMIT') signal.aborted = true;
    };
    const report = await run({ signal });
    expect(report).toMatchObject({ ok: false, cancelled: true, headsAfter: [R1] });
    expect(report.steps.map((s) => s.status)).toEqual(['applied', 'notRun', 'notRun']);
    expect(connection.log).toEqual(['lock', 'release']);
  });

  it('cancel inside a per-migration step rolls it back and reports it notRun', async () => {
    const { connection, run } = setup();
    const signal = { aborted: false };
    connection.session.beforeExecute = (sql) => {
      if (sql.startsWith('ALTER TABLE users ADD a')) signal.aborted = true;
    };
    const report = await run({ signal });
    expect(report.steps.map((s) => [s.status, s.rolledBack])).toEqual([
      ['applied', false],
      ['notRun', true],
      ['notRun', false],
    ]);
    expect(report.cancelled).toBe(true);
    expect(connection.session.inTransaction).toBe(false);
    expect((await journal(connection)).map((r) => r.revision)).toEqual([R1]);
  });

  it('calls makePlan only once the lock is held', async () => {
    const { connection, run } = setup();
    let lockedWhenPlanning: boolean | null = null;
    await run({
      makePlan: (rows) => {
        lockedWhenPlanning = connection.locked;
        return upgradeChain(revisions, rows);
      },
    });
    expect(lockedWhenPlanning).toBe(true);
  });

  it('releases the lock and rethrows when makePlan throws', async () => {
    const { connection, run } = setup();
    const error = new Error('MULTIPLE_HEADS');
    await expect(
      run({
        makePlan: () => {
          throw error;
        },
      }),
    ).rejects.toBe(error);
    expect(connection.log).toEqual(['lock', 'release']);
  });

  it('marks a running row of a dead run dirty, then refuses', async () => {
    const { connection, run } = setup();
    const session = connection.session;
    await session.execute('#create {}');
    await session.execute(
      `#start ${JSON.stringify({ stepId: 's', runId: 'dead', revision: R1, direction: 'up', fromHeads: [], toHeads: [R1], checksum: null, appliedText: null, statementsTotal: 4, osUser: null, host: 'old-box', toolVersion: 'x', status: 'running' })}`,
    );
    await session.execute(`#progress ${JSON.stringify({ stepId: 's', statementsDone: 2 })}`);
    await expect(run()).rejects.toMatchObject({
      code: 'DIRTY',
      details: { revision: R1, statementsDone: 2, statementsTotal: 4 },
    });
    expect((await journal(connection))[0]).toMatchObject({ status: 'dirty', statementsDone: 2 });
    expect(connection.log).toEqual(['lock', 'release']);
  });

  it('fails the step when the version table changed behind the lock', async () => {
    const { connection, run } = setup();
    connection.session.beforeExecute = (sql) => {
      if (sql === 'BEGIN' && connection.session.state.heads.includes(R1))
        connection.session.state.heads = ['ffffffffffff'];
    };
    const report = await run();
    expect(report.steps.map((s) => s.status)).toEqual(['applied', 'failed', 'notRun']);
    expect(report.steps[1]!.error).toMatchObject({
      code: 'VERSION_TABLE_CHANGED',
      details: { found: ['ffffffffffff'] },
    });
    expect(report.steps[1]!.rolledBack).toBe(true);
  });

  it('dry run writes nothing, takes no lock, reports steps skipped and streams what would run', async () => {
    const { connection, events, run } = setup();
    const report = await run({ dryRun: true });
    expect(connection.session.executed).toEqual([]);
    expect(connection.log).toEqual([]);
    expect(report).toMatchObject({ ok: true, dryRun: true, headsBefore: [], headsAfter: [R3] });
    expect(report.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const statements = events
      .filter((e) => e.kind === 'statementStarted')
      .map((e) => e.kind === 'statementStarted' && e.sql);
    expect(statements).toEqual([
      'CREATE TABLE users (id int)',
      'ALTER TABLE users ADD a int',
      'ALTER TABLE userz ADD b int',
      'ALTER TABLE users ADD c int',
      'CREATE INDEX i ON users (a)',
    ]);
  });

  it('executes exactly the SQL of the offline script for the same plan (STYLE §F.4)', async () => {
    const revs = chain([
      { id: R1, up: 'CREATE TABLE users (id int);' },
      { id: R2, up: 'CREATE INDEX a ON users (id);\nCREATE INDEX b ON users (id);', transaction: 'none' },
      { id: R3, up: "INSERT INTO users VALUES (1);\nUPDATE users SET id = 2 WHERE 'a;b' <> '';" },
    ]);
    const { connection, run } = setup({ revisions: revs });
    await run();
    const script = renderOfflineScript({
      plan: upgradeChain(revs, []),
      adapter: fakeAdapter(),
      tables: TABLES,
      identity: { ...IDENTITY, osUser: null, host: null, pid: null },
      hasher: fakeHasher,
      ids: sequentialIds(),
      header: { project: 'p', range: 'base:heads', generator: 'stratum 0.1.0', date: '2026-11-21T10:30:00Z' },
    });
    const lines = script
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('-- ') && !line.startsWith('.'));
    // Online journal rows carry the live identity; the offline ones are marked `(offline)`.
    const offline = (sql: string): string =>
      `${sql};`.replace(
        '"osUser":"ada","host":"box","toolVersion":"stratum 0.1.0"',
        '"osUser":null,"host":null,"toolVersion":"stratum 0.1.0 (offline)"',
      );
    expect(lines).toEqual(connection.session.executed.map(offline));
  });

  it('throws DATABASE_UNAVAILABLE when Stratum cannot create its tables', async () => {
    const { connection, run } = setup();
    connection.session.failOn = (sql) => (sql.startsWith('#create') ? 'permission denied' : null);
    await expect(run()).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      details: { database: 'fake.db', reason: 'permission denied (FAKE_ERROR)' },
    });
    // The tables are created under the lock (a waiter must not touch the database), which is released.
    expect(connection.log).toEqual(['lock', 'release']);
  });

  it('cancel inside a transaction: none step after a statement ran leaves it dirty', async () => {
    const revs = chain([{ id: R1, up: 'SELECT 1;\nSELECT 2;', transaction: 'none' }]);
    const { connection, run } = setup({ revisions: revs });
    const signal = { aborted: false };
    connection.session.beforeExecute = (sql) => {
      if (sql === 'SELECT 1') signal.aborted = true;
    };
    const report = await run({ signal });
    expect(report.cancelled).toBe(true);
    expect(report.steps[0]).toMatchObject({ status: 'failed', dirty: true, statementsDone: 1 });
    expect(report.steps[0]!.error).toMatchObject({ code: 'CANCELLED' });
    expect((await journal(connection))[0]).toMatchObject({ status: 'dirty', statementsDone: 1 });
  });
});
