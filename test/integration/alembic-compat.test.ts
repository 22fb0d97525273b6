/**
 * Alembic compatibility on real databases (DESIGN.md §4, issue 3): a project configured with
 * `"versionTable": "alembic_version"` adopts an Alembic-shaped table made by hand, writes it the
 * way Alembic does (one row per head, UPDATE when one head replaces another) and keeps its journal
 * in `stratum_journal`. Runs on SQLite, the local PostgreSQL and the local MariaDB. Triggers on
 * `alembic_version` log every row change, so "updated in place" is checked by the database itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { current } from '../../electron/commands/database-status.ts';
import { downgrade, upgrade } from '../../electron/commands/run-migrations.ts';
import { mysqlAdapter } from '../../electron/dialects/mysql/adapter.ts';
import { postgresAdapter } from '../../electron/dialects/postgres/adapter.ts';
import { sqliteAdapter } from '../../electron/dialects/sqlite/adapter.ts';
import type { BookkeepingTables, DatabaseSession, DialectAdapter } from '../../electron/engine/ports.ts';
import { readJournal, readVersionRows } from '../../electron/engine/run/version-reader.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

type DialectName = 'sqlite' | 'postgres' | 'mysql';

const TABLES: BookkeepingTables = {
  version: 'alembic_version',
  journal: 'stratum_journal',
  versionColumn: 'version_num',
};

/** Revision ids, 12 hex characters like Alembic's. A is the one "Alembic" applied. */
const A = 'ae1027a6acf5';
const B = '27c6a30d7c24';
const D = '1975ea83b712';
const M = '3b4c5d6e7f80';

interface Spec {
  readonly id: string;
  readonly parents: readonly string[];
  readonly table: string;
}
const SPEC_A: Spec = { id: A, parents: [], table: 'users' };
const SPEC_B: Spec = { id: B, parents: [A], table: 'posts' };
/** A second branch from A. */
const SPEC_D: Spec = { id: D, parents: [A], table: 'tags' };
/** Merges the two branches. */
const SPEC_M: Spec = { id: M, parents: [B, D], table: 'merged' };

/** Alembic's DDL for its table (alembic.runtime.migration), the same text in the three dialects. */
const ALEMBIC_DDL =
  'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, ' +
  'CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))';

/** A log table and triggers recording every row change of `alembic_version`. */
const TRIGGERS: Record<DialectName, string[]> = {
  sqlite: [
    'CREATE TABLE version_log (id INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT, detail TEXT)',
    `CREATE TRIGGER av_ins AFTER INSERT ON alembic_version BEGIN INSERT INTO version_log (op, detail) VALUES ('insert', NEW.version_num); END`,
    `CREATE TRIGGER av_upd AFTER UPDATE ON alembic_version BEGIN INSERT INTO version_log (op, detail) VALUES ('update', OLD.version_num || '>' || NEW.version_num); END`,
    `CREATE TRIGGER av_del AFTER DELETE ON alembic_version BEGIN INSERT INTO version_log (op, detail) VALUES ('delete', OLD.version_num); END`,
  ],
  postgres: [
    'CREATE TABLE version_log (id serial PRIMARY KEY, op text, detail text)',
    `CREATE FUNCTION log_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO version_log (op, detail) VALUES ('insert', NEW.version_num);
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO version_log (op, detail) VALUES ('update', OLD.version_num || '>' || NEW.version_num);
  ELSE
    INSERT INTO version_log (op, detail) VALUES ('delete', OLD.version_num);
  END IF;
  RETURN NULL;
END
$$`,
    'CREATE TRIGGER av_log AFTER INSERT OR UPDATE OR DELETE ON alembic_version FOR EACH ROW EXECUTE FUNCTION log_version()',
  ],
  mysql: [
    'CREATE TABLE version_log (id INT AUTO_INCREMENT PRIMARY KEY, op VARCHAR(16), detail VARCHAR(80))',
    `CREATE TRIGGER av_ins AFTER INSERT ON alembic_version FOR EACH ROW INSERT INTO version_log (op, detail) VALUES ('insert', NEW.version_num)`,
    `CREATE TRIGGER av_upd AFTER UPDATE ON alembic_version FOR EACH ROW INSERT INTO version_log (op, detail) VALUES ('update', CONCAT(OLD.version_num, '>', NEW.version_num))`,
    `CREATE TRIGGER av_del AFTER DELETE ON alembic_version FOR EACH ROW INSERT INTO version_log (op, detail) VALUES ('delete', OLD.version_num)`,
  ],
};

