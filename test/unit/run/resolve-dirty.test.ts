import { describe, expect, it } from 'vitest';
import { runPlan } from '../../../electron/engine/run/executor.ts';
import { resolveDirty, type ResolveDirtyOptions } from '../../../electron/engine/run/resolve-dirty.ts';
import { readJournal } from '../../../electron/engine/run/version-reader.ts';
import type { Revision } from '../../../electron/engine/revision/revision.ts';
import type { ResolveAction } from '../../../shared/model/resolve-report.ts';
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
const R2 = 'bbbbbbbbbbb2';
const R3 = 'ccccccccccc3';

/** R2 runs without a transaction: five statements, the third inserts into `legacy`. */
const R2_UP = [
  'CREATE TABLE audit (id int);',
  'CREATE INDEX audit_id ON audit (id);',
  'INSERT INTO legacy VALUES (1);',
  'INSERT INTO audit VALUES (1);',
  'INSERT INTO audit\n  VALUES (2);',
].join('\n');

const revisions = chain([
  { id: R1, up: 'CREATE TABLE users (id int);' },
  { id: R2, up: R2_UP, transaction: 'none', message: 'backfill audit' },
  { id: R3, up: 'CREATE TABLE posts (id int);' },
]);

const failOn =
  (word: string) =>
  (sql: string): string | null =>
    !sql.startsWith('#') && sql.includes(word) ? `no such table: ${word}` : null;

/** A fake database where upgrading the chain left R2 dirty after 2 of 5 statements. */
async function dirtyDatabase(revs: Revision[] = revisions): Promise<{
  connection: FakeConnection;
  resolve: (action: ResolveAction, extra?: Partial<ResolveDirtyOptions>) => ReturnType<typeof resolveDirty>;
  upgrade: () => ReturnType<typeof runPlan>;
}> {
  const connection = new FakeConnection();
  const adapter = fakeAdapter();
  const ids = sequentialIds();
  const upgrade = (): ReturnType<typeof runPlan> =>
    runPlan({
      connection,
      adapter,
      tables: TABLES,
      identity: IDENTITY,
      hasher: fakeHasher,
      ids,
      clock: steppingClock(),
      makePlan: (rows) => upgradeChain(revs, rows),
      lockTimeoutMs: 1000,
    });
  connection.session.failOn = failOn('legacy');
  const first = await upgrade();
  expect(first.steps[1]).toMatchObject({ status: 'failed', dirty: true, statementsDone: 2 });
  connection.session.failOn = null;
  connection.log.length = 0;
  const resolve = (
    action: ResolveAction,
    extra: Partial<ResolveDirtyOptions> = {},
  ): ReturnType<typeof resolveDirty> =>
    resolveDirty({
      connection,
      adapter,
      tables: TABLES,
      identity: { ...IDENTITY, osUser: 'grace' },
      hasher: fakeHasher,
      ids,
      clock: steppingClock(),
      revisions: revs,
      target: R2,
      action,
      lockTimeoutMs: 1000,
      ...extra,
    });
  return { connection, resolve, upgrade };
}

const journal = (connection: FakeConnection) => readJournal(connection.session, fakeAdapter(), TABLES);

