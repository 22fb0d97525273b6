/**
 * Generated Stratum projects for the benchmark: a linear chain of table migrations (apply time) and
 * a 10,000-revision graph with branches, merges and labels (`heads` / `status` time). Everything is
 * deterministic (ids from a hash of the index, a seeded PRNG for branch lengths), so two runs time
 * the same work.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One generated revision: its id, parents and the SQL of both directions. */
export interface GeneratedRevision {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly labels: readonly string[];
  readonly up: readonly string[];
  readonly down: readonly string[];
}

/** What the generators return: where the project is and what it holds, in topological order. */
export interface GeneratedProject {
  readonly root: string;
  readonly revisions: readonly GeneratedRevision[];
}

/** A 12-hex revision id derived from a name (DESIGN.md §2 ids are random; ours are reproducible). */
export function revisionId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 12);
}

/** The dialects a generated project can target. */
export type BenchDialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * The three statements of table migration `i` and their reverse. On the servers `name` is
 * `VARCHAR(100)` (MySQL cannot index a `TEXT` column without a prefix length) and MySQL's
 * `DROP INDEX` names its table; the work is otherwise the same in every dialect.
 */
export function tableMigration(
  i: number,
  dialect: BenchDialect = 'sqlite',
): { up: string[]; down: string[] } {
  const t = `t_${i}`;
  const nameType = dialect === 'sqlite' ? 'TEXT' : 'VARCHAR(100)';
  return {
    up: [
      `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, name ${nameType});`,
      `ALTER TABLE ${t} ADD COLUMN note TEXT;`,
      `CREATE INDEX ${t}_name ON ${t}(name);`,
    ],
    down: [
      dialect === 'mysql' ? `DROP INDEX ${t}_name ON ${t};` : `DROP INDEX ${t}_name;`,
      `ALTER TABLE ${t} DROP COLUMN note;`,
      `DROP TABLE ${t};`,
    ],
  };
}

