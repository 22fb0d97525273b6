/**
 * `stratum upgrade` SIGKILLed mid-run, as real processes on a real SQLite file: SQLite's rollback
 * journal undoes the interrupted revision, the OS drops the run lock with the process, and the
 * next run either finishes the job (per-migration transactions) or refuses a half-applied
 * `transaction: none` revision as DIRTY (exit 9).
 */
import { existsSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countRows,
  killChildren,
  peekJournal,
  readState,
  removeTempDirs,
  runCli,
  sigkill,
  startCli,
  waitFor,
  writeProject,
} from './fixtures/process/harness.ts';

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

const R1 = 'a1a1a1a1a1a1';
const R2 = 'b2b2b2b2b2b2';
const R3 = 'c3c3c3c3c3c3';

/**
 * Rows inserted by the long statement: ~2 M rows of 32 hex characters is ~100 MB of pages, far
 * beyond SQLite's 2 MB page cache, so the transaction spills into the database file (the rollback
 * journal then has real work to do) and the statement runs for seconds on a small machine.
 */
const BIG_INSERT =
  'INSERT INTO two (x, y) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) ' +
  'SELECT i, hex(randomblob(16)) FROM n';

/** Flags every run gets: the project's database, and no waiting at all for the run lock. */
const UPGRADE = ['upgrade', 'head', '--env', 'local'];

describe('stratum upgrade killed with SIGKILL', () => {
  it('rolls back the revision that was running; the next run applies the rest exactly once', async () => {
    const project = writeProject('sigkill-tx', [
      { id: R1, parents: [], up: 'CREATE TABLE one (x integer);' },
      {
        id: R2,
        parents: [R1],
        up: `CREATE TABLE two (x integer, y text);\n${BIG_INSERT};\nCREATE INDEX two_y ON two (y);`,
      },
      { id: R3, parents: [R2], up: 'CREATE TABLE three (x integer);' },
    ]);
    const cli = startCli(project.root, UPGRADE);
    // `✓ [1/3]` is printed when revision 1 has committed; then wait until revision 2's uncommitted
    // pages are being written into the file, so the kill lands in the middle of its transaction.
    await waitFor(
      'revision 1 to finish',
      () => cli.stderr().includes('✓ [1/3]') || cli.child.exitCode !== null,
    );
    const sizeAfterR1 = statSync(project.database).size;
    await waitFor(
      'revision 2 to spill into the database file',
      () => statSync(project.database).size > sizeAfterR1 + 4 * 1024 * 1024 || cli.child.exitCode !== null,
      30_000,
      5,
    );
    const killed = await sigkill(cli);
    expect(killed.signal, `the run ended by itself:\n${killed.stderr}`).toBe('SIGKILL');
    expect(killed.stderr).not.toContain('[2/3] ↑ b2b2b2b2b2b2 step 2 (');
    // The killed writer left a hot journal next to the database.
    expect(existsSync(`${project.database}-journal`)).toBe(true);

    // Any SQLite client opening the file now rolls the journal back first.
    const afterKill = readState(project.database);
    expect(afterKill.versions).toEqual([R1]);
    expect(afterKill.tables).toEqual(['one']);
    expect(afterKill.journal.filter((row) => row.revision !== R1)).toEqual([]);
    expect(afterKill.journal).toEqual([
      { revision: R1, direction: 'up', status: 'succeeded', statements_done: 1, statements_total: 1 },
    ]);
    expect(statSync(project.database).size).toBeLessThan(sizeAfterR1 + 1024 * 1024);

    // The OS released the run lock with the process: no wait at all is needed.
    const again = await runCli(project.root, [...UPGRADE, '--lock-timeout', '0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('waiting for the migration lock');
    expect(again.stderr).toContain('✓ [1/2] ↑ b2b2b2b2b2b2');
    expect(again.stderr).toContain('✓ [2/2] ↑ c3c3c3c3c3c3');

    const final = readState(project.database);
    expect(final.versions).toEqual([R3]);
    expect(final.tables).toEqual(['one', 'three', 'two']);
    expect(final.journal).toHaveLength(3);
    expect(Object.fromEntries(countRows(final.journal, 'succeeded'))).toEqual({ [R1]: 1, [R2]: 1, [R3]: 1 });
  });

  it('leaves a killed `transaction: none` revision dirty: the next run refuses with exit 9', async () => {
    const project = writeProject('sigkill-none', [
      { id: R1, parents: [], up: 'CREATE TABLE one (x integer);' },
      {
        id: R2,
        parents: [R1],
        transaction: 'none',
        up: [
          'CREATE TABLE two (x integer, y text);',
          "INSERT INTO two (x, y) VALUES (0, 'first');",
          `${BIG_INSERT};`,
          'CREATE TABLE two_done (x integer);',
        ].join('\n'),
      },
      { id: R3, parents: [R2], up: 'CREATE TABLE three (x integer);' },
    ]);
    const cli = startCli(project.root, UPGRADE);
    // Without a transaction, progress is journaled (committed) after every statement: wait until
    // statements 1 and 2 are recorded, i.e. the long statement 3 is running.
    await waitFor(
      'statement 2 of revision 2 to be journaled',
      () =>
        peekJournal(project.database).some(
          (row) => row.revision === R2 && row.status === 'running' && row.statements_done === 2,
        ) || cli.child.exitCode !== null,
    );
    const killed = await sigkill(cli);
    expect(killed.signal, `the run ended by itself:\n${killed.stderr}`).toBe('SIGKILL');

    const afterKill = readState(project.database);
    expect(afterKill.versions).toEqual([R1]);
    // Statements 1 and 2 stayed (autocommit); the killed statement 3 was rolled back by SQLite.
    expect(afterKill.tables).toEqual(['one', 'two']);
    expect(afterKill.journal.at(-1)).toEqual({
      revision: R2,
      direction: 'up',
      status: 'running',
      statements_done: 2,
      statements_total: 4,
    });

    const refused = await runCli(project.root, [...UPGRADE, '--lock-timeout', '0']);
    expect(refused.code, refused.stderr).toBe(9);
    expect(refused.stderr).toContain(`revision ${R2}`);
    expect(refused.stderr).toContain('after 2 of 4 statements');
    expect(refused.stderr).toContain('stratum resolve');
    expect(refused.stderr).not.toContain('waiting for the migration lock');

    const state = readState(project.database);
    expect(state.versions).toEqual([R1]);
    expect(state.tables).toEqual(['one', 'two']);
    expect(state.journal.map((row) => [row.revision, row.status, row.statements_done])).toEqual([
      [R1, 'succeeded', 1],
      [R2, 'dirty', 2],
    ]);
    // Still refused on the next try: a dirty revision blocks every run until it is resolved.
    const again = await runCli(project.root, [...UPGRADE, '--lock-timeout', '0']);
    expect(again.code, again.stderr).toBe(9);
    expect(again.stderr).toContain(`revision ${R2}`);
    expect(readState(project.database).tables).toEqual(['one', 'two']);
  });
});
