/**
 * Conformance: `stratum upgrade head` SIGKILLed in the middle of a long migration (issue 3). A
 * project of three revisions whose second one runs a slow statement between two DDL statements;
 * the CLI is killed while that statement runs. With transactional DDL (PostgreSQL, SQLite) the
 * interrupted revision rolls back with its transaction, the lock dies with the session / process,
 * and the next run applies the rest exactly once. On MySQL the first DDL committed implicitly: the
 * revision is dirty at the exact statement, the next run refuses (exit 9), and each `stratum
 * resolve` option settles it. The same scenario on every dialect (STYLE.md §F.3).
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../electron/dialects/registry.ts';
import type { Dialect } from '../../shared/model/dialect.ts';
import {
  ConformanceTarget,
  countRows,
  dialectsFor,
  waitFor,
  type CliResult,
  type JournalRow,
  type RunningCli,
} from './support/conformance-target.ts';

const dialects = dialectsFor('sigkill');

const R1 = 'd1d1d1d1d1d1';
const R2 = 'd2d2d2d2d2d2';
const R3 = 'd3d3d3d3d3d3';

/**
 * Revision 2's slow statement 2. SQLite: ~16 M rows (seconds of work, ~200 MB of pages spilled
 * into the file inside the transaction, far beyond the page cache). MySQL takes the sleep length: the resolve cases use a
 * short, bounded one because `--resume` and a re-run execute it again.
 */
function slowStatement(dialect: Dialect, mysqlSeconds: number): string {
  switch (dialect) {
    case 'postgres':
      return 'SELECT pg_sleep(20);';
    case 'mysql':
      return `SELECT SLEEP(${mysqlSeconds});`;
    case 'sqlite':
      return 'INSERT INTO two (x) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 16000000) SELECT i FROM n;';
  }
}

interface StatusJson {
  readonly dirty: readonly { readonly revision: string; readonly statementsDone: number }[];
}

interface ResolveJson {
  readonly ok: boolean;
  readonly report: {
    readonly status: string;
    readonly statementsDone: number;
    readonly statementsDoneAfter: number;
    readonly ran: readonly { readonly index: number }[];
    readonly notRun: readonly { readonly index: number }[];
    readonly headsAfter: readonly string[];
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const output = (result: CliResult): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

describe.each(dialects)('%s: upgrade SIGKILLed in the middle of a long migration', (dialect) => {
  const transactionalDdl = adapterFor(dialect).capabilities.supportsTransactionalDdl;
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'sigkill');
  });
  afterAll(async () => {
    await target?.dispose();
  });
  beforeEach(async () => {
    target.resetProject();
    await target.resetDatabase();
  });
  afterEach(async () => {
    await target.killChildren();
  });

