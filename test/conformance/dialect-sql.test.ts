/**
 * Conformance: SQL that stresses each dialect's statement splitter and encoding, through real
 * upgrades and downgrades: non-ASCII identifiers and data, and routines with bodies full of `;`
 * (a dollar-quoted PL/pgSQL function, a MySQL trigger in a `DELIMITER` block, a SQLite trigger
 * with `BEGIN … END`). The same tests on every dialect (STYLE.md §F.3).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../shared/model/dialect.ts';
import { ConformanceTarget, dialectsFor } from './support/conformance-target.ts';

const dialects = dialectsFor('dialect-sql');

const R1 = 'e1e1e1e1e1e1';
const R2 = 'e2e2e2e2e2e2';

/** Quotes an identifier the dialect's way. */
const q = (dialect: Dialect, name: string): string => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

const ROWS = [
  { naive: '🙂 smile', nihon: 'こんにちは' },
  { naive: 'Ωmega ünïcödé', nihon: '👩‍👩‍👧 family' },
];

interface CurrentJson {
  readonly current: readonly { readonly revision: string; readonly node: { readonly message: string } }[];
}

describe.each(dialects)('%s: dialect-specific SQL', (dialect) => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'dialect_sql');
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

  it('non-ASCII identifiers and data survive upgrade and downgrade', async () => {
    const insert = (d: Dialect): string =>
      `INSERT INTO ${q(d, 'café')} (${q(d, 'naïve')}, ${q(d, '日本')}) VALUES ` +
      ROWS.map((row) => `('${row.naive}', '${row.nihon}')`).join(', ') +
      ';';
    const create = (d: Dialect, options = ''): string =>
      `CREATE TABLE ${q(d, 'café')} (id integer, ${q(d, 'naïve')} varchar(100), ${q(d, '日本')} varchar(100))${options};`;
    target.writeRevisions([
      {
        id: R1,
        parents: [],
        message: 'ajoute le café ☕',
        up: {
          default: `${create('sqlite')}\n${insert('sqlite')}`,
          mysql: `${create('mysql', ' DEFAULT CHARSET=utf8mb4')}\n${insert('mysql')}`,
        },
        down: { default: `DROP TABLE ${q('sqlite', 'café')};`, mysql: `DROP TABLE ${q('mysql', 'café')};` },
      },
      {
        id: R2,
        parents: [R1],
        message: 'Straße',
        up: {
          default: `CREATE TABLE ${q('sqlite', 'Straße_ß')} (${q('sqlite', 'größe')} integer);`,
          mysql: `CREATE TABLE ${q('mysql', 'Straße_ß')} (${q('mysql', 'größe')} integer) DEFAULT CHARSET=utf8mb4;`,
        },
        down: {
          default: `DROP TABLE ${q('sqlite', 'Straße_ß')};`,
          mysql: `DROP TABLE ${q('mysql', 'Straße_ß')};`,
        },
      },
    ]);

    const up = await target.cli('upgrade', 'head');
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(await target.versions()).toEqual([R2]);
    const schema = await target.schema();
    expect(schema).toEqual([
      { table: 'café', columns: ['id', 'naïve', '日本'] },
      { table: 'straße_ß', columns: ['größe'] },
    ]);
    const rows = await target.query(
      `SELECT ${q(dialect, 'naïve')} AS naive, ${q(dialect, '日本')} AS nihon FROM ${q(dialect, 'café')}`,
    );
    const byNaive = (a: Record<string, unknown>, b: Record<string, unknown>): number =>
      String(a.naive).localeCompare(String(b.naive));
    expect(rows.toSorted(byNaive)).toEqual(ROWS.toSorted(byNaive));

    // The journal keeps the applied text byte for byte, and its checksum matches the file.
    const applied = await target.query(`SELECT applied_text FROM stratum_journal WHERE revision = '${R1}'`);
    expect(String(applied[0]?.applied_text)).toContain('👩‍👩‍👧 family');
    const check = await target.cli('check');
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    const current = await target.json<CurrentJson>('current');
    expect(current.body.current.map((c) => c.node.message)).toEqual(['Straße']);

    const down = await target.cli('downgrade', 'base');
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    expect(await target.versions()).toEqual([]);
    expect(await target.tableNames()).toEqual([]);
    const journal = await target.journal();
    expect(journal.map((row) => [row.revision, row.direction, row.status])).toEqual([
      [R1, 'up', 'succeeded'],
      [R2, 'up', 'succeeded'],
      [R2, 'down', 'succeeded'],
      [R1, 'down', 'succeeded'],
    ]);
  });

  it('a routine whose body holds semicolons (PL/pgSQL $$ function, MySQL DELIMITER trigger, SQLite BEGIN…END trigger) is created, works, and is dropped on downgrade', async () => {
    target.writeRevisions([
      {
        id: R1,
        parents: [],
        up: {
          default: `
CREATE TABLE items (id integer PRIMARY KEY, name varchar(100) NOT NULL, slug varchar(100), note varchar(100));
CREATE TRIGGER items_slug AFTER INSERT ON items FOR EACH ROW
BEGIN
  UPDATE items SET slug = lower(replace(NEW.name, ' ', '-')) WHERE id = NEW.id;
  UPDATE items SET note = 'it''s; fine' WHERE id = NEW.id;
END;
INSERT INTO items (id, name) VALUES (1, 'Hello World');`,
          postgres: `
CREATE TABLE items (id integer PRIMARY KEY, name varchar(100) NOT NULL, slug varchar(100), note varchar(100));
CREATE FUNCTION items_slug() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  sep text := '-'; -- a ; in a comment
BEGIN
  NEW.slug := lower(replace(NEW.name, ' ', sep));
  NEW.note := $x$it's; fine$x$;
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER items_slug BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_slug();
INSERT INTO items (id, name) VALUES (1, 'Hello World');`,
          mysql: `
CREATE TABLE items (id integer PRIMARY KEY, name varchar(100) NOT NULL, slug varchar(100), note varchar(100));
DELIMITER //
CREATE TRIGGER items_slug BEFORE INSERT ON items FOR EACH ROW
BEGIN
  SET NEW.slug = lower(replace(NEW.name, ' ', '-'));
  SET NEW.note = 'it''s; fine';
END//
DELIMITER ;
INSERT INTO items (id, name) VALUES (1, 'Hello World');`,
        },
        down: {
          default: 'DROP TRIGGER items_slug;\nDROP TABLE items;',
          postgres: 'DROP TRIGGER items_slug ON items;\nDROP FUNCTION items_slug();\nDROP TABLE items;',
        },
      },
    ]);

    const up = await target.cli('upgrade', 'head');
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    // Split into whole statements: the routine's body was sent as one.
    const journal = await target.journal();
    expect(journal).toEqual([
      expect.objectContaining({
        revision: R1,
        status: 'succeeded',
        statements_total: dialect === 'postgres' ? 4 : 3,
        statements_done: dialect === 'postgres' ? 4 : 3,
      }),
    ]);
    // The trigger fired for the migration's own INSERT and fires for new rows.
    await target.query("INSERT INTO items (id, name) VALUES (2, 'Second Row')");
    expect(await target.query('SELECT id, slug, note FROM items ORDER BY id')).toEqual([
      { id: 1, slug: 'hello-world', note: "it's; fine" },
      { id: 2, slug: 'second-row', note: "it's; fine" },
    ]);
    expect(await routines()).toEqual(
      dialect === 'postgres' ? ['function items_slug', 'trigger items_slug'] : ['trigger items_slug'],
    );

    const down = await target.cli('downgrade', 'base');
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    expect(await routines()).toEqual([]);
    expect(await target.tableNames()).toEqual([]);
    expect(await target.versions()).toEqual([]);
  });

  /** The user's functions and triggers, as `kind name`, sorted. */
  async function routines(): Promise<string[]> {
    const sql =
      dialect === 'postgres'
        ? "SELECT 'function ' || proname AS r FROM pg_proc WHERE pronamespace = 'public'::regnamespace " +
          "UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal"
        : dialect === 'mysql'
          ? "SELECT CONCAT('trigger ', trigger_name) AS r FROM information_schema.triggers WHERE trigger_schema = DATABASE() " +
            "UNION ALL SELECT CONCAT(LOWER(routine_type), ' ', routine_name) FROM information_schema.routines WHERE routine_schema = DATABASE()"
          : "SELECT type || ' ' || name AS r FROM sqlite_master WHERE type = 'trigger'";
    return (await target.query(sql)).map((row) => String(row.r)).sort();
  }
});
