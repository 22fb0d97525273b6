import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { BookkeepingSql, BookkeepingTables, JournalStart } from '../../../electron/engine/ports.ts';
import { mysqlLiteral, mysqlVersionStore } from '../../../electron/dialects/mysql/version-store.ts';
import { postgresLiteral, postgresVersionStore } from '../../../electron/dialects/postgres/version-store.ts';
import { sqliteLiteral, sqliteVersionStore } from '../../../electron/dialects/sqlite/version-store.ts';

const TABLES: BookkeepingTables = { version: 'stratum_version', journal: 'stratum_journal' };

const START: JournalStart = {
  stepId: 'step-1',
  runId: 'run-1',
  revision: 'aaaaaaaaaaaa',
  direction: 'up',
  fromHeads: [],
  toHeads: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
  checksum: 'c'.repeat(64),
  appliedText: "CREATE TABLE t (x text DEFAULT 'it''s');\n-- é ✓ 😀",
  statementsTotal: 3,
  osUser: "o'neil",
  host: 'build-1',
  toolVersion: '0.1.0',
};

const STORES: [string, BookkeepingSql][] = [
  ['sqlite', sqliteVersionStore],
  ['postgres', postgresVersionStore],
  ['mysql', mysqlVersionStore],
];

describe('string literals', () => {
  it.each([
    ['plain', 'abc', "'abc'", "'abc'", "'abc'"],
    ['quote', "it's", "'it''s'", "'it''s'", "'it''s'"],
    ['backslash', 'a\\b', "'a\\b'", "E'a\\\\b'", "'a\\\\b'"],
    ['quote before backslash', "'\\", "'''\\'", "E'''\\\\'", "'''\\\\'"],
    ['newline', 'a\nb\r\n', "'a\nb\r\n'", "'a\nb\r\n'", "'a\nb\r\n'"],
    ['non-ASCII', 'é ✓ 😀 日本', "'é ✓ 😀 日本'", "'é ✓ 😀 日本'", "'é ✓ 😀 日本'"],
    ['NUL', 'a\0b', "'a' || char(0) || 'b'", "'a\uFFFDb'", "'a\\0b'"],
    ['Ctrl-Z', 'a\x1ab', "'a\x1ab'", "'a\x1ab'", "'a\\Zb'"],
    ['empty', '', "''", "''", "''"],
  ])('%s', (_name, value, sqlite, postgres, mysql) => {
    expect(sqliteLiteral(value)).toBe(sqlite);
    expect(postgresLiteral(value)).toBe(postgres);
    expect(mysqlLiteral(value)).toBe(mysql);
  });

  it('round-trips through SQLite, NUL included', () => {
    const db = new Database(':memory:');
    for (const value of ["it's", 'a\\b', 'a\nb', 'é ✓ 😀', 'a\0b\0', '\0', "'; DROP TABLE x; --"]) {
      const row = db.prepare(`SELECT ${sqliteLiteral(value)} AS v`).get() as { v: string };
      expect(row.v).toBe(value);
    }
    db.close();
  });
});

describe('identifiers', () => {
  it('are quoted per dialect with embedded quotes doubled', () => {
    const tables = { version: 'we"ird`name', journal: 'j' };
    expect(sqliteVersionStore.selectHeads(tables)).toBe(
      'SELECT revision FROM "we""ird`name" ORDER BY revision',
    );
    expect(postgresVersionStore.selectHeads(tables)).toBe(
      'SELECT revision FROM "we""ird`name" ORDER BY revision',
    );
    expect(mysqlVersionStore.selectHeads(tables)).toBe(
      'SELECT revision FROM `we"ird``name` ORDER BY revision',
    );
  });
});

