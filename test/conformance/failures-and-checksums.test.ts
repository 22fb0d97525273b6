/**
 * Conformance: a revision failing mid-run and what remains of it, `transaction: none` revisions
 * (progress journaled statement by statement, a part-way failure resumed), and a checksum
 * mismatch after an applied file is edited. The same tests on every dialect (STYLE.md §F.3).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { adapterFor } from '../../electron/dialects/registry.ts';
import type { Dialect } from '../../shared/model/dialect.ts';
import {
  ConformanceTarget,
  countRows,
  dialectsFor,
  type JournalRow,
  type RevisionSpec,
} from './support/conformance-target.ts';

const dialects = dialectsFor('failures-and-checksums');

const R1 = 'f1f1f1f1f1f1';
const R2 = 'f2f2f2f2f2f2';
const R3 = 'f3f3f3f3f3f3';

/** A statement that keeps the connection busy for about two seconds, without a transaction. */
const SLOW: Record<Dialect, string> = {
  postgres: 'SELECT pg_sleep(2);',
  mysql: 'DO SLEEP(2);',
  sqlite:
    'SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000000) SELECT i FROM n);',
};

interface StatusJson {
  readonly applied: readonly string[];
  readonly pending: readonly { readonly revision: string }[];
  readonly modified: readonly {
    readonly revision: string;
    readonly appliedChecksum: string;
    readonly currentChecksum: string;
    readonly diff: string;
  }[];
  readonly dirty: readonly { readonly revision: string; readonly statementsDone: number }[];
}