  /**
   * The server's id of the run's connection while it executes the slow statement (SQLite: null,
   * once revision 1 has committed and revision 2's long insert is writing pages into the file).
   * Throws when the run ends by itself first.
   */
  async function waitForSlowStatement(run: RunningCli, mysqlSeconds: number): Promise<number | null> {
    const ended = (): never => {
      throw new Error(`the run ended before its slow statement was seen:\n${run.stderr()}`);
    };
    if (dialect === 'sqlite') {
      await waitFor(
        'revision 1 to finish',
        () => run.stderr().includes('✓ [1/3]') || run.child.exitCode !== null,
      );
      if (run.child.exitCode !== null) ended();
      // Then a short wait, until the long insert's uncommitted pages are spilling into the file:
      // the kill lands inside statement 2, with revision 2's transaction open.
      const file = target.databaseName;
      const afterR1 = statSync(file).size;
      await waitFor(
        'revision 2 to spill into the database file',
        () => statSync(file).size > afterR1 + 4 * 1024 * 1024 || run.child.exitCode !== null,
      );
      if (run.child.exitCode !== null) ended();
      return null;
    }
    const sql =
      dialect === 'postgres'
        ? "SELECT pid AS id FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'stratum' " +
          "AND state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()"
        : 'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() ' +
          `AND INFO LIKE '%SLEEP(${mysqlSeconds})%' AND ID <> CONNECTION_ID()`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (run.child.exitCode !== null) ended();
      const rows = await target.query(sql);
      if (rows.length === 1) return Number(rows[0]!.id);
      expect(rows.length, 'one run, one slow statement').toBeLessThan(2);
      if (Date.now() > deadline) throw new Error(`the slow statement never showed up:\n${run.stderr()}`);
      await sleep(50);
    }
  }

  /** Polls until the server no longer lists connection `id` (the killed run's session ended). */
  async function waitForSessionGone(id: number): Promise<number> {
    const started = Date.now();
    const sql =
      dialect === 'postgres'
        ? `SELECT pid FROM pg_stat_activity WHERE pid = ${id}`
        : `SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ${id}`;
    const deadline = started + 60_000;
    while ((await target.query(sql)).length > 0) {
      if (Date.now() > deadline)
        throw new Error(`the killed run's server session ${id} is still there after 60 s`);
      await sleep(100);
    }
    return Date.now() - started;
  }

  /**
   * Writes the three revisions, starts `upgrade head`, SIGKILLs it while revision 2's slow
   * statement 2 runs, and waits until the killed run's server session is gone.
   */
  async function killDuringRevision2(mysqlSeconds = 20): Promise<CliResult> {
    target.writeRevisions([
      { id: R1, parents: [], up: 'CREATE TABLE one (x integer);' },
      {
        id: R2,
        parents: [R1],
        up: [
          'CREATE TABLE two (x integer, y varchar(40));',
          slowStatement(dialect, mysqlSeconds),
          'CREATE TABLE two_b (x integer);',
        ].join('\n'),
      },
      { id: R3, parents: [R2], up: 'CREATE TABLE three (x integer);' },
    ]);
    const run = target.start(['upgrade', 'head']);
    const session = await waitForSlowStatement(run, mysqlSeconds);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal, `the run ended by itself:\n${output(killed)}`).toBe('SIGKILL');
    expect(killed.stderr).toContain(`✓ [1/3] ↑ ${R1}`);
    expect(killed.stderr).not.toContain('✓ [2/3]');
    // SQLite: the killed writer left a hot rollback journal (read next, it is rolled back).
    if (dialect === 'sqlite') expect(existsSync(`${target.databaseName}-journal`)).toBe(true);
    if (session !== null) {
      // The server finds out about the dead client only when the sleep ends and it writes the
      // result: then it rolls back (PostgreSQL) and releases the session's advisory / named lock.
      const ms = await waitForSessionGone(session);
      console.log(`${dialect}: the killed run's session ${session} ended ${ms} ms after the kill`);
    }
    return killed;
  }

  /** Checks the end state: all three applied, each revision succeeded exactly once, `check` 0. */
  async function expectFullyApplied(): Promise<JournalRow[]> {
    expect(await target.versions()).toEqual([R3]);
    expect(await target.tableNames()).toEqual(['one', 'three', 'two', 'two_b']);
    const journal = await target.journal();
    expect(countRows(journal, 'succeeded')).toEqual({ [R1]: 1, [R2]: 1, [R3]: 1 });
    const check = await target.cli('check');
    expect(check.code, output(check)).toBe(0);
    return journal;
  }

  if (transactionalDdl) {
    it('the interrupted revision rolls back, revision 1 stays; the next run takes the freed lock at once and applies 2 and 3 exactly once', async () => {
      await killDuringRevision2();

      expect(await target.versions()).toEqual([R1]);
      expect(await target.tableNames()).toEqual(['one']);
      expect(await target.hasTable('two')).toBe(false);
      const journal = await target.journal();
      // Revision 2's journal row was written inside its transaction: it rolled back with it.
      expect(countRows(journal, 'succeeded')).toEqual({ [R1]: 1 });
      expect(journal.filter((row) => row.revision !== R1)).toEqual([]);
      expect(journal).toEqual([
        expect.objectContaining({ revision: R1, direction: 'up', status: 'succeeded', statements_done: 1 }),
      ]);

      // The lock died with the session (PostgreSQL) / the process (SQLite): no wait at all.
      const again = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(again.code, output(again)).toBe(0);
      expect(again.stderr).not.toContain('waiting for the migration lock');
      expect(again.stderr).toContain(`✓ [1/2] ↑ ${R2}`);
      expect(again.stderr).toContain(`✓ [2/2] ↑ ${R3}`);

      const final = await expectFullyApplied();
      expect(final.map((row) => [row.revision, row.direction, row.status, row.statements_done])).toEqual([
        [R1, 'up', 'succeeded', 1],
        [R2, 'up', 'succeeded', 3],
        [R3, 'up', 'succeeded', 1],
      ]);
    }, 180_000);
  } else {
    /**
     * The killed state: table `two` committed (implicitly, by its DDL), the journal row of
     * revision 2 still `running` with statement 1 of 3 done, then `upgrade head` refusing with 9.
     */
    async function killedAndRefused(mysqlSeconds: number): Promise<void> {
      await killDuringRevision2(mysqlSeconds);
      expect(await target.versions()).toEqual([R1]);
      expect(await target.tableNames()).toEqual(['one', 'two']);
      expect((await target.journal()).map((row) => [row.revision, row.direction, row.status])).toEqual([
        [R1, 'up', 'succeeded'],
        [R2, 'up', 'running'],
      ]);
      expect((await target.journal()).at(-1)).toMatchObject({ statements_done: 1, statements_total: 3 });

      const refused = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(refused.code, output(refused)).toBe(9);
      expect(refused.stderr).toContain(`revision ${R2}`);
      expect(refused.stderr).toContain('after 1 of 3 statements');
      expect(refused.stderr).toContain(`stratum resolve ${R2}`);
      expect(refused.stderr).not.toContain('waiting for the migration lock');
      // The refusing run found the dead run's row and marked it dirty; nothing else changed.
      expect((await target.journal()).map((row) => [row.revision, row.status, row.statements_done])).toEqual([
        [R1, 'succeeded', 1],
        [R2, 'dirty', 1],
      ]);
      expect(await target.versions()).toEqual([R1]);
      expect(await target.tableNames()).toEqual(['one', 'two']);
    }

    it('statement 1 (DDL) stayed: dirty at exactly 1 of 3 statements; upgrade and check refuse with 9 naming `stratum resolve`', async () => {
      await killedAndRefused(20);
      const status = await target.json<StatusJson>('status');
      expect(status.body.dirty.map((d) => [d.revision, d.statementsDone])).toEqual([[R2, 1]]);
      const check = await target.cli('check');
      expect(check.code, output(check)).toBe(9);
      // Still refused: a dirty revision blocks every run until it is resolved.
      const again = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(again.code, output(again)).toBe(9);
      expect(await target.tableNames()).toEqual(['one', 'two']);
    }, 180_000);

    it('resolve --resume runs statements 2 and 3 of revision 2; the next upgrade applies only 3', async () => {
      await killedAndRefused(4);
      const resumed = await target.json<ResolveJson>('resolve', R2, '--resume');
      expect(resumed.code, JSON.stringify(resumed.body)).toBe(0);
      expect(resumed.body.ok).toBe(true);
      expect(resumed.body.report).toMatchObject({
        status: 'succeeded',
        statementsDone: 1,
        statementsDoneAfter: 3,
      });
      expect(resumed.body.report.ran.map((s) => s.index)).toEqual([0]);
      expect(resumed.body.report.notRun.map((s) => s.index)).toEqual([1, 2]);
      expect(await target.versions()).toEqual([R2]);
      expect(await target.tableNames()).toEqual(['one', 'two', 'two_b']);
      expect(
        (await target.journal()).find((row) => row.revision === R2 && row.direction === 'up'),
      ).toMatchObject({
        status: 'succeeded',
        statements_done: 3,
        statements_total: 3,
      });

      const up = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(up.code, output(up)).toBe(0);
      expect(up.stderr).toContain(`✓ [1/1] ↑ ${R3}`);
      expect(up.stderr).not.toContain(`↑ ${R2}`);
      const journal = await expectFullyApplied();
      expect(journal.map((row) => [row.revision, row.direction, row.status])).toEqual([
        [R1, 'up', 'succeeded'],
        [R2, 'up', 'succeeded'],
        [R2, 'stamp', 'succeeded'],
        [R3, 'up', 'succeeded'],
      ]);
    }, 180_000);

    it('resolve --mark-applied after finishing by hand moves the version to 2; the next upgrade applies only 3', async () => {
      await killedAndRefused(4);
      await target.query('CREATE TABLE two_b (x integer)');
      const marked = await target.cli('resolve', R2, '--mark-applied');
      expect(marked.code, output(marked)).toBe(0);
      expect(await target.versions()).toEqual([R2]);
      expect((await target.json<StatusJson>('status')).body.dirty).toEqual([]);
      // The row keeps the progress it had: 1 of 3 statements ran under Stratum.
      expect(
        (await target.journal()).find((row) => row.revision === R2 && row.direction === 'up'),
      ).toMatchObject({
        status: 'succeeded',
        statements_done: 1,
        statements_total: 3,
      });

      const up = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(up.code, output(up)).toBe(0);
      expect(up.stderr).toContain(`✓ [1/1] ↑ ${R3}`);
      expect(up.stderr).not.toContain(`↑ ${R2}`);
      const journal = await expectFullyApplied();
      expect(journal.map((row) => [row.revision, row.direction, row.status])).toEqual([
        [R1, 'up', 'succeeded'],
        [R2, 'up', 'succeeded'],
        [R2, 'stamp', 'succeeded'],
        [R3, 'up', 'succeeded'],
      ]);
    }, 180_000);

    it('resolve --mark-rolled-back after undoing by hand keeps version 1; the next upgrade runs 2 from statement 1, then 3', async () => {
      await killedAndRefused(4);
      await target.query('DROP TABLE two');
      const marked = await target.cli('resolve', R2, '--mark-rolled-back');
      expect(marked.code, output(marked)).toBe(0);
      expect(await target.versions()).toEqual([R1]);
      expect((await target.json<StatusJson>('status')).body.dirty).toEqual([]);
      expect(await target.tableNames()).toEqual(['one']);

      const up = await target.cli('upgrade', 'head', '--lock-timeout', '0');
      expect(up.code, output(up)).toBe(0);
      expect(up.stderr).toContain(`✓ [1/2] ↑ ${R2}`);
      expect(up.stderr).toContain(`✓ [2/2] ↑ ${R3}`);
      const journal = await expectFullyApplied();
      expect(journal.map((row) => [row.revision, row.direction, row.status, row.statements_done])).toEqual([
        [R1, 'up', 'succeeded', 1],
        [R2, 'up', 'failed', 1],
        [R2, 'stamp', 'succeeded', 0],
        [R2, 'up', 'succeeded', 3],
        [R3, 'up', 'succeeded', 1],
      ]);
    }, 180_000);
  }
});
