// The built-in demo (resources/demo, DESIGN.md §7) is what a new user sees first: keep it valid.
// Headers are checked with a tiny local reader (the engine's parser is tested on its own); the
// SQL round trip uses Node's built-in SQLite on an in-memory database, so nothing is written.
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FsMigrationSource } from '../../../electron/node/fs-migration-source.ts';
import { loadProject } from '../../../electron/node/project-loader.ts';
import { resolveDatabaseUrl } from '../../../electron/node/database-url.ts';
import type { LoadedProject } from '../../../electron/node/project-loader.ts';

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

interface DemoRevision {
  readonly file: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly parents: readonly string[];
  readonly up: string;
  readonly down: string;
}

function readRevision(file: string, text: string): DemoRevision {
  const headers: Record<string, string> = {};
  const [head = '', rest = ''] = text.split(/^-- migrate:up$/m);
  for (const match of head.matchAll(/^-- ([a-z-]+):(.*)$/gm)) headers[match[1]!] = match[2]!.trim();
  const [up = '', down = ''] = rest.split(/^-- migrate:down$/m);
  const parents = (headers.parents ?? '').split(/\s+/).filter(Boolean);
  return { file, headers, parents, up, down };
}

/** Tables, views, indexes and triggers with their columns: what "reverts exactly" compares. */
function structure(db: DatabaseSync): unknown {
  return db
    .prepare(
      `SELECT m.type, m.name, m.tbl_name,
              (SELECT group_concat(p.name || ' ' || p.type || ' ' || p."notnull" || ' ' || ifnull(p.dflt_value, '') || ' ' || p.pk, ', ')
                 FROM pragma_table_xinfo(m.name) AS p) AS columns
         FROM sqlite_master AS m ORDER BY m.type, m.name`,
    )
    .all();
}

let project: LoadedProject;
let revisions: DemoRevision[];

beforeAll(async () => {
  project = await loadProject(demoDir, { cwd: demoDir });
  const files = await new FsMigrationSource(project.root, project.config.migrations).list();
  revisions = files.map((f) => readRevision(f.path, f.text));
});

describe('the demo project', () => {
  it('is a valid SQLite project whose local environment resolves', () => {
    expect(project.warnings).toEqual([]);
    expect(project.config.dialect).toBe('sqlite');
    expect(resolveDatabaseUrl({ project: project.config, env: {} })).toEqual({
      url: 'sqlite:./demo.db',
      envName: 'local',
      tag: 'local',
      dialect: 'sqlite',
    });
  });

  it('has about a dozen well-formed revision files with distinct ids and prefixes', () => {
    expect(revisions.length).toBeGreaterThanOrEqual(10);
    const ids = revisions.map((r) => r.headers.revision);
    for (const revision of revisions) {
      const name = /^migrations\/(\d{8}T\d{4})_([0-9a-f]{12})_[a-z0-9_]+\.sql$/.exec(revision.file);
      expect(name, revision.file).not.toBeNull();
      expect(revision.headers.revision).toBe(name![2]);
      expect(revision.headers.message, revision.file).toBeTruthy();
      const stamp = name![1]!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/, '$1-$2-$3T$4:$5:00Z');
      expect(revision.headers.created).toBe(stamp);
      expect(revision.up.trim(), revision.file).not.toBe('');
      expect(revision.down.trim(), revision.file).not.toBe('');
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id!.slice(0, 4))).size).toBe(ids.length);
    const created = revisions.map((r) => r.headers.created!);
    expect([...created].sort()).toEqual(created);
  });

  it('tells the story: one base, a labelled branch, a merge, a non-transactional step, a contract step', () => {
    const ids = new Set(revisions.map((r) => r.headers.revision));
    for (const revision of revisions)
      for (const parent of revision.parents) expect(ids.has(parent), parent).toBe(true);
    expect(revisions.filter((r) => r.parents.length === 0)).toHaveLength(1);
    expect(revisions.filter((r) => r.parents.length === 2)).toHaveLength(1);
    expect(revisions.filter((r) => r.headers['branch-labels'] === 'loyalty')).toHaveLength(1);
    expect(revisions.filter((r) => r.headers.transaction === 'none')).toHaveLength(1);
    expect(revisions.filter((r) => r.headers.phase === 'post-deploy')).toHaveLength(1);
    const children = new Map<string, number>();
    for (const revision of revisions)
      for (const parent of revision.parents) children.set(parent, (children.get(parent) ?? 0) + 1);
    expect([...children.values()].filter((n) => n === 2)).toHaveLength(1);
    expect(revisions.filter((r) => !children.has(r.headers.revision!))).toHaveLength(1);
  });

  it('lists in a topological order (file names sort parents first)', () => {
    const seen = new Set<string>();
    for (const revision of revisions) {
      for (const parent of revision.parents)
        expect(seen.has(parent), `${revision.file} before ${parent}`).toBe(true);
      seen.add(revision.headers.revision!);
    }
  });

  it('applies on SQLite and every down reverts its up exactly', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    for (const revision of revisions) {
      const before = structure(db);
      db.exec(revision.up);
      expect(structure(db), `${revision.file} changes nothing`).not.toEqual(before);
      db.exec(revision.down);
      expect(structure(db), `${revision.file} down`).toEqual(before);
      db.exec(revision.up);
    }
    // Some data through the finished schema: the loyalty trigger awards a point per euro.
    db.exec(`INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.org');
             INSERT INTO loyalty_accounts (user_id) VALUES (1);
             INSERT INTO orders (user_id, total_cents) VALUES (1, 4599);`);
    expect(db.prepare('SELECT points FROM customer_overview WHERE id = 1').get()).toEqual({ points: 45 });
    for (const revision of [...revisions].reverse()) db.exec(revision.down);
    expect(db.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toEqual({ n: 0 });
    db.close();
  });
});
