/**
 * Alembic compatibility of the version table (DESIGN.md §4, issue 3): with
 * `versionColumn: 'version_num'` the bookkeeping SQL creates, reads and writes Alembic's
 * `alembic_version` the way Alembic does; Stratum's own table (`revision`) is unchanged.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { offlineSql } from '../../../electron/commands/offline-sql.ts';
import { mysqlVersionStore } from '../../../electron/dialects/mysql/version-store.ts';
import { postgresVersionStore } from '../../../electron/dialects/postgres/version-store.ts';
import { sqliteAdapter } from '../../../electron/dialects/sqlite/adapter.ts';
import { sqliteVersionStore } from '../../../electron/dialects/sqlite/version-store.ts';
import type { BookkeepingSql, BookkeepingTables } from '../../../electron/engine/ports.ts';
import {
  detectVersionColumn,
  readVersionRows,
  resolveVersionColumn,
  versionColumnForName,
} from '../../../electron/engine/run/version-reader.ts';

const ALEMBIC: BookkeepingTables = {
  version: 'alembic_version',
  journal: 'stratum_journal',
  versionColumn: 'version_num',
};
const STRATUM: BookkeepingTables = { version: 'stratum_version', journal: 'stratum_journal' };

const A = 'ae1027a6acf5';
const B = '27c6a30d7c24';
const C = '1975ea83b712';

const STORES: [string, BookkeepingSql, string][] = [
  ['sqlite', sqliteVersionStore, '"'],
  ['postgres', postgresVersionStore, '"'],
  ['mysql', mysqlVersionStore, '`'],
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stratum-alembic-unit-'));
  dirs.push(dir);
  return dir;
}

describe.each(STORES)('%s: an Alembic-shaped version table', (dialect, store, q) => {
  const quote = (s: string) => s.replaceAll('"', q);

  it("creates Alembic's exact table, if it does not exist", () => {
    const [version, journal] = store.createTables(ALEMBIC);
    const options = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
    expect(version).toBe(
      quote(
        'CREATE TABLE IF NOT EXISTS "alembic_version" (\n' +
          '  version_num VARCHAR(32) NOT NULL,\n' +
          '  CONSTRAINT "alembic_version_pkc" PRIMARY KEY (version_num)\n' +
          ')',
      ) + options,
    );
    // The journal is Stratum's own, whatever the version table's shape.
    expect(journal).toBe(store.createTables(STRATUM)[1]);
  });

  it('reads version_num under the name revision', () => {
    expect(store.selectHeads(ALEMBIC)).toBe(
      quote('SELECT version_num AS revision FROM "alembic_version" ORDER BY version_num'),
    );
  });

  it('updates the row in place when one head replaces another, as Alembic does', () => {
    expect(store.versionTransition(ALEMBIC, [A], [B])).toEqual([
      quote(`UPDATE "alembic_version" SET version_num = '${B}' WHERE version_num = '${A}'`),
    ]);
    // One branch moves while the other stays: still one row replaced by one.
    expect(store.versionTransition(ALEMBIC, [A, C], [C, B])).toEqual([
      quote(`UPDATE "alembic_version" SET version_num = '${B}' WHERE version_num = '${A}'`),
    ]);
  });

  it('inserts a new head and deletes a removed one', () => {
    // First upgrade from base, and a branch point reached (one head becomes two).
    expect(store.versionTransition(ALEMBIC, [], [A])).toEqual([
      quote(`INSERT INTO "alembic_version" (version_num) VALUES ('${A}')`),
    ]);
    expect(store.versionTransition(ALEMBIC, [A], [A, B])).toEqual([
      quote(`INSERT INTO "alembic_version" (version_num) VALUES ('${B}')`),
    ]);
    // Downgrade to base.
    expect(store.versionTransition(ALEMBIC, [A], [])).toEqual([
      quote(`DELETE FROM "alembic_version" WHERE version_num IN ('${A}')`),
    ]);
  });

  it('uses DELETE and INSERT when heads merge or split', () => {
    // A merge: two heads become one.
    expect(store.versionTransition(ALEMBIC, [B, A], [C])).toEqual([
      // Sorted: B (27c6…) before A (ae10…).
      quote(`DELETE FROM "alembic_version" WHERE version_num IN ('${B}', '${A}')`),
      quote(`INSERT INTO "alembic_version" (version_num) VALUES ('${C}')`),
    ]);
    // Downgrading a merge: one head becomes two.
    expect(store.versionTransition(ALEMBIC, [C], [A, B])).toEqual([
      quote(`DELETE FROM "alembic_version" WHERE version_num IN ('${C}')`),
      quote(`INSERT INTO "alembic_version" (version_num) VALUES ('${B}'), ('${A}')`),
    ]);
    expect(store.versionTransition(ALEMBIC, [A, B], [B, A])).toEqual([]);
  });

  it("keeps Stratum's own table as it was: revision, DELETE and INSERT", () => {
    expect(store.versionTransition(STRATUM, [A], [B])).toEqual([
      quote(`DELETE FROM "stratum_version" WHERE revision IN ('${A}')`),
      quote(`INSERT INTO "stratum_version" (revision) VALUES ('${B}')`),
    ]);
    expect(store.versionTransition({ ...STRATUM, versionColumn: 'revision' }, [A], [B])).toEqual(
      store.versionTransition(STRATUM, [A], [B]),
    );
    expect(store.selectHeads(STRATUM)).toBe(
      quote('SELECT revision FROM "stratum_version" ORDER BY revision'),
    );
    expect(store.createTables(STRATUM)[0]).toContain('revision varchar(32) NOT NULL PRIMARY KEY');
  });
});

describe('listing a table’s columns', () => {
  it('uses each dialect catalogue, with the name as a literal', () => {
    expect(sqliteVersionStore.selectColumns!("we'ird")).toBe(
      "SELECT name AS column_name FROM pragma_table_info('we''ird') ORDER BY cid",
    );
    expect(postgresVersionStore.selectColumns!('alembic_version')).toBe(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()' +
        " AND table_name = 'alembic_version' ORDER BY ordinal_position",
    );
    expect(mysqlVersionStore.selectColumns!('alembic_version')).toBe(
      'SELECT COLUMN_NAME AS column_name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()' +
        " AND TABLE_NAME = 'alembic_version'" +
        " AND (@@lower_case_table_names <> 0 OR BINARY TABLE_NAME = BINARY 'alembic_version')" +
        ' ORDER BY ORDINAL_POSITION',
    );
  });
});

describe('on a real SQLite database', () => {
  it('the created table is the one Alembic creates, and transitions keep one row per head', () => {
    const db = new Database(':memory:');
    for (const sql of sqliteVersionStore.createTables(ALEMBIC)) db.exec(sql);
    const info = db
      .prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info('alembic_version')`)
      .all();
    expect(info).toEqual([{ name: 'version_num', type: 'VARCHAR(32)', notnull: 1, pk: 1 }]);
    const heads = () =>
      (db.prepare(sqliteVersionStore.selectHeads(ALEMBIC)).all() as { revision: string }[]).map(
        (r) => r.revision,
      );
    const move = (from: string[], to: string[]) => {
      for (const sql of sqliteVersionStore.versionTransition(ALEMBIC, from, to)) db.exec(sql);
    };
    move([], [A]);
    expect(heads()).toEqual([A]);
    const rowid = db.prepare('SELECT rowid AS r FROM alembic_version').get();
    move([A], [B]);
    expect(heads()).toEqual([B]);
    // Updated in place, not deleted and re-inserted.
    expect(db.prepare('SELECT rowid AS r FROM alembic_version').get()).toEqual(rowid);
    move([B], [B, A]);
    expect(heads()).toEqual([B, A].sort());
    move([A, B], [C]);
    expect(heads()).toEqual([C]);
    // IF NOT EXISTS: creating again over an existing table is harmless.
    for (const sql of sqliteVersionStore.createTables(ALEMBIC)) db.exec(sql);
    expect(heads()).toEqual([C]);
    db.close();
  });

  it('detects the column of an existing table, and picks one for a missing table by its name', async () => {
    const file = path.join(tempDir(), 'detect.db');
    const connection = await sqliteAdapter.open!({ url: `sqlite:${file}`, baseDir: '/', create: true });
    const { session } = connection;
    try {
      expect(await detectVersionColumn(session, sqliteAdapter, 'alembic_version')).toBe('version_num');
      expect(await detectVersionColumn(session, sqliteAdapter, 'stratum_version')).toBe('revision');

      await session.execute(
        'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, ' +
          'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))',
      );
      await session.execute(`INSERT INTO alembic_version (version_num) VALUES ('${A}')`);
      await session.execute('CREATE TABLE old_versions (Version_Num VARCHAR(32))');
      await session.execute('CREATE TABLE stratum_version (revision varchar(32) NOT NULL PRIMARY KEY)');
      await session.execute('CREATE TABLE both_columns (revision varchar(32), version_num varchar(32))');

      expect(await detectVersionColumn(session, sqliteAdapter, 'alembic_version')).toBe('version_num');
      expect(await detectVersionColumn(session, sqliteAdapter, 'old_versions')).toBe('version_num');
      expect(await detectVersionColumn(session, sqliteAdapter, 'stratum_version')).toBe('revision');
      expect(await detectVersionColumn(session, sqliteAdapter, 'both_columns')).toBe('revision');
      expect(await readVersionRows(session, sqliteAdapter, ALEMBIC)).toEqual([A]);
      // Without a column given, reading looks at the table first (what status and current do).
      const unset = { version: 'alembic_version', journal: 'stratum_journal' };
      expect(await readVersionRows(session, sqliteAdapter, unset)).toEqual([A]);
      expect(await resolveVersionColumn(session, sqliteAdapter, unset)).toEqual(ALEMBIC);
      expect(
        await resolveVersionColumn(session, sqliteAdapter, { ...unset, version: 'old_versions' }),
      ).toEqual({ ...unset, version: 'old_versions', versionColumn: 'version_num' });
      // A column given is kept as is, without looking.
      const given = { ...unset, versionColumn: 'revision' } as const;
      expect(await resolveVersionColumn(session, sqliteAdapter, given)).toBe(given);
    } finally {
      await session.close();
    }
  });

  it('names the column after the table when there is nothing to inspect', () => {
    expect(versionColumnForName('alembic_version')).toBe('version_num');
    expect(versionColumnForName('stratum_version')).toBe('revision');
    expect(versionColumnForName('Alembic_Version')).toBe('revision');
  });
});

describe('stratum sql for an alembic_version project', () => {
  it('renders the script for Alembic’s table shape', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'migrations'));
    writeFileSync(
      path.join(root, 'stratum.json'),
      JSON.stringify({ dialect: 'postgres', versionTable: 'alembic_version' }),
    );
    [A, B].forEach((id, i) => {
      writeFileSync(
        path.join(root, `migrations/2026110${i + 1}T0900_${id}_step.sql`),
        [
          `-- revision: ${id}`,
          `-- parents: ${i === 0 ? '' : A}`,
          `-- message: step ${i + 1}`,
          `-- created: 2026-11-0${i + 1}T09:00:00Z`,
          '',
          '-- migrate:up',
          `CREATE TABLE t${i} (id integer);`,
          '',
          '-- migrate:down',
          `DROP TABLE t${i};`,
          '',
        ].join('\n'),
      );
    });
    const { script } = await offlineSql({ cwd: root, env: {}, direction: 'upgrade', range: B });
    expect(script).toContain('CONSTRAINT "alembic_version_pkc" PRIMARY KEY (version_num)');
    expect(script).toContain(`INSERT INTO "alembic_version" (version_num) VALUES ('${A}')`);
    expect(script).toContain(`UPDATE "alembic_version" SET version_num = '${B}' WHERE version_num = '${A}'`);
    expect(script).toContain('CREATE TABLE IF NOT EXISTS "stratum_journal"');
    expect(script).not.toContain('(revision) VALUES');
  });
});
