/**
 * The conformance suite's view of one dialect (STYLE.md §F.3): a temp project whose `stratum.json`
 * names the dialect, a real database (a temp SQLite file, or a scratch database on the local
 * PostgreSQL / MariaDB server made by `createTestDatabase`), the CLI run as a child process with
 * `--project` and `--url`, and direct reads of the database with the dialect's driver.
 *
 * Which dialects run: `DIALECTS=sqlite,postgres` (comma list), by default every dialect whose
 * adapter can `open` a connection, so the suite grows as adapters land. A server that is down
 * fails the test file (createTestDatabase throws); it is never skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { adapterFor } from '../../../electron/dialects/registry.ts';
import { DIALECTS, isDialect, type Dialect } from '../../../shared/model/dialect.ts';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.ts';

/** The CLI entry, run from source by Node 24 (type stripping), like the integration tests do. */
export const CLI = fileURLToPath(new URL('../../../electron/transports/cli/main.ts', import.meta.url));

/** The dialects this run covers (see the module comment); throws on an unknown or unusable name. */
export function conformanceDialects(env: string | undefined = process.env.DIALECTS): Dialect[] {
  const connectable = DIALECTS.filter((d) => adapterFor(d).open !== undefined);
  if (env === undefined || env.trim() === '') return [...connectable];
  const asked = env
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of asked) {
    if (!isDialect(name))
      throw new Error(`DIALECTS names an unknown dialect "${name}" (known: ${DIALECTS.join(', ')}).`);
    if (!connectable.includes(name))
      throw new Error(`DIALECTS names ${name}, whose adapter cannot open connections yet.`);
  }
  return DIALECTS.filter((d) => asked.includes(d));
}

/** The dialects of this run, printed once per test file so the log says what ran. */
export function dialectsFor(suite: string): Dialect[] {
  const dialects = conformanceDialects();
  console.log(`conformance ${suite}: dialects ${dialects.join(', ')}`);
  return dialects;
}

/** Text per dialect: `default` is the plain section, the others override it (`-- migrate:up mysql`). */
export type SectionText = string | ({ readonly default?: string } & Partial<Record<Dialect, string>>);

/** One revision file of a conformance project. */
export interface RevisionSpec {
  readonly id: string;
  readonly parents: readonly string[];
  readonly up: SectionText;
  /** Omitted: the revision is irreversible. */
  readonly down?: SectionText;
  readonly labels?: readonly string[];
  readonly transaction?: 'none';
  readonly message?: string;
}

/** The text of a revision file (header, then the plain and per-dialect sections). */
export function revisionText(spec: RevisionSpec, created: string): string {
  const sections = (kind: 'up' | 'down', text: SectionText | undefined): string[] => {
    if (text === undefined) return [];
    const parts = typeof text === 'string' ? { default: text } : text;
    return Object.entries(parts).flatMap(([dialect, body]) =>
      body === undefined
        ? []
        : [`-- migrate:${kind}${dialect === 'default' ? '' : ` ${dialect}`}`, body.trim(), ''],
    );
  };
  return [
    `-- revision: ${spec.id}`,
    `-- parents: ${spec.parents.join(' ')}`,
    `-- message: ${spec.message ?? `revision ${spec.id}`}`,
    `-- created: ${created}`,
    ...(spec.labels === undefined ? [] : [`-- branch-labels: ${spec.labels.join(' ')}`]),
    ...(spec.transaction === undefined ? [] : [`-- transaction: ${spec.transaction}`]),
    '',
    ...sections('up', spec.up),
    ...sections('down', spec.down),
  ].join('\n');
}

/** The outcome of a finished CLI process. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** A running CLI process whose output is collected as it arrives. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
}

/** One journal row as the suite compares it across dialects (numbers as numbers). */
export interface JournalRow {
  readonly revision: string;
  readonly direction: string;
  readonly status: string;
  readonly statements_done: number;
  readonly statements_total: number;
  readonly checksum: string | null;
}

/** A user table and its columns, lowercased names sorted. */
export interface TableShape {
  readonly table: string;
  readonly columns: readonly string[];
}

/** A conformance project and database of one dialect. */
export class ConformanceTarget {
  readonly dialect: Dialect;
  /** The project folder (`stratum.json`, `migrations/`). */
  readonly root: string;
  /** The database URL passed as `--url`. */
  readonly url: string;
  readonly #scratch: TestDatabase | null;
  readonly #dir: string;
  readonly #children = new Set<ChildProcess>();
  #created = 0;

