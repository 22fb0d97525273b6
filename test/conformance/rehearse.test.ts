/**
 * `stratum rehearse` on the three real databases: the plan runs on a scratch database (a copy of
 * the SQLite file; an empty database on the server, replayed to the original's heads), reports per
 * step and statement, and the original is never modified — its schema and journal are compared
 * before and after. The scratch is gone afterwards, after a failure too.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearsalDatabases } from '../support/test-databases.ts';
import { ConformanceTarget, dialectsFor, type RevisionSpec } from './support/conformance-target.ts';

const dialects = dialectsFor('rehearse');

const REVISIONS: readonly RevisionSpec[] = [
  {
    id: 'aaaa00000001',
    parents: [],
    up: 'CREATE TABLE accounts (id INTEGER PRIMARY KEY, name VARCHAR(40));',
    down: 'DROP TABLE accounts;',
  },
  {
    id: 'aaaa00000002',
    parents: ['aaaa00000001'],
    up: "INSERT INTO accounts VALUES (1, 'ada');",
    down: 'DELETE FROM accounts;',
  },
  {
    id: 'aaaa00000003',
    parents: ['aaaa00000002'],
    up: 'ALTER TABLE accounts ADD COLUMN email VARCHAR(100);\nCREATE INDEX accounts_email ON accounts (email);',
    down: 'ALTER TABLE accounts DROP COLUMN email;',
  },
  {
    id: 'aaaa00000004',
    parents: ['aaaa00000003'],
    message: 'broken',
    up: 'ALTER TABLE accounts ADD COLUMN phone VARCHAR(20);\nUPDATE no_such_table SET x = 1;',
    down: 'ALTER TABLE accounts DROP COLUMN phone;',
  },
];

interface RehearsalJson {
  readonly ok: boolean;
  readonly from: readonly string[];
  readonly replayed: number;
  readonly scratch: string;
  readonly report: {
    readonly steps: readonly { revision: string; status: string; error?: { message: string } }[];
  };
  readonly statements: readonly { file: string; line: number; durationMs: number | null }[];
}

/** Scratch databases left on the server (should be none). */
async function leftovers(dialect: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    return readdirSync(os.tmpdir()).filter(
      (d) => d.startsWith('stratum-rehearsal-') && existsSync(`${os.tmpdir()}/${d}`),
    );
  }
  return rehearsalDatabases(dialect as 'postgres' | 'mysql');
}

describe.each(dialects)('%s: stratum rehearse', (dialect) => {
  let target: ConformanceTarget;
  let before: string[];

  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'rehearse');
    target.writeRevisions(REVISIONS);
    expect((await target.cli('upgrade', 'aaaa00000002')).code).toBe(0);
    before = await leftovers(dialect);
  });
  afterAll(async () => {
    await target?.dispose();
  });

  it('rehearses an upgrade that works, per statement, leaving the original as it was', async () => {
    const schema = await target.schema(true);
    const journal = await target.journal();
    const rehearsal = await target.json<RehearsalJson>('rehearse', 'aaaa00000003');
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.body.ok).toBe(true);
    expect(rehearsal.body.from).toEqual(['aaaa00000002']);
    expect(rehearsal.body.replayed).toBe(dialect === 'sqlite' ? 0 : 2);
    expect(rehearsal.body.statements.map((s) => s.line)).toEqual([7, 8]);
    expect(rehearsal.body.statements.every((s) => typeof s.durationMs === 'number')).toBe(true);
    expect(await target.schema(true)).toEqual(schema);
    expect(await target.journal()).toEqual(journal);
    expect(await leftovers(dialect)).toEqual(before);
  });

  it('reports a failing statement with file:line and the database error, and changes nothing', async () => {
    const schema = await target.schema(true);
    const journal = await target.journal();
    const rehearsal = await target.cli('rehearse', 'head');
    expect(rehearsal.code).toBe(1);
    expect(rehearsal.stderr).toMatch(/_aaaa00000004_.*\.sql:8: statement 2 of 2 failed/);
    expect(rehearsal.stderr).toMatch(/no_such_table/);
    expect(rehearsal.stdout).toContain('was not changed.');
    expect(await target.schema(true)).toEqual(schema);
    expect(await target.journal()).toEqual(journal);
    expect(await leftovers(dialect)).toEqual(before);
    expect(
      (await target.json<{ current: { revision: string }[] }>('current')).body.current.map((c) => c.revision),
    ).toEqual(['aaaa00000002']);
  });

  it('rehearses a downgrade', async () => {
    const rehearsal = await target.json<RehearsalJson>('rehearse', '--downgrade', 'base');
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.body.report.steps.map((s) => s.revision)).toEqual(['aaaa00000002', 'aaaa00000001']);
    expect(await leftovers(dialect)).toEqual(before);
  });
});