describe.each(dialects)('%s: failures, transaction: none, checksums', (dialect) => {
  const transactionalDdl = adapterFor(dialect).capabilities.supportsTransactionalDdl;
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'failures');
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

  it(`revision 2 of 3 fails: exit 1, revision 1 stays applied, revision 2 is ${transactionalDdl ? 'failed and rolled back' : 'dirty until resolved by hand'}; fixed, a re-run succeeds`, async () => {
    const broken: RevisionSpec = {
      id: R2,
      parents: [R1],
      up: 'CREATE TABLE t2 (id integer);\nINSERT INTO no_such_table (id) VALUES (1);',
      down: 'DROP TABLE t2;',
    };
    const file2 = target.writeRevisions([
      { id: R1, parents: [], up: 'CREATE TABLE t1 (id integer);', down: 'DROP TABLE t1;' },
      broken,
      { id: R3, parents: [R2], up: 'CREATE TABLE t3 (id integer);', down: 'DROP TABLE t3;' },
    ])[1]!;

    const failed = await target.cli('upgrade', 'head');
    expect(failed.code, `${failed.stdout}\n${failed.stderr}`).toBe(1);
    expect(failed.stderr).toContain(':8: statement 2 of 2 failed');
    expect(await target.versions()).toEqual([R1]);
    const journal = await target.journal();
    expect(journal.map((row) => [row.revision, row.direction, row.status])).toEqual([
      [R1, 'up', 'succeeded'],
      [R2, 'up', transactionalDdl ? 'failed' : 'dirty'],
    ]);

    if (transactionalDdl) {
      // Rolled back: nothing of revision 2 remains.
      expect(await target.tableNames()).toEqual(['t1']);
      expect(failed.stderr).toContain('rolled back');
    } else {
      // The DDL committed on its own before the INSERT failed: the database is dirty.
      expect(await target.tableNames()).toEqual(['t1', 't2']);
      expect(journal[1]).toMatchObject({ statements_done: 1, statements_total: 2 });
      const status = await target.json<StatusJson>('status');
      expect(status.body.dirty.map((d) => [d.revision, d.statementsDone])).toEqual([[R2, 1]]);
      const blocked = await target.cli('upgrade', 'head');
      expect(blocked.code, blocked.stderr).toBe(9);
      expect(blocked.stderr).toContain(`stratum resolve ${R2}`);
      // Undo by hand, then tell Stratum.
      await target.query('DROP TABLE t2');
      const resolved = await target.cli('resolve', R2, '--mark-rolled-back');
      expect(resolved.code, `${resolved.stdout}\n${resolved.stderr}`).toBe(0);
      expect(await target.versions()).toEqual([R1]);
      expect((await target.json<StatusJson>('status')).body.dirty).toEqual([]);
    }

    // Fix the file; the next run applies 2 and 3.
    writeFileSync(file2, readFileSync(file2, 'utf8').replace('no_such_table', 't2'));
    const rerun = await target.cli('upgrade', 'head');
    expect(rerun.code, `${rerun.stdout}\n${rerun.stderr}`).toBe(0);
    expect(await target.versions()).toEqual([R3]);
    expect(await target.tableNames()).toEqual(['t1', 't2', 't3']);
    expect(await target.query('SELECT id FROM t2')).toEqual([{ id: 1 }]);
    expect(countRows(await target.journal(), 'succeeded')).toEqual({ [R1]: 1, [R2]: 1, [R3]: 1 });
    expect((await target.cli('check')).code).toBe(0);
  });

  it('transaction: none runs statement by statement, journaling progress as it goes', async () => {
    const concurrently = dialect === 'postgres' ? ' CONCURRENTLY' : '';
    target.writeRevisions([
      { id: R1, parents: [], up: 'CREATE TABLE t1 (id integer, v integer);', down: 'DROP TABLE t1;' },
      {
        id: R2,
        parents: [R1],
        transaction: 'none',
        // PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction block.
        up: `CREATE INDEX${concurrently} t1_id ON t1 (id);\n${SLOW[dialect]}\nCREATE INDEX${concurrently} t1_v ON t1 (v);`,
        down: {
          default: 'DROP INDEX t1_v;\nDROP INDEX t1_id;',
          postgres: 'DROP INDEX CONCURRENTLY t1_v;\nDROP INDEX CONCURRENTLY t1_id;',
          mysql: 'DROP INDEX t1_v ON t1;\nDROP INDEX t1_id ON t1;',
        },
      },
    ]);

    const run = target.start(['upgrade', 'head']);
    // While the slow statement runs, another connection sees the step running with 1 of 3 done.
    let seen: JournalRow | undefined;
    while (run.child.exitCode === null && seen === undefined) {
      try {
        seen = (await target.journal()).find(
          (row) => row.revision === R2 && row.status === 'running' && row.statements_done === 1,
        );
      } catch {
        // Not created yet, or busy: poll again.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const result = await run.done;
    expect(
      seen,
      `the journal never showed statement 1 of 3 done; exit ${result.code}: ${result.stderr}`,
    ).toBeDefined();
    expect(seen).toMatchObject({ statements_total: 3 });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(await target.versions()).toEqual([R2]);
    expect((await target.indexes('t1')).filter((name) => name.startsWith('t1_'))).toEqual(['t1_id', 't1_v']);
    const journal = await target.journal();
    expect(journal.at(-1)).toMatchObject({
      revision: R2,
      status: 'succeeded',
      statements_done: 3,
      statements_total: 3,
    });

    const down = await target.cli('downgrade', R1);
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    expect((await target.indexes('t1')).filter((name) => name.startsWith('t1_'))).toEqual([]);
    expect((await target.journal()).at(-1)).toMatchObject({
      revision: R2,
      direction: 'down',
      status: 'succeeded',
      statements_done: 2,
      statements_total: 2,
    });
  });

  it('transaction: none failing part-way is dirty with its progress; resolve --resume runs the rest', async () => {
    const concurrently = dialect === 'postgres' ? ' CONCURRENTLY' : '';
    target.writeRevisions([
      { id: R1, parents: [], up: 'CREATE TABLE t1 (id integer);', down: 'DROP TABLE t1;' },
      {
        id: R2,
        parents: [R1],
        transaction: 'none',
        up: [
          `CREATE INDEX${concurrently} t1_id ON t1 (id);`,
          `CREATE INDEX${concurrently} t9_id ON t9 (id);`,
          `CREATE INDEX${concurrently} t1_id_2 ON t1 (id);`,
        ].join('\n'),
      },
    ]);
    const failed = await target.cli('upgrade', 'head');
    expect(failed.code, `${failed.stdout}\n${failed.stderr}`).toBe(1);
    expect(failed.stderr).toContain('statement 2 of 3 failed');
    expect(await target.versions()).toEqual([R1]);
    expect((await target.journal()).at(-1)).toMatchObject({
      revision: R2,
      status: 'dirty',
      statements_done: 1,
      statements_total: 3,
    });
    expect(await target.indexes('t1')).toContain('t1_id');
    const check = await target.cli('check');
    expect(check.code, check.stdout).toBe(9);

    await target.query('CREATE TABLE t9 (id integer)');
    const resumed = await target.cli('resolve', R2, '--resume');
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(await target.versions()).toEqual([R2]);
    expect(await target.indexes('t1')).toEqual(expect.arrayContaining(['t1_id', 't1_id_2']));
    expect(await target.indexes('t9')).toEqual(expect.arrayContaining(['t9_id']));
    const journal = await target.journal();
    expect(journal.filter((row) => row.direction === 'up')).toEqual([
      expect.objectContaining({ revision: R1, status: 'succeeded' }),
      expect.objectContaining({ revision: R2, status: 'succeeded', statements_done: 3, statements_total: 3 }),
    ]);
    expect((await target.cli('check')).code).toBe(0);
  });

  it('an applied file edited afterwards: check exits 5 and status shows the diff', async () => {
    const file2 = target.writeRevisions([
      { id: R1, parents: [], up: 'CREATE TABLE t1 (id integer);', down: 'DROP TABLE t1;' },
      { id: R2, parents: [R1], up: 'CREATE TABLE t2 (id integer);', down: 'DROP TABLE t2;' },
    ])[1]!;
    const up = await target.cli('upgrade', 'head');
    expect(up.code, up.stderr).toBe(0);
    const applied = (await target.journal()).find((row) => row.revision === R2)!.checksum;

    writeFileSync(
      file2,
      readFileSync(file2, 'utf8').replace('CREATE TABLE t2 (id integer);', 'CREATE TABLE t2 (id bigint);'),
    );

    const check = await target.cli('check');
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(5);
    const exitCode = await target.cli('status', '--exit-code');
    expect(exitCode.code).toBe(5);

    const status = await target.json<StatusJson>('status');
    expect(status.body.modified).toHaveLength(1);
    const modified = status.body.modified[0]!;
    expect(modified.revision).toBe(R2);
    expect(modified.appliedChecksum).toBe(applied);
    expect(modified.currentChecksum).not.toBe(applied);
    expect(modified.diff).toContain('-CREATE TABLE t2 (id integer);');
    expect(modified.diff).toContain('+CREATE TABLE t2 (id bigint);');
    const human = await target.cli('status');
    expect(human.stdout).toContain('-CREATE TABLE t2 (id integer);');
    expect(human.stdout).toContain('+CREATE TABLE t2 (id bigint);');
    // Nothing was changed in the database.
    expect(await target.versions()).toEqual([R2]);
  });
});