  private constructor(dialect: Dialect, dir: string, url: string, scratch: TestDatabase | null) {
    this.dialect = dialect;
    this.#dir = dir;
    this.root = path.join(dir, 'project');
    this.url = url;
    this.#scratch = scratch;
    this.resetProject();
  }

  /** A temp project with `"dialect": dialect` and a fresh database (scratch DB / temp SQLite file). */
  static async create(dialect: Dialect, label: string): Promise<ConformanceTarget> {
    const dir = mkdtempSync(path.join(tmpdir(), `stratum-conf-${dialect}-${label}-`));
    if (dialect === 'sqlite')
      return new ConformanceTarget(dialect, dir, `sqlite:${path.join(dir, 'app.db')}`, null);
    const scratch = await createTestDatabase(dialect, `conf_${label}`);
    return new ConformanceTarget(dialect, dir, scratch.url, scratch);
  }

  /** The scratch database's name (PostgreSQL/MySQL) or the SQLite file. */
  get databaseName(): string {
    return this.#scratch?.name ?? this.url.slice('sqlite:'.length);
  }

  /** Empties the project: `stratum.json` and an empty `migrations/`. */
  resetProject(): void {
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(path.join(this.root, 'migrations'), { recursive: true });
    writeFileSync(
      path.join(this.root, 'stratum.json'),
      `${JSON.stringify({ migrations: 'migrations', dialect: this.dialect }, null, 2)}\n`,
    );
    this.#created = 0;
  }

  /** Writes revision files in order (file names and `created` sort in that order); returns their paths. */
  writeRevisions(specs: readonly RevisionSpec[]): string[] {
    return specs.map((spec) => {
      const n = ++this.#created;
      const day = String(n).padStart(2, '0');
      const file = path.join(this.root, 'migrations', `202601${day}T0900_${spec.id}_step_${n}.sql`);
      writeFileSync(file, revisionText(spec, `2026-01-${day}T09:00:00Z`));
      return file;
    });
  }