/** Rows the application wrote itself (not through a migration): a scratch replay never has them. */
const DATA_REVISIONS: readonly RevisionSpec[] = [
  {
    id: 'bbbb00000001',
    parents: [],
    up: 'CREATE TABLE members (id INTEGER PRIMARY KEY, email VARCHAR(100));',
    down: 'DROP TABLE members;',
  },
  {
    id: 'bbbb00000002',
    parents: ['bbbb00000001'],
    message: 'unique email',
    up: 'ALTER TABLE members ADD COLUMN nickname VARCHAR(40);\nCREATE UNIQUE INDEX members_email ON members (email);',
    down: 'DROP INDEX members_email;',
  },
];

describe.each(dialects)('%s: stratum rehearse --in-transaction', (dialect) => {
  let target: ConformanceTarget;

  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'rehearse-tx');
    target.writeRevisions(DATA_REVISIONS);
    expect((await target.cli('upgrade', 'bbbb00000001')).code).toBe(0);
    await target.query("INSERT INTO members (id, email) VALUES (1, 'ada@example.com')");
    await target.query("INSERT INTO members (id, email) VALUES (2, 'ada@example.com')");
  });
  afterAll(async () => {
    await target?.dispose();
  });

  if (dialect === 'mysql') {
    it('is refused: MySQL commits schema changes at once', async () => {
      const refused = await target.cli('rehearse', 'head', '--in-transaction');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/mysql commits schema changes at once.*leave out --in-transaction/);
      expect(await target.versions()).toEqual(['bbbb00000001']);
    });
    return;
  }

  it('meets the real data: fails where the rows break the change, and changes nothing', async () => {
    const schema = await target.schema(true);
    const journal = await target.journal();
    const rehearsal = await target.json<RehearsalJson & { mode: string }>(
      'rehearse',
      'head',
      '--in-transaction',
    );
    expect(rehearsal.code).toBe(1);
    expect(rehearsal.body.mode).toBe('inTransaction');
    expect(rehearsal.body.report.steps).toEqual([
      expect.objectContaining({
        revision: 'bbbb00000002',
        status: 'failed',
        error: expect.objectContaining({
          message: expect.stringMatching(/_bbbb00000002_.*\.sql:8: .*(unique|UNIQUE|duplicate)/i),
        }),
      }),
    ]);
    expect(rehearsal.body.statements.map((s) => [s.line, s.durationMs === null])).toEqual([
      [7, false],
      [8, true],
    ]);
    expect(await target.schema(true)).toEqual(schema);
    expect(await target.journal()).toEqual(journal);
    expect(await target.versions()).toEqual(['bbbb00000001']);
  });

  if (dialect === 'postgres') {
    it('where a scratch replay, without the rows, passes', async () => {
      const rehearsal = await target.json<RehearsalJson>('rehearse', 'head');
      expect(rehearsal.code, rehearsal.stderr).toBe(0);
      expect(rehearsal.body.report.steps.map((s) => s.status)).toEqual(['applied']);
    });
  }

  it('passes once the data is fixed, still changing nothing, and frees the lock', async () => {
    await target.query("UPDATE members SET email = 'ada2@example.com' WHERE id = 2");
    const schema = await target.schema(true);
    const rehearsal = await target.cli('rehearse', 'head', '--in-transaction');
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(rehearsal.stdout).toMatch(/inside a transaction; it is rolled back\./);
    expect(await target.schema(true)).toEqual(schema);
    expect(await target.versions()).toEqual(['bbbb00000001']);
    // The real run right after takes the lock at once and applies it.
    expect((await target.cli('upgrade', 'head', '--lock-timeout', '2')).code).toBe(0);
    expect(await target.versions()).toEqual(['bbbb00000002']);
  });

  it('refuses, before running anything, a migration that commits on its own', async () => {
    const files = target.writeRevisions([
      {
        id: 'bbbb0000000c',
        parents: ['bbbb00000002'],
        message: 'commits itself',
        up: 'CREATE TABLE committed_early (id INTEGER);\nCOMMIT;',
        down: 'DROP TABLE committed_early;',
      },
    ]);
    const refused = await target.cli('rehearse', 'head', '--in-transaction');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/_bbbb0000000c_.*\.sql:8: "COMMIT" controls the transaction/);
    expect(await target.hasTable('committed_early')).toBe(false);
    for (const file of files) rmSync(file);
  });

  it('refuses a plan with a "transaction: none" step', async () => {
    target.writeRevisions([
      {
        id: 'bbbb00000003',
        parents: ['bbbb00000002'],
        message: 'outside',
        transaction: 'none',
        up: 'CREATE TABLE outside_tx (id INTEGER);',
        down: 'DROP TABLE outside_tx;',
      },
    ]);
    const refused = await target.cli('rehearse', 'head', '--in-transaction');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bbbb00000003 has "transaction: none"/);
    expect(await target.hasTable('outside_tx')).toBe(false);
  });
});