/** The text of a revision file in the DESIGN.md §2 format. */
export function revisionFileText(rev: GeneratedRevision, created: Date): string {
  const header = [
    `-- revision: ${rev.id}`,
    `-- parents: ${rev.parents.join(' ')}`,
    `-- message: ${rev.message}`,
    `-- created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
  ];
  if (rev.labels.length > 0) header.push(`-- branch-labels: ${rev.labels.join(' ')}`);
  return `${header.join('\n')}\n\n-- migrate:up\n${rev.up.join('\n')}\n\n-- migrate:down\n${rev.down.join('\n')}\n`;
}

/**
 * Writes `stratum.json` and one file per revision under `root`. A server project has no
 * environment: the bench names its scratch database with `--url`.
 */
export function writeProject(
  root: string,
  revisions: readonly GeneratedRevision[],
  dialect: BenchDialect = 'sqlite',
): GeneratedProject {
  const migrations = path.join(root, 'migrations');
  mkdirSync(migrations, { recursive: true });
  const config =
    dialect === 'sqlite'
      ? {
          migrations: 'migrations',
          dialect: 'sqlite',
          environments: { local: { url: 'sqlite:./bench.db', tag: 'local' } },
        }
      : { migrations: 'migrations', dialect };
  writeFileSync(path.join(root, 'stratum.json'), `${JSON.stringify(config, null, 2)}\n`);
  const epoch = Date.UTC(2026, 0, 1);
  revisions.forEach((rev, index) => {
    const created = new Date(epoch + index * 60_000);
    const stamp = created.toISOString().slice(0, 16).replace(/[-:]/g, '');
    const slug = rev.message.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
    const name = `${stamp}_${rev.id}_${slug}.sql`;
    writeFileSync(path.join(migrations, name), revisionFileText(rev, created));
  });
  return { root, revisions };
}

/** A linear chain of `count` table migrations (each: create table, add column, create index). */
export function linearChain(root: string, count: number, dialect: BenchDialect = 'sqlite'): GeneratedProject {
  const revisions: GeneratedRevision[] = [];
  for (let i = 0; i < count; i++) {
    const { up, down } = tableMigration(i, dialect);
    const parents = i === 0 ? [] : [revisions[i - 1]!.id];
    revisions.push({ id: revisionId(`chain-${i}`), parents, message: `create t_${i}`, labels: [], up, down });
  }
  return writeProject(root, revisions, dialect);
}

/** Mulberry32: a small seeded PRNG, so the graph is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A graph of exactly `count` revisions: a trunk where, every ~50 revisions, a side branch of 3–10
 * revisions forks off and is merged back by a merge revision a few trunk revisions later. The
 * first side branch of every ~`count / 3` revisions carries a branch label (`feature_0`, …), so
 * the graph has a couple of labelled branches. Every revision creates one small table.
 *
 * @returns the project, plus `checkpoint`: a trunk revision near index `applyUpTo` whose ancestors
 *   are exactly the revisions generated before it (for a realistic "first N applied" database).
 */
export function branchyGraph(
  root: string,
  count: number,
  applyUpTo: number,
): GeneratedProject & { checkpoint: string; checkpointIndex: number } {
  const random = prng(0x5eed);
  const revisions: GeneratedRevision[] = [];
  let tip: string | null = null;
  let labelled = 0;
  let checkpoint: { id: string; index: number } | null = null;
  const add = (parents: readonly string[], message: string, labels: readonly string[] = []): string => {
    const i = revisions.length;
    const id = revisionId(`graph-${i}`);
    const t = `g_${i}`;
    revisions.push({
      id,
      parents,
      message,
      labels,
      up: [`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, v TEXT);`],
      down: [`DROP TABLE ${t};`],
    });
    return id;
  };
  const trunk = (): void => {
    tip = add(tip === null ? [] : [tip], `trunk ${revisions.length}`);
    if (checkpoint === null && revisions.length - 1 >= applyUpTo) {
      checkpoint = { id: tip, index: revisions.length - 1 };
    }
  };
  while (revisions.length < count) {
    const room = count - revisions.length;
    const run = 40 + Math.floor(random() * 20);
    for (let k = 0; k < Math.min(run, room); k++) trunk();
    const branchLength = 3 + Math.floor(random() * 8);
    const trunkBeside = 2 + Math.floor(random() * 4);
    // A branch needs room for its revisions, the trunk beside it and the merge.
    if (count - revisions.length < branchLength + trunkBeside + 1) continue;
    const fork = tip!;
    const labelHere = revisions.length >= (labelled + 1) * Math.floor(count / 3) - 60 && labelled < 2;
    let branchTip = fork;
    for (let k = 0; k < branchLength; k++) {
      const labels = k === 0 && labelHere ? [`feature_${labelled}`] : [];
      branchTip = add([branchTip], `branch ${revisions.length}`, labels);
    }
    if (labelHere) labelled += 1;
    for (let k = 0; k < trunkBeside; k++) trunk();
    tip = add([tip!, branchTip], `merge ${revisions.length}`);
  }
  const found = checkpoint as { id: string; index: number } | null;
  if (found === null) throw new Error(`no trunk revision at or after index ${applyUpTo}`);
  return { ...writeProject(root, revisions), checkpoint: found.id, checkpointIndex: found.index };
}

/**
 * The `sqlite3` baseline script for a chain: the version table, then per migration
 * `BEGIN; <statements>; <version row>; COMMIT;` with the version row
 * replaced as Stratum does (delete the old head, insert the new) (the same statements Stratum runs).
 */
export function sqlite3ChainScript(revisions: readonly GeneratedRevision[]): string {
  const out = ['CREATE TABLE IF NOT EXISTS stratum_version (revision varchar(32) PRIMARY KEY);'];
  let previous: string | null = null;
  for (const rev of revisions) {
    out.push('BEGIN;', ...rev.up);
    // Stratum's own version transition: drop the previous head's row, insert the new one.
    if (previous !== null) out.push(`DELETE FROM stratum_version WHERE revision = '${previous}';`);
    out.push(`INSERT INTO stratum_version (revision) VALUES ('${rev.id}');`);
    out.push('COMMIT;');
    previous = rev.id;
  }
  return `${out.join('\n')}\n`;
}

/**
 * The `psql` / `mariadb` baseline scripts for a chain on a server, the same shape as
 * {@link sqlite3ChainScript}: the version table as Stratum creates it, then per migration
 * `BEGIN; <statements>; <version row>; COMMIT;` (on MySQL/MariaDB the DDL commits implicitly, as it
 * does under Stratum). `down` runs the reverse, newest first, back to an empty version table.
 * Stratum's journal rows (two more statements per migration) have no counterpart here: the baseline
 * is the work a DBA's hand-written script would do.
 */
export function serverChainScripts(
  revisions: readonly GeneratedRevision[],
  dialect: 'postgres' | 'mysql',
): { up: string; down: string } {
  const q = dialect === 'postgres' ? '"' : '`';
  const table = `${q}stratum_version${q}`;
  const options = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
  const create = `CREATE TABLE IF NOT EXISTS ${table} (\n  revision varchar(32) NOT NULL PRIMARY KEY\n)${options};`;
  const up = [create];
  let previous: string | null = null;
  for (const rev of revisions) {
    up.push('BEGIN;', ...rev.up);
    if (previous !== null) up.push(`DELETE FROM ${table} WHERE revision IN ('${previous}');`);
    up.push(`INSERT INTO ${table} (revision) VALUES ('${rev.id}');`, 'COMMIT;');
    previous = rev.id;
  }
  const down: string[] = [];
  for (let i = revisions.length - 1; i >= 0; i--) {
    const rev = revisions[i]!;
    const parent = i === 0 ? null : revisions[i - 1]!.id;
    down.push('BEGIN;', ...rev.down, `DELETE FROM ${table} WHERE revision IN ('${rev.id}');`);
    if (parent !== null) down.push(`INSERT INTO ${table} (revision) VALUES ('${parent}');`);
    down.push('COMMIT;');
  }
  return { up: `${up.join('\n')}\n`, down: `${down.join('\n')}\n` };
}