  /** Starts `stratum --project ROOT --url URL ARGS` (NO_COLOR, plain output). */
  start(args: readonly string[]): RunningCli {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, '--project', this.root, '--url', this.url, ...args], {
      cwd: this.root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const done = new Promise<CliResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        this.#children.delete(child);
        resolve({ code, signal, stdout: out, stderr: err, ms: Date.now() - started });
      });
    });
    return { child, stdout: () => out, stderr: () => err, done };
  }

  /** Runs `stratum ARGS` to completion. */
  cli(...args: string[]): Promise<CliResult> {
    return this.start(args).done;
  }

  /** Runs `stratum --json ARGS` and parses stdout (throws with the output when it is not JSON). */
  async json<T = Record<string, unknown>>(
    ...args: string[]
  ): Promise<{ code: number | null; body: T; stderr: string }> {
    const result = await this.cli('--json', ...args);
    try {
      return { code: result.code, body: JSON.parse(result.stdout) as T, stderr: result.stderr };
    } catch {
      throw new Error(
        `stratum --json ${args.join(' ')} printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
      );
    }
  }

  /** Runs one query on a fresh connection and returns its rows. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    if (this.dialect === 'sqlite') {
      const db = new Database(this.databaseName, { timeout: 10_000 });
      try {
        const statement = db.prepare(sql);
        return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
      } finally {
        db.close();
      }
    }
    if (this.dialect === 'postgres') {
      const client = new pg.Client({ connectionString: this.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    }
    const connection = await mysql.createConnection({ uri: this.url });
    try {
      const [rows] = await connection.query(sql);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    } finally {
      await connection.end();
    }
  }

  /** Whether a table exists (user or bookkeeping). */
  async hasTable(name: string): Promise<boolean> {
    return (await this.tableNames(true)).includes(name.toLowerCase());
  }

  /** Table names, lowercased and sorted; Stratum's own tables only when `withBookkeeping`. */
  async tableNames(withBookkeeping = false): Promise<string[]> {
    return (await this.schema(withBookkeeping)).map((t) => t.table);
  }

  /** The user tables and their columns (information_schema / sqlite pragma), sorted. */
  async schema(withBookkeeping = false): Promise<TableShape[]> {
    let rows: { t: string; c: string }[];
    if (this.dialect === 'sqlite') {
      rows = (await this.query(
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
      )) as { t: string; c: string }[];
    } else {
      const where = this.dialect === 'postgres' ? "table_schema = 'public'" : 'table_schema = DATABASE()';
      rows = (await this.query(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE ${where}`,
      )) as { t: string; c: string }[];
    }
    const tables = new Map<string, string[]>();
    for (const { t, c } of rows) {
      const table = String(t).toLowerCase();
      if (!withBookkeeping && table.startsWith('stratum_')) continue;
      tables.set(table, [...(tables.get(table) ?? []), String(c).toLowerCase()]);
    }
    return [...tables.keys()].sort().map((table) => ({ table, columns: tables.get(table)!.sort() }));
  }

  /** Index names of `table`, sorted (SQLite: including its automatic indexes). */
  async indexes(table: string): Promise<string[]> {
    const sql =
      this.dialect === 'postgres'
        ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = '${table}'`
        : this.dialect === 'mysql'
          ? `SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '${table}'`
          : `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}'`;
    return (await this.query(sql)).map((row) => String(row.name)).sort();
  }

  /** The version table's rows, sorted (empty when it does not exist). */
  async versions(): Promise<string[]> {
    if (!(await this.hasTable('stratum_version'))) return [];
    const rows = await this.query('SELECT revision FROM stratum_version');
    return rows.map((r) => String(r.revision)).sort();
  }

  /** The journal, oldest first (empty when it does not exist). */
  async journal(): Promise<JournalRow[]> {
    if (!(await this.hasTable('stratum_journal'))) return [];
    const rows = await this.query(
      'SELECT revision, direction, status, statements_done, statements_total, checksum FROM stratum_journal ORDER BY id',
    );
    return rows.map((r) => ({
      revision: String(r.revision),
      direction: String(r.direction),
      status: String(r.status),
      statements_done: Number(r.statements_done),
      statements_total: Number(r.statements_total),
      checksum: r.checksum === null ? null : String(r.checksum),
    }));
  }

  /** Empties the database (user objects and Stratum's tables) so the next test starts from nothing. */
  async resetDatabase(): Promise<void> {
    if (this.dialect === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm', '-journal', '.stratum-lock', '.stratum-lock.json']) {
        rmSync(`${this.databaseName}${suffix}`, { force: true });
      }
    } else if (this.dialect === 'postgres') {
      await this.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    } else {
      const connection = await mysql.createConnection({ uri: this.url, multipleStatements: true });
      try {
        const [rows] = await connection.query(
          'SELECT table_name AS t, table_type AS k FROM information_schema.tables WHERE table_schema = DATABASE()',
        );
        const tables = rows as { t: string; k: string }[];
        const views = tables.filter((r) => r.k === 'VIEW').map((r) => `\`${r.t}\``);
        const bases = tables.filter((r) => r.k !== 'VIEW').map((r) => `\`${r.t}\``);
        const [routines] = await connection.query(
          'SELECT routine_name AS n, routine_type AS k FROM information_schema.routines WHERE routine_schema = DATABASE()',
        );
        await connection.query('SET FOREIGN_KEY_CHECKS = 0');
        if (views.length > 0) await connection.query(`DROP VIEW ${views.join(', ')}`);
        if (bases.length > 0) await connection.query(`DROP TABLE ${bases.join(', ')}`);
        for (const r of routines as { n: string; k: string }[])
          await connection.query(`DROP ${r.k} \`${r.n}\``);
      } finally {
        await connection.end();
      }
    }
  }

  /** SIGKILLs the CLI processes still running. */
  async killChildren(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const child of this.#children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      waits.push(new Promise((resolve) => child.once('close', resolve)));
      child.kill('SIGKILL');
    }
    await Promise.all(waits);
  }

  /** Kills leftover processes, drops the scratch database and removes the temp folder. */
  async dispose(): Promise<void> {
    await this.killChildren();
    try {
      await this.#scratch?.drop();
    } finally {
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}

/** Polls `check` until it returns a value other than undefined/false; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts journal rows per revision with `status` and `direction`. */
export function countRows(
  journal: readonly JournalRow[],
  status: string,
  direction = 'up',
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of journal) {
    if (row.status === status && row.direction === direction)
      counts[row.revision] = (counts[row.revision] ?? 0) + 1;
  }
  return counts;
}
