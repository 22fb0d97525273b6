/**
 * `stratum resolve` on real SQLite files, through the commands: a `transaction: none` revision fails
 * at statement 3 of 5, leaving the database dirty; each test then resolves it one way.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { status } from '../../electron/commands/database-status.ts';
import { resolveDirty } from '../../electron/commands/resolve-dirty.ts';
import { upgrade } from '../../electron/commands/run-migrations.ts';
import { exitCodeFor, type ErrorCode } from '../../shared/contract/error-codes.ts';
import type { ResolveAction } from '../../shared/model/resolve-report.ts';

const A = 'a1a1a1a1a1a1';
const B = 'b2b2b2b2b2b2';
const C = 'c3c3c3c3c3c3';
const B_FILE = `migrations/20260102T0000_${B}_backfill.sql`;

const B_UP = [
  'CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);',
  'CREATE INDEX audit_what ON audit (what);',
  "INSERT INTO legacy_events (what) VALUES ('moved');",
  "INSERT INTO audit (what) VALUES ('one');",
  "INSERT INTO audit (what) VALUES ('two');",
].join('\n');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function revisionFile(id: string, parent: string, message: string, up: string, extra: string[] = []): string {
  return [
    `-- revision: ${id}`,
    `-- parents: ${parent}`,
    `-- message: ${message}`,
    ...extra,
    '',
    '-- migrate:up',
    up,
    '',
  ].join('\n');
}

/** A project of three revisions (B without a transaction) upgraded until B failed at statement 3. */
async function dirtyProject() {
  const root = mkdtempSync(path.join(tmpdir(), 'stratum-resolve-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'migrations'));
  writeFileSync(
    path.join(root, 'stratum.json'),
    JSON.stringify({
      migrations: 'migrations',
      dialect: 'sqlite',
      environments: { local: { url: 'sqlite:./app.db', tag: 'local' } },
    }),
  );
  const write = (file: string, text: string): void => writeFileSync(path.join(root, file), text);
  write(
    `migrations/20260101T0000_${A}_users.sql`,
    revisionFile(A, '', 'users', 'CREATE TABLE users (id INTEGER);'),
  );
  write(B_FILE, revisionFile(B, A, 'backfill', B_UP, ['-- transaction: none']));
  write(
    `migrations/20260103T0000_${C}_posts.sql`,
    revisionFile(C, B, 'posts', 'CREATE TABLE posts (id INTEGER);'),
  );
  const options = { cwd: root, env: {}, envName: 'local' };
  const sql = <T>(query: string): T[] => {
    const db = new Database(path.join(root, 'app.db'));
    try {
      return db.prepare(query).all() as T[];
    } finally {
      db.close();
    }
  };
  const exec = (text: string): void => {
    const db = new Database(path.join(root, 'app.db'));
    try {
      db.exec(text);
    } finally {
      db.close();
    }
  };
  const up = () => upgrade({ ...options, target: 'head', lockTimeoutMs: 5000 });
  const resolve = (action: ResolveAction, revision = B) =>
    resolveDirty({ ...options, revision, action, lockTimeoutMs: 5000 });
  const heads = (): string[] =>
    sql<{ revision: string }>('SELECT revision FROM stratum_version').map((r) => r.revision);
  const journalRow = (id: number) =>
    sql<Record<string, unknown>>(`SELECT * FROM stratum_journal WHERE id = ${id}`)[0]!;

  const first = await up();
  expect(first.report.steps[1]).toMatchObject({
    revision: B,
    status: 'failed',
    dirty: true,
    statementsDone: 2,
  });
  return { root, write, sql, exec, up, resolve, heads, journalRow, options };
}

/** The exit code the CLI ends with for a thrown error. */
async function exitOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (error) {
    return exitCodeFor((error as { code: ErrorCode }).code);
  }
}

describe('stratum resolve on SQLite', () => {
  it('a dirty database refuses upgrades (exit 9) and status names the resolve command', async () => {
    const p = await dirtyProject();
    expect(await exitOf(p.up())).toBe(9);
    const s = await status(p.options);
    expect(s.dirty).toMatchObject([{ revision: B, statementsDone: 2, statementsTotal: 5 }]);
    const refused = await p.up().catch((e: unknown) => e as Error);
    expect((refused as Error).message).toContain(
      `stratum resolve ${B} --resume | --mark-applied | --mark-rolled-back`,
    );
  });

  it('--resume runs statements 3–5 once the cause is fixed; upgrade then goes on to head', async () => {
    const p = await dirtyProject();
    const startedAt = p.journalRow(2).started_at;
    p.exec('CREATE TABLE legacy_events (what TEXT)');
    const { report } = await p.resolve('resume');
    expect(report).toMatchObject({ ok: true, status: 'succeeded', statementsDoneAfter: 5, headsAfter: [B] });
    expect(report.ran.map((s) => s.line)).toEqual([7, 8]);
    expect(report.notRun.map((s) => `${s.file}:${s.line}`)).toEqual([
      `${B_FILE}:9`,
      `${B_FILE}:10`,
      `${B_FILE}:11`,
    ]);
    expect(p.sql('SELECT what FROM audit ORDER BY id')).toEqual([{ what: 'one' }, { what: 'two' }]);
    expect(p.sql('SELECT what FROM legacy_events')).toEqual([{ what: 'moved' }]);
    expect(p.journalRow(2)).toMatchObject({
      status: 'succeeded',
      statements_done: 5,
      started_at: startedAt,
      error: 'resolved: resumed from statement 3 (2 of 5 statements had run)',
    });
    expect(p.journalRow(2).finished_at).not.toBeNull();
    expect(p.journalRow(3)).toMatchObject({
      revision: B,
      direction: 'stamp',
      status: 'succeeded',
      to_heads: B,
    });
    expect(p.heads()).toEqual([B]);
    const next = await p.up();
    expect(next.report).toMatchObject({ ok: true, headsAfter: [C] });
    expect((await status(p.options)).dirty).toEqual([]);
  });

  it('--resume that fails again stays dirty with the count and file:line', async () => {
    const p = await dirtyProject();
    const { report } = await p.resolve('resume');
    expect(report).toMatchObject({
      ok: false,
      status: 'dirty',
      statementsDoneAfter: 2,
      error: { code: 'STATEMENT_FAILED', details: { file: B_FILE, line: 9 } },
    });
    expect(p.journalRow(2)).toMatchObject({ status: 'dirty', statements_done: 2 });
    expect(await exitOf(p.up())).toBe(9);
  });

  it('--mark-applied moves the version table and unblocks', async () => {
    const p = await dirtyProject();
    const { report } = await p.resolve('markApplied');
    expect(report).toMatchObject({ ok: true, status: 'succeeded', headsBefore: [A], headsAfter: [B] });
    expect(p.heads()).toEqual([B]);
    expect(p.journalRow(2)).toMatchObject({
      status: 'succeeded',
      statements_done: 2,
      error: 'resolved by hand: marked as applied (2 of 5 statements had run)',
    });
    expect((await p.up()).report).toMatchObject({ ok: true, headsAfter: [C] });
    // Statements 3–5 never ran: marking records the user's word, it runs nothing.
    expect(p.sql('SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: 0 }]);
  });

  it('--mark-rolled-back leaves the version table; the next upgrade re-runs the revision from statement 1', async () => {
    const p = await dirtyProject();
    // The user undoes statements 1–2 by hand, and fixes the cause.
    p.exec('DROP TABLE audit; CREATE TABLE legacy_events (what TEXT);');
    const { report } = await p.resolve('markRolledBack');
    expect(report).toMatchObject({ ok: true, status: 'failed', headsAfter: [A] });
    expect(p.heads()).toEqual([A]);
    expect(p.journalRow(2)).toMatchObject({
      status: 'failed',
      error: 'resolved by hand: marked as rolled back (2 of 5 statements had run)',
    });
    const next = await p.up();
    expect(next.report).toMatchObject({ ok: true, headsAfter: [C] });
    expect(next.report.steps.map((s) => [s.revision, s.statementsDone])).toEqual([
      [B, 5],
      [C, 1],
    ]);
    expect(p.sql('SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: 2 }]);
  });

  it('errors: unknown revision, no dirty row, a changed file blocks --resume but not marking', async () => {
    const p = await dirtyProject();
    await expect(p.resolve('resume', 'ffffffffffff')).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
    await expect(p.resolve('resume', A)).rejects.toMatchObject({
      code: 'NOT_DIRTY',
      details: { dirty: [B] },
    });

    p.write(
      B_FILE,
      revisionFile(B, A, 'backfill', B_UP.replace('legacy_events', 'events'), ['-- transaction: none']),
    );
    const changed = await p.resolve('resume').catch((e: unknown) => e as Error);
    expect(changed).toMatchObject({ code: 'HISTORY_CHANGED', details: { revisions: [B] } });
    expect(await exitOf(p.resolve('resume'))).toBe(5);
    expect(p.journalRow(2)).toMatchObject({ status: 'dirty' });

    const { report } = await p.resolve('markApplied');
    expect(report).toMatchObject({ fileChanged: true, status: 'succeeded' });
    await expect(p.resolve('markApplied')).rejects.toMatchObject({ code: 'NOT_DIRTY' });
  });
});