/** The version table's shape, the same way in each dialect. */
interface Shape {
  readonly columns: readonly { name: string; type: string; nullable: boolean }[];
  /** Primary key columns. */
  readonly key: readonly string[];
  /** The primary key's constraint name where the dialect keeps it (not MySQL: always PRIMARY). */
  readonly keyName: string | null;
}

/** One real database per dialect, emptied before each test, with a session to look at it. */
interface Target {
  readonly dialect: DialectName;
  readonly adapter: DialectAdapter;
  url(): string;
  session(): DatabaseSession;
  setUp(): Promise<void>;
  reset(): Promise<void>;
  tearDown(): Promise<void>;
  shape(): Promise<Shape>;
}

function sqliteTarget(): Target {
  let dir = '';
  let file = '';
  let session: DatabaseSession | null = null;
  const open = async () => {
    session = (await sqliteAdapter.open!({ url: `sqlite:${file}`, baseDir: '/', create: true })).session;
  };
  return {
    dialect: 'sqlite',
    adapter: sqliteAdapter,
    url: () => `sqlite:${file}`,
    session: () => session!,
    async setUp() {
      dir = mkdtempSync(path.join(tmpdir(), 'stratum-alembic-sqlite-'));
    },
    async reset() {
      await session?.close();
      file = path.join(dir, `db-${Math.random().toString(16).slice(2)}.db`);
      await open();
    },
    async tearDown() {
      await session?.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async shape() {
      const rows = await session!.query(
        `SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info('alembic_version') ORDER BY cid`,
      );
      const [master] = await session!.query(
        `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'`,
      );
      const keyName = /CONSTRAINT\s+"?(\w+)"?\s+PRIMARY KEY/i.exec(String(master?.sql))?.[1] ?? null;
      return {
        columns: rows.map((r) => ({
          name: String(r.name),
          type: String(r.type).toLowerCase(),
          nullable: Number(r.nn) === 0,
        })),
        key: rows.filter((r) => Number(r.pk) > 0).map((r) => String(r.name)),
        keyName,
      };
    },
  };
}

function serverTarget(dialect: 'postgres' | 'mysql'): Target {
  const adapter = dialect === 'postgres' ? postgresAdapter : mysqlAdapter;
  let db: TestDatabase | null = null;
  let session: DatabaseSession | null = null;
  return {
    dialect,
    adapter,
    url: () => db!.url,
    session: () => session!,
    async setUp() {
      db = await createTestDatabase(dialect, 'alembic');
      session = (await adapter.open!({ url: db.url, baseDir: '/', create: false, env: {} })).session;
    },
    async reset() {
      if (dialect === 'postgres') {
        await session!.execute('DROP SCHEMA public CASCADE');
        await session!.execute('CREATE SCHEMA public');
        return;
      }
      const rows = await session!.query(
        'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
      );
      for (const { name } of rows) await session!.execute(`DROP TABLE \`${String(name)}\``);
    },
    async tearDown() {
      await session?.close();
      await db?.drop();
    },
    async shape() {
      const schema = dialect === 'postgres' ? 'current_schema()' : 'DATABASE()';
      const rows = await session!.query(
        `SELECT column_name AS name, data_type AS type, character_maximum_length AS len, is_nullable AS nullable` +
          ` FROM information_schema.columns WHERE table_schema = ${schema} AND table_name = 'alembic_version'` +
          ` ORDER BY ordinal_position`,
      );
      const keys = await session!.query(
        `SELECT k.column_name AS name, k.constraint_name AS constraint_name` +
          ` FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k` +
          ` ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name` +
          ` WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = ${schema} AND c.table_name = 'alembic_version'`,
      );
      return {
        columns: rows.map((r) => ({
          name: String(r.name),
          type: `${String(r.type).replace('character varying', 'varchar').toLowerCase()}(${String(r.len)})`,
          nullable: r.nullable === 'YES',
        })),
        key: keys.map((k) => String(k.name)),
        keyName: dialect === 'postgres' ? String(keys[0]?.constraint_name) : null,
      };
    },
  };
}

const ALEMBIC_SHAPE = (dialect: DialectName): Shape => ({
  columns: [{ name: 'version_num', type: 'varchar(32)', nullable: false }],
  key: ['version_num'],
  keyName: dialect === 'mysql' ? null : 'alembic_version_pkc',
});

describe.each([sqliteTarget(), serverTarget('postgres'), serverTarget('mysql')])(
  '$dialect: an Alembic-shaped alembic_version',
  (target) => {
    const dirs: string[] = [];
    beforeAll(() => target.setUp());
    afterAll(() => target.tearDown());
    beforeEach(() => target.reset());
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    /** A temp project with `"versionTable": "alembic_version"`, revisions added as the test goes. */
    function project(specs: readonly Spec[]) {
      const root = mkdtempSync(path.join(tmpdir(), 'stratum-alembic-'));
      dirs.push(root);
      mkdirSync(path.join(root, 'migrations'));
      writeFileSync(
        path.join(root, 'stratum.json'),
        JSON.stringify({ dialect: target.dialect, versionTable: 'alembic_version' }),
      );
      const add = (spec: Spec, day: number): void => {
        const text = [
          `-- revision: ${spec.id}`,
          `-- parents: ${spec.parents.join(' ')}`,
          `-- message: create ${spec.table}`,
          `-- created: 2026-11-0${day}T09:00:00Z`,
          '',
          '-- migrate:up',
          `CREATE TABLE ${spec.table} (id integer PRIMARY KEY);`,
          '',
          '-- migrate:down',
          `DROP TABLE ${spec.table};`,
          '',
        ].join('\n');
        writeFileSync(path.join(root, `migrations/2026110${day}T0900_${spec.id}_${spec.table}.sql`), text);
      };
      specs.forEach((spec, i) => add(spec, i + 1));
      let day = specs.length;
      const options = () => ({ cwd: root, env: {}, url: target.url(), lockTimeoutMs: 10_000 });
      return {
        add: (spec: Spec) => add(spec, ++day),
        upgrade: (to: string) => upgrade({ ...options(), target: to }),
        downgrade: (to: string) => downgrade({ ...options(), target: to }),
        current: () => current(options()),
      };
    }

    /** What Alembic leaves behind after `alembic upgrade A`: its table, one row, A's schema. */
    async function alembicAt(revision: string): Promise<void> {
      const session = target.session();
      await session.execute(ALEMBIC_DDL);
      await session.execute(`INSERT INTO alembic_version (version_num) VALUES ('${revision}')`);
      await session.execute('CREATE TABLE users (id integer PRIMARY KEY)');
      for (const sql of TRIGGERS[target.dialect]) await session.execute(sql);
    }

    const rows = () => readVersionRows(target.session(), target.adapter, TABLES);
    const raw = async () =>
      (await target.session().query('SELECT version_num FROM alembic_version ORDER BY version_num')).map(
        (r) => r.version_num,
      );
    const log = async () =>
      (await target.session().query('SELECT op, detail FROM version_log ORDER BY id')).map(
        (r) => `${String(r.op)} ${String(r.detail)}`,
      );
    const journal = () => readJournal(target.session(), target.adapter, TABLES);

    it('upgrades from the Alembic revision, updating the one row in place, and downgrades back', async () => {
      await alembicAt(A);
      const p = project([SPEC_A, SPEC_B]);

      expect((await p.current()).current.map((c) => c.revision)).toEqual([A]);
      const up = await p.upgrade('head');
      expect(up.report.ok).toBe(true);
      expect(up.report.headsBefore).toEqual([A]);
      expect(up.report.steps.map((s) => [s.revision, s.status])).toEqual([[B, 'applied']]);
      expect(await raw()).toEqual([B]);
      expect(await log()).toEqual([`update ${A}>${B}`]);
      expect(await target.shape()).toEqual(ALEMBIC_SHAPE(target.dialect));

      const afterUp = await journal();
      expect(afterUp.map((j) => [j.revision, j.direction, j.status, j.fromHeads, j.toHeads])).toEqual([
        [B, 'up', 'succeeded', [A], [B]],
      ]);
      const now = await p.current();
      expect(now.current.map((c) => [c.revision, c.node?.message])).toEqual([[B, 'create posts']]);

      const down = await p.downgrade(A);
      expect(down.report.ok).toBe(true);
      expect(await raw()).toEqual([A]);
      expect(await log()).toEqual([`update ${A}>${B}`, `update ${B}>${A}`]);
      expect((await journal()).map((j) => [j.revision, j.direction, j.status])).toEqual([
        [B, 'up', 'succeeded'],
        [B, 'down', 'succeeded'],
      ]);
      expect((await p.current()).current.map((c) => c.revision)).toEqual([A]);
      const tables = await target.session().tableExists('posts');
      expect(tables).toBe(false);
    });

    it('keeps one row per head on a branchy upgrade, and one row again after the merge', async () => {
      await alembicAt(A);
      const p = project([SPEC_A, SPEC_B, SPEC_D]);

      const up = await p.upgrade('heads');
      expect(up.report.ok).toBe(true);
      expect(await raw()).toEqual([B, D].sort());
      expect(await rows()).toEqual([B, D].sort());
      expect((await p.current()).current.map((c) => c.revision)).toEqual([B, D].sort());
      // The first branch replaces A in place; the second is a new head, inserted.
      const first = up.report.steps[0]!.revision;
      const second = up.report.steps[1]!.revision;
      expect(await log()).toEqual([`update ${A}>${first}`, `insert ${second}`]);

      p.add(SPEC_M);
      const merge = await p.upgrade('head');
      expect(merge.report.ok).toBe(true);
      expect(await raw()).toEqual([M]);
      expect((await log()).slice(2).sort()).toEqual([`delete ${B}`, `delete ${D}`, `insert ${M}`].sort());
      expect((await journal()).map((j) => [j.revision, j.status])).toEqual([
        [first, 'succeeded'],
        [second, 'succeeded'],
        [M, 'succeeded'],
      ]);

      // Undoing the merge (downgrade removes only what depends on B: M) gives two heads again.
      await p.downgrade(B);
      expect(await raw()).toEqual([B, D].sort());
      expect((await log()).slice(5).sort()).toEqual([`delete ${M}`, `insert ${B}`, `insert ${D}`].sort());
      await p.downgrade('base');
      expect(await raw()).toEqual([]);
      expect(await target.shape()).toEqual(ALEMBIC_SHAPE(target.dialect));
    });

    it("creates Alembic's table when alembic_version does not exist yet", async () => {
      const p = project([SPEC_A, SPEC_B]);
      expect((await p.current()).current).toEqual([]);
      const up = await p.upgrade('head');
      expect(up.report.ok).toBe(true);
      expect(await target.shape()).toEqual(ALEMBIC_SHAPE(target.dialect));
      expect(await raw()).toEqual([B]);
      expect((await journal()).map((j) => [j.revision, j.direction])).toEqual([
        [A, 'up'],
        [B, 'up'],
      ]);
      expect(await target.session().tableExists('stratum_version')).toBe(false);
    });
  },
);