describe.each(STORES)('%s bookkeeping', (_dialect, store) => {
  it('creates both tables if they do not exist', () => {
    const [version, journal] = store.createTables(TABLES);
    expect(version).toMatch(/^CREATE TABLE IF NOT EXISTS .stratum_version. \(/);
    expect(version).toContain('revision varchar(32) NOT NULL PRIMARY KEY');
    expect(journal).toMatch(/^CREATE TABLE IF NOT EXISTS .stratum_journal. \(/);
    expect(journal).toContain('step_id varchar(64) NOT NULL UNIQUE');
  });

  it('moves heads with one DELETE and one INSERT, sorted', () => {
    const q = (s: string) => s.replaceAll('`', '"');
    expect(store.versionTransition(TABLES, ['b', 'a', 'c'], ['c', 'e', 'd']).map(q)).toEqual([
      `DELETE FROM "stratum_version" WHERE revision IN ('a', 'b')`,
      `INSERT INTO "stratum_version" (revision) VALUES ('d'), ('e')`,
    ]);
    expect(store.versionTransition(TABLES, [], ['a']).map(q)).toEqual([
      `INSERT INTO "stratum_version" (revision) VALUES ('a')`,
    ]);
    expect(store.versionTransition(TABLES, ['a'], []).map(q)).toEqual([
      `DELETE FROM "stratum_version" WHERE revision IN ('a')`,
    ]);
  });

  it('renders nothing when the heads do not change', () => {
    expect(store.versionTransition(TABLES, ['a', 'b'], ['b', 'a'])).toEqual([]);
    expect(store.versionTransition(TABLES, [], [])).toEqual([]);
  });

  it('inlines journal values as literals, NULL for absent ones', () => {
    const sql = store.journalStart(TABLES, { ...START, checksum: null, osUser: null }, 'running');
    expect(sql).toContain("'aaaaaaaaaaaa bbbbbbbbbbbb'");
    expect(sql).toContain("'running'");
    expect(sql).toContain("NULL, 'build-1', '0.1.0'");
    expect(sql).toContain("DEFAULT ''it''''s''");
    const finish = store.journalFinish(TABLES, 'step-1', 'failed', 2, "no such table: 'x'");
    expect(finish).toContain("status = 'failed'");
    expect(finish).toContain('statements_done = 2');
    expect(finish).toContain("error = 'no such table: ''x'''");
    expect(store.journalFinish(TABLES, 'step-1', 'succeeded', 3, null)).toContain('error = NULL');
  });

  it('rejects counts that are not non-negative integers', () => {
    expect(() => store.journalProgress(TABLES, 's', -1)).toThrow(RangeError);
    expect(() => store.journalProgress(TABLES, 's', 1.5)).toThrow(RangeError);
  });

  it('orders the journal by id', () => {
    expect(store.selectJournal(TABLES)).toMatch(/ ORDER BY id$/);
  });
});

describe('dialect-specific SQL', () => {
  it('uses each dialect transaction words', () => {
    expect(sqliteVersionStore.beginTransaction()).toBe('BEGIN IMMEDIATE');
    expect(postgresVersionStore.beginTransaction()).toBe('BEGIN');
    expect(mysqlVersionStore.beginTransaction()).toBe('START TRANSACTION');
    for (const [, store] of STORES) {
      expect(store.commitTransaction()).toBe('COMMIT');
      expect(store.rollbackTransaction()).toBe('ROLLBACK');
    }
  });

  it('takes time and user from the database', () => {
    const pg = postgresVersionStore.journalStart(TABLES, START, 'running');
    expect(pg).toContain('clock_timestamp(), current_user');
    const my = mysqlVersionStore.journalStart(TABLES, START, 'running');
    expect(my).toContain('UTC_TIMESTAMP(3), CURRENT_USER()');
    expect(mysqlVersionStore.journalFinish(TABLES, 's', 'succeeded', 1, null)).toContain(
      'duration_ms = TIMESTAMPDIFF(MICROSECOND, started_at, UTC_TIMESTAMP(3)) DIV 1000',
    );
    expect(postgresVersionStore.journalFinish(TABLES, 's', 'succeeded', 1, null)).toContain(
      'duration_ms = (extract(epoch from clock_timestamp() - started_at) * 1000)::bigint',
    );
  });

  it('declares per-dialect column types', () => {
    const [, sqlite] = sqliteVersionStore.createTables(TABLES);
    expect(sqlite).toContain('id INTEGER PRIMARY KEY AUTOINCREMENT');
    const [, pg] = postgresVersionStore.createTables(TABLES);
    expect(pg).toContain('id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY');
    expect(pg).toContain('started_at timestamptz NOT NULL');
    const [version, my] = mysqlVersionStore.createTables(TABLES);
    expect(my).toContain('id BIGINT AUTO_INCREMENT PRIMARY KEY');
    expect(my).toContain('applied_text LONGTEXT NULL');
    expect(my).toContain('started_at DATETIME(3) NOT NULL');
    expect(version).toMatch(/ DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin$/);
  });
});

describe('SQLite bookkeeping on a real database', () => {
  function run(db: Database.Database, statements: readonly string[]): void {
    for (const sql of statements) db.prepare(sql).run();
  }
  const heads = (db: Database.Database) =>
    (db.prepare(sqliteVersionStore.selectHeads(TABLES)).all() as { revision: string }[]).map(
      (r) => r.revision,
    );

  it('creates tables idempotently and moves heads', () => {
    const db = new Database(':memory:');
    run(db, sqliteVersionStore.createTables(TABLES));
    run(db, sqliteVersionStore.createTables(TABLES));
    run(db, sqliteVersionStore.versionTransition(TABLES, [], ['b', 'a']));
    expect(heads(db)).toEqual(['a', 'b']);
    run(db, sqliteVersionStore.versionTransition(TABLES, ['a', 'b'], ['c']));
    expect(heads(db)).toEqual(['c']);
    run(db, sqliteVersionStore.versionTransition(TABLES, ['c'], []));
    expect(heads(db)).toEqual([]);
    db.close();
  });

  it('journals a step from start to finish', () => {
    const db = new Database(':memory:');
    run(db, sqliteVersionStore.createTables(TABLES));
    const appliedText = "a 'quoted' \\ text\nwith é 😀 and \0 NUL";
    run(db, [sqliteVersionStore.beginTransaction()]);
    run(db, [sqliteVersionStore.journalStart(TABLES, { ...START, appliedText }, 'running')]);
    run(db, [sqliteVersionStore.journalProgress(TABLES, 'step-1', 2)]);
    run(db, [sqliteVersionStore.commitTransaction()]);
    const before = db.prepare(sqliteVersionStore.selectJournal(TABLES)).get() as Record<string, unknown>;
    expect(before).toMatchObject({
      status: 'running',
      statements_done: 2,
      finished_at: null,
      duration_ms: null,
    });
    run(db, [sqliteVersionStore.journalFinish(TABLES, 'step-1', 'failed', 2, "near 'x': syntax error")]);
    run(db, [sqliteVersionStore.journalStart(TABLES, { ...START, stepId: 'step-2' }, 'running')]);

    const rows = db.prepare(sqliteVersionStore.selectJournal(TABLES)).all() as Record<string, unknown>[];
    expect(rows.map((r) => r.step_id)).toEqual(['step-1', 'step-2']);
    const row = rows[0]!;
    expect(row).toMatchObject({
      id: 1,
      run_id: 'run-1',
      revision: 'aaaaaaaaaaaa',
      direction: 'up',
      from_heads: '',
      to_heads: 'aaaaaaaaaaaa bbbbbbbbbbbb',
      checksum: 'c'.repeat(64),
      applied_text: appliedText,
      status: 'failed',
      statements_done: 2,
      statements_total: 3,
      db_user: null,
      os_user: "o'neil",
      host: 'build-1',
      tool_version: '0.1.0',
      error: "near 'x': syntax error",
    });
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    expect(row.started_at).toMatch(iso);
    expect(row.finished_at).toMatch(iso);
    expect(Date.parse(row.finished_at as string)).toBeGreaterThanOrEqual(
      Date.parse(row.started_at as string),
    );
    expect(typeof row.duration_ms).toBe('number');
    expect(row.duration_ms as number).toBeGreaterThanOrEqual(0);
    expect(Math.abs(Date.parse(row.started_at as string) - Date.now())).toBeLessThan(60_000);
    db.close();
  });

  it('refuses a second journal row with the same step id', () => {
    const db = new Database(':memory:');
    run(db, sqliteVersionStore.createTables(TABLES));
    run(db, [sqliteVersionStore.journalStart(TABLES, START, 'running')]);
    expect(() => run(db, [sqliteVersionStore.journalStart(TABLES, START, 'running')])).toThrow(/UNIQUE/);
    db.close();
  });
});