describe('resolveDirty', () => {
  it('lists the statements that ran and those that did not, with file:line and first line', async () => {
    const { resolve } = await dirtyDatabase();
    const report = await resolve('resume', { dryRun: true });
    const file = `migrations/${R2}.sql`;
    expect(report.ran).toEqual([
      { index: 0, file, line: 7, firstLine: 'CREATE TABLE audit (id int)' },
      { index: 1, file, line: 8, firstLine: 'CREATE INDEX audit_id ON audit (id)' },
    ]);
    expect(report.notRun.map((s) => [s.index, s.line, s.firstLine])).toEqual([
      [2, 9, 'INSERT INTO legacy VALUES (1)'],
      [3, 10, 'INSERT INTO audit VALUES (1)'],
      [4, 11, 'INSERT INTO audit'],
    ]);
    expect(report).toMatchObject({
      revision: R2,
      direction: 'up',
      message: 'backfill audit',
      fromHeads: [R1],
      toHeads: [R2],
      statementsDone: 2,
      statementsTotal: 5,
      fileChanged: false,
    });
  });

  it('--dry-run takes no lock and writes nothing', async () => {
    const { connection, resolve } = await dirtyDatabase();
    const before = connection.session.executed.length;
    for (const action of ['resume', 'markApplied', 'markRolledBack'] as const) {
      const report = await resolve(action, { dryRun: true });
      expect(report.dryRun).toBe(true);
    }
    expect(connection.session.executed.length).toBe(before);
    expect(connection.log).toEqual([]);
    expect((await journal(connection))[1]).toMatchObject({ status: 'dirty', statementsDone: 2 });
  });

  it('resume runs only the statements that did not run, journaling progress on the same row', async () => {
    const { connection, resolve, upgrade } = await dirtyDatabase();
    const session = connection.session;
    const progress: number[] = [];
    session.beforeExecute = (sql) => {
      if (sql.startsWith('INSERT')) progress.push(session.state.journal[1]!.statements_done as number);
    };
    const executedBefore = session.statements.length;
    const report = await resolve('resume');
    expect(report).toMatchObject({
      ok: true,
      status: 'succeeded',
      statementsDoneAfter: 5,
      headsBefore: [R1],
      headsAfter: [R2],
    });
    expect(session.statements.slice(executedBefore)).toEqual([
      'INSERT INTO legacy VALUES (1)',
      'INSERT INTO audit VALUES (1)',
      'INSERT INTO audit\n  VALUES (2)',
    ]);
    expect(progress).toEqual([2, 3, 4]);
    expect(session.state.heads).toEqual([R2]);
    expect(connection.log).toEqual(['lock', 'release']);
    const rows = await journal(connection);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({
      id: 2,
      direction: 'up',
      status: 'succeeded',
      statementsDone: 5,
      error: 'resolved: resumed from statement 3 (2 of 5 statements had run)',
      osUser: 'ada',
    });
    expect(rows[2]).toMatchObject({
      revision: R2,
      direction: 'stamp',
      fromHeads: [R1],
      toHeads: [R2],
      status: 'succeeded',
      osUser: 'grace',
      error: 'journal row 2 resolved: resumed from statement 3 (2 of 5 statements had run)',
    });
    // Unblocked: the next upgrade goes on to head.
    await expect(upgrade()).resolves.toMatchObject({ ok: true, headsAfter: [R3] });
  });

  it('a resume that fails again leaves the row dirty with the new count and reports file:line', async () => {
    const { connection, resolve } = await dirtyDatabase();
    connection.session.failOn = (sql) => (sql === 'INSERT INTO audit\n  VALUES (2)' ? 'disk full' : null);
    const report = await resolve('resume');
    expect(report).toMatchObject({
      ok: false,
      status: 'dirty',
      statementsDoneAfter: 4,
      headsAfter: [R1],
      error: {
        code: 'STATEMENT_FAILED',
        details: { file: `migrations/${R2}.sql`, line: 11, index: 4 },
      },
    });
    expect(report.error!.message).toContain(`migrations/${R2}.sql:11: statement 5 of 5 failed`);
    const rows = await journal(connection);
    expect(rows[1]).toMatchObject({ status: 'dirty', statementsDone: 4 });
    expect(rows[1]!.error).toContain(`migrations/${R2}.sql:11: disk full`);
    expect(rows[2]).toMatchObject({ direction: 'stamp', status: 'failed', toHeads: [R1] });
    expect(connection.session.state.heads).toEqual([R1]);
  });

  it('a resume failing at its first statement keeps the row dirty, not failed', async () => {
    const { connection, resolve } = await dirtyDatabase();
    connection.session.failOn = failOn('legacy');
    const report = await resolve('resume');
    expect(report).toMatchObject({ ok: false, status: 'dirty', statementsDoneAfter: 2 });
    expect((await journal(connection))[1]).toMatchObject({ status: 'dirty', statementsDone: 2 });
  });

  it('--mark-applied moves the version table and finishes the row succeeded with a note', async () => {
    const { connection, resolve, upgrade } = await dirtyDatabase();
    const executedBefore = connection.session.statements.length;
    const report = await resolve('markApplied');
    expect(report).toMatchObject({ ok: true, status: 'succeeded', headsAfter: [R2] });
    expect(connection.session.statements.length).toBe(executedBefore);
    expect(connection.session.inTransaction).toBe(false);
    const rows = await journal(connection);
    expect(rows[1]).toMatchObject({
      status: 'succeeded',
      statementsDone: 2,
      error: 'resolved by hand: marked as applied (2 of 5 statements had run)',
    });
    expect(rows[2]).toMatchObject({ direction: 'stamp', fromHeads: [R1], toHeads: [R2], osUser: 'grace' });
    await expect(upgrade()).resolves.toMatchObject({ ok: true, headsAfter: [R3] });
  });

  it('--mark-rolled-back leaves the version table; the next upgrade runs the revision from statement 1', async () => {
    const { connection, resolve, upgrade } = await dirtyDatabase();
    const report = await resolve('markRolledBack');
    expect(report).toMatchObject({ ok: true, status: 'failed', headsBefore: [R1], headsAfter: [R1] });
    const rows = await journal(connection);
    expect(rows[1]).toMatchObject({
      status: 'failed',
      error: 'resolved by hand: marked as rolled back (2 of 5 statements had run)',
    });
    expect(rows[2]).toMatchObject({ direction: 'stamp', fromHeads: [R1], toHeads: [R1] });
    const executedBefore = connection.session.statements.length;
    await expect(upgrade()).resolves.toMatchObject({ ok: true, headsAfter: [R3] });
    expect(connection.session.statements.slice(executedBefore, executedBefore + 1)).toEqual([
      'CREATE TABLE audit (id int)',
    ]);
  });

  it('resolves by unique prefix; refuses unknown, not dirty and ambiguous revisions', async () => {
    const { resolve } = await dirtyDatabase();
    await expect(resolve('resume', { target: 'bbbb', dryRun: true })).resolves.toMatchObject({
      revision: R2,
    });
    await expect(resolve('resume', { target: 'ffff' })).rejects.toMatchObject({
      code: 'REVISION_NOT_FOUND',
    });
    await expect(resolve('resume', { target: 'bbb' })).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
    const notDirty = await resolve('resume', { target: R1 }).catch((e: unknown) => e);
    expect(notDirty).toMatchObject({ code: 'NOT_DIRTY', details: { revision: R1, dirty: [R2] } });
    expect((notDirty as Error).message).toContain(`${R2} (journal id 2)`);
  });

  it('says there is nothing to resolve on a clean database', async () => {
    const { resolve } = await dirtyDatabase();
    await resolve('markApplied');
    const error = await resolve('markApplied').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_DIRTY' });
    expect((error as Error).message).toContain('has no dirty step');
  });

  it('refuses --resume when the file changed since the step ran, but allows marking', async () => {
    const { connection, resolve } = await dirtyDatabase();
    const edited = chain([
      { id: R1, up: 'CREATE TABLE users (id int);' },
      { id: R2, up: `${R2_UP}\nINSERT INTO audit VALUES (3);`, transaction: 'none' },
      { id: R3, up: 'CREATE TABLE posts (id int);' },
    ]);
    await expect(resolve('resume', { revisions: edited })).rejects.toMatchObject({
      code: 'HISTORY_CHANGED',
      details: { revisions: [R2] },
    });
    expect((await journal(connection))[1]).toMatchObject({ status: 'dirty' });
    const report = await resolve('markApplied', { revisions: edited });
    expect(report).toMatchObject({ fileChanged: true, status: 'succeeded' });
    expect(report.notRun).toHaveLength(4);
  });

  it('refuses --resume and --mark-applied when the version table moved since the step', async () => {
    const { connection, resolve } = await dirtyDatabase();
    connection.session.state.heads = [R3];
    await expect(resolve('resume')).rejects.toMatchObject({
      code: 'VERSION_TABLE_CHANGED',
      details: { expected: [R1], found: [R3] },
    });
    await expect(resolve('markApplied')).rejects.toMatchObject({ code: 'VERSION_TABLE_CHANGED' });
    await expect(resolve('markRolledBack')).resolves.toMatchObject({ headsAfter: [R3] });
  });

  it('--mark-applied on a version table already stamped to the step’s to_heads only settles the row', async () => {
    const { connection, resolve } = await dirtyDatabase();
    connection.session.state.heads = [R2];
    const report = await resolve('markApplied');
    expect(report).toMatchObject({ status: 'succeeded', headsBefore: [R2], headsAfter: [R2] });
    expect(connection.session.state.heads).toEqual([R2]);
  });

  it('marks a running row of a dead run dirty first, then resumes it', async () => {
    const connection = new FakeConnection();
    const session = connection.session;
    await session.execute('#create {}');
    await session.execute(
      `#start ${JSON.stringify({ stepId: 's', runId: 'dead', revision: R2, direction: 'up', fromHeads: [], toHeads: [R2], checksum: 'hash:0', appliedText: null, statementsTotal: 5, osUser: null, host: 'old-box', toolVersion: 'x', status: 'running' })}`,
    );
    const revs = chain([{ id: R2, up: R2_UP, transaction: 'none' }]);
    const base = {
      connection,
      adapter: fakeAdapter(),
      tables: TABLES,
      identity: IDENTITY,
      hasher: { sha256Hex: () => 'hash:0' },
      ids: sequentialIds(),
      clock: steppingClock(),
      revisions: revs,
      target: R2,
      lockTimeoutMs: 1000,
    };
    await expect(resolveDirty({ ...base, action: 'resume', dryRun: true })).rejects.toMatchObject({
      code: 'NOT_DIRTY',
    });
    const report = await resolveDirty({ ...base, action: 'resume' });
    expect(report).toMatchObject({ ok: true, statementsDone: 0, headsAfter: [R2] });
    expect(session.statements).toHaveLength(5);
  });

  it('handles several dirty rows one revision at a time', async () => {
    const { connection, resolve } = await dirtyDatabase();
    const session = connection.session;
    await session.execute(
      `#start ${JSON.stringify({ stepId: 'other', runId: 'r', revision: R3, direction: 'up', fromHeads: [R1], toHeads: [R3], checksum: null, appliedText: null, statementsTotal: 1, osUser: null, host: null, toolVersion: 'x', status: 'dirty' })}`,
    );
    const report = await resolve('markRolledBack');
    expect(report.otherDirty).toEqual([{ revision: R3, journalId: 3 }]);
    const rows = await journal(connection);
    expect(rows.filter((r) => r.status === 'dirty').map((r) => r.revision)).toEqual([R3]);
  });
});
