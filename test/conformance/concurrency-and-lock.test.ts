/**
 * Conformance: 16 concurrent `stratum upgrade head` processes on a fresh database apply every
 * revision exactly once; a run started while another holds the migration lock waits for it, or
 * gives up after `--lock-timeout` with exit 7 naming the holder. The same tests on every dialect
 * (STYLE.md §F.3).
 */
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mysqlLockName } from '../../electron/dialects/mysql/lock.ts';
import type { Dialect } from '../../shared/model/dialect.ts';
import {
  ConformanceTarget,
  countRows,
  dialectsFor,
  waitFor,
  type RevisionSpec,
} from './support/conformance-target.ts';

const dialects = dialectsFor('concurrency-and-lock');

const id = (n: number): string => String(n).padStart(2, '0').repeat(6);

/** Eight revisions: a trunk, a branch point, two branches, a merge, then a data step. */
const GRAPH: RevisionSpec[] = [
  { id: id(1), parents: [], up: 'CREATE TABLE users (id integer NOT NULL PRIMARY KEY, name varchar(50));' },
  {
    id: id(2),
    parents: [id(1)],
    up: 'CREATE TABLE accounts (id integer NOT NULL PRIMARY KEY, user_id integer);',
  },
  {
    id: id(3),
    parents: [id(2)],
    up: 'CREATE TABLE audit (id integer NOT NULL PRIMARY KEY, what varchar(50));',
  },
  { id: id(4), parents: [id(3)], up: 'CREATE INDEX audit_what ON audit (what);' },
  { id: id(5), parents: [id(2)], up: 'ALTER TABLE users ADD COLUMN email varchar(100);' },
  { id: id(6), parents: [id(4), id(5)], up: "INSERT INTO audit (id, what) VALUES (1, 'merged');" },
  { id: id(7), parents: [id(6)], up: 'CREATE INDEX accounts_user ON accounts (user_id);' },
  {
    id: id(8),
    parents: [id(7)],
    up: "INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL);",
  },
];

/** A statement that keeps the run busy for several seconds while it holds the lock. */
const SLOW: Record<Dialect, string> = {
  postgres: 'SELECT pg_sleep(6);',
  mysql: 'DO SLEEP(6);',
  // CPU-bound and read-only: the run holds its lock, not the database file.
  sqlite:
    'SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000000) SELECT i FROM n);',
};

interface JsonRun {
  readonly ok: boolean;
  readonly report: { readonly steps: readonly { readonly revision: string; readonly status: string }[] };
}

describe.each(dialects)('%s: concurrent runs and the migration lock', (dialect) => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'concurrency');
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

  it('16 concurrent `upgrade head` processes on a fresh database: all exit 0, every revision applied exactly once', async () => {
    target.writeRevisions(GRAPH);
    const started = Date.now();
    const runs = Array.from({ length: 16 }, () =>
      target.start(['--json', 'upgrade', 'head', '--lock-timeout', '120']),
    );
    const results = await Promise.all(runs.map((run) => run.done));
    console.log(`${dialect}: 16 concurrent upgrades took ${Date.now() - started} ms`);

    for (const result of results) expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    const reports = results.map((result) => JSON.parse(result.stdout) as JsonRun);
    expect(reports.every((run) => run.ok)).toBe(true);
    // Across all processes, each revision was reported applied by exactly one of them.
    const applied = reports.flatMap((run) =>
      run.report.steps.filter((step) => step.status === 'applied').map((step) => step.revision),
    );
    expect(applied.toSorted()).toEqual(GRAPH.map((r) => r.id).toSorted());

    expect(await target.versions()).toEqual([id(8)]);
    const journal = await target.journal();
    expect(journal).toHaveLength(GRAPH.length);
    expect(countRows(journal, 'succeeded')).toEqual(Object.fromEntries(GRAPH.map((r) => [r.id, 1])));
    expect(await target.tableNames()).toEqual(['accounts', 'audit', 'users']);
    expect(await target.query('SELECT id, what FROM audit')).toEqual([{ id: 1, what: 'merged' }]);
    expect((await target.query('SELECT id FROM users ORDER BY id')).map((r) => Number(r.id))).toEqual([1, 2]);
    const check = await target.cli('check');
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  /** Starts a run whose second revision is slow, and waits until it is inside that revision. */
  async function startSlowRun(): Promise<ReturnType<ConformanceTarget['start']>> {
    target.writeRevisions([
      { id: id(1), parents: [], up: 'CREATE TABLE t1 (id integer);' },
      { id: id(2), parents: [id(1)], up: `CREATE TABLE t2 (id integer);\n${SLOW[dialect]}` },
    ]);
    const first = target.start(['upgrade', 'head']);
    await waitFor(
      'revision 1 to finish',
      () => first.stderr().includes('✓ [1/2]') || first.child.exitCode !== null,
    );
    expect(first.child.exitCode, first.stderr()).toBe(null);
    return first;
  }

  /** How the lock holder is named in a LOCKED error, read from the server while it holds the lock. */
  async function holderNames(firstPid: number): Promise<string[]> {
    if (dialect === 'sqlite') return [`pid ${firstPid}`, hostname()];
    if (dialect === 'postgres') {
      const rows = await target.query(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = " +
          '(SELECT oid FROM pg_database WHERE datname = current_database())',
      );
      expect(rows).toHaveLength(1);
      return [`backend pid ${String(rows[0]!.pid)}`, 'application_name "stratum"'];
    }
    const rows = await target.query(
      `SELECT IS_USED_LOCK('${mysqlLockName(target.databaseName, 'stratum_version')}') AS id`,
    );
    expect(rows[0]?.id).not.toBe(null);
    return [`connection ${String(rows[0]!.id)}`];
  }

  it('a run started while another holds the lock times out after --lock-timeout with exit 7, naming the holder', async () => {
    const first = await startSlowRun();
    const names = await holderNames(first.child.pid!);

    const second = await target.cli('upgrade', 'head', '--lock-timeout', '1');
    // The first run was still holding the lock when the second gave up (else this proves nothing).
    expect(first.child.exitCode, first.stderr()).toBe(null);
    const firstResult = await first.done;
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(7);
    // Bounded: about a second, far from the 60 s default.
    expect(second.ms).toBeLessThan(30_000);
    expect(second.stderr).toContain('Another migration run holds the lock');
    for (const name of names) expect(second.stderr).toContain(name);
    expect(second.stderr).toContain('--lock-timeout');

    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(firstResult.stderr).toContain('✓ [2/2]');
    expect(await target.versions()).toEqual([id(2)]);
    const journal = await target.journal();
    expect(journal).toHaveLength(2);
    expect(countRows(journal, 'succeeded')).toEqual({ [id(1)]: 1, [id(2)]: 1 });
  });

  it('a run started while another holds the lock waits, reporting the holder, then finds nothing to do', async () => {
    const first = await startSlowRun();
    const second = await target.cli('upgrade', 'head', '--lock-timeout', '120');
    const firstResult = await first.done;
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(second.stderr).toContain('waiting for the migration lock held by');
    expect(second.stdout).toContain('Nothing to upgrade');
    expect(await target.versions()).toEqual([id(2)]);
    expect(countRows(await target.journal(), 'succeeded')).toEqual({ [id(1)]: 1, [id(2)]: 1 });
  });
});
