/**
 * The PostgreSQL and MySQL/MariaDB section of `npm run bench` (`--dialects postgres,mysql`): a
 * 500-revision chain applied by `stratum upgrade head` on a fresh scratch database, next to the
 * server's own client (`psql -q -v ON_ERROR_STOP=1 -f`, `mariadb … < file`) running the same
 * statements with a transaction and a version row per revision; then, on the database Stratum just
 * brought to head, `stratum status` (500 applied, revision cache warm) and `stratum downgrade base`,
 * the latter next to the client running the reverse script on its own database.
 *
 * Method: one untimed warm-up of each side, then APPLY_RUNS rounds, each alternating Stratum and the
 * client, each on a database created just before its run (untimed) and dropped after it. The
 * scratch databases are named `stratum_bench_<dialect>_<random>` and always dropped, also when a run
 * fails. Servers: STRATUM_BENCH_PG_URL / STRATUM_BENCH_MYSQL_URL (an administrator's URL), by
 * default the local ones the tests use.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { linearChain, serverChainScripts } from './generate-projects.ts';
import { runMeasured, summarise, type ProcessSample, type Summary } from './measure-process.ts';
import { ms, rss, table } from './report-table.ts';

export type ServerDialect = 'postgres' | 'mysql';

/** What the SQLite part of the bench shares with this one. */
export interface ServerBenchContext {
  readonly node: string;
  readonly cli: string;
  readonly work: string;
  readonly env: NodeJS.ProcessEnv;
  readonly revisions: number;
  readonly runs: number;
  readonly applyTargetRatio: number;
}

/** The figures of one server. */
export interface ServerBenchResult {
  readonly dialect: ServerDialect;
  readonly server: string;
  readonly client: string;
  readonly revisions: number;
  readonly upgrade: Summary & { coldMs: number };
  readonly clientUp: Summary & { coldMs: number };
  readonly upgradeRatio: number;
  readonly status: Summary;
  readonly downgrade: Summary;
  readonly clientDown: Summary;
  readonly downgradeRatio: number;
  readonly targets: { readonly applyRatio: boolean; readonly status: boolean };
}

const STATUS_TARGET_MS = 150;

const ADMIN_URLS: Record<ServerDialect, string> = {
  postgres: process.env.STRATUM_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.STRATUM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
};

/** The URL of database `name` on the dialect's server. */
function databaseUrl(dialect: ServerDialect, name: string): string {
  const url = new URL(ADMIN_URLS[dialect]);
  url.pathname = `/${name}`;
  return url.href;
}

/** The client command that runs a script file on database `name`, reading it from stdin. */
function clientCommand(
  dialect: ServerDialect,
  name: string,
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl(dialect, name));
  if (dialect === 'postgres') {
    // psql takes the URL whole; -f - reads the script from stdin with file semantics.
    return { file: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url.href, '-f', '-'], env: {} };
  }
  const password = decodeURIComponent(url.password);
  return {
    file: 'mariadb',
    args: [
      '--no-defaults',
      '-h',
      url.hostname,
      '-P',
      url.port === '' ? '3306' : url.port,
      '-u',
      decodeURIComponent(url.username),
      name,
    ],
    // MYSQL_PWD keeps the password off the command line (and out of `ps`).
    env: password === '' ? {} : { MYSQL_PWD: password },
  };
}

/** Runs one administrator statement through the client; throws with its stderr on failure. */
function admin(dialect: ServerDialect, sql: string): void {
  const maintenance = dialect === 'postgres' ? 'postgres' : 'mysql';
  const { file, args, env } = clientCommand(dialect, maintenance);
  const withSql =
    dialect === 'postgres'
      ? [...args.slice(0, -2), '-c', sql]
      : [...args.slice(0, -1), '-e', sql, maintenance];
  const result = spawnSync(file, withSql, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${file} ${sql}: exit ${result.status}\n${result.stderr}`);
}

/** A scratch database; `drop` never throws (it reports instead), so cleanup always completes. */
function scratch(dialect: ServerDialect): { name: string; url: string; drop: () => void } {
  const name = `stratum_bench_${dialect}_${randomBytes(4).toString('hex')}`;
  admin(dialect, dialect === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\``);
  return {
    name,
    url: databaseUrl(dialect, name),
    drop: () => {
      try {
        admin(
          dialect,
          dialect === 'postgres'
            ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`
            : `DROP DATABASE IF EXISTS \`${name}\``,
        );
      } catch (error) {
        console.error(`Could not drop the scratch database ${name}: ${(error as Error).message}`);
      }
    },
  };
}

function clientVersion(dialect: ServerDialect): string {
  const file = dialect === 'postgres' ? 'psql' : 'mariadb';
  const out = spawnSync(file, ['--version'], { encoding: 'utf8' });
  return out.error ? `${file}: not installed` : out.stdout.trim();
}

function serverVersion(dialect: ServerDialect): string {
  const maintenance = dialect === 'postgres' ? 'postgres' : 'mysql';
  const { file, args, env } = clientCommand(dialect, maintenance);
  const sql = dialect === 'postgres' ? 'SHOW server_version' : 'SELECT VERSION()';
  const withSql =
    dialect === 'postgres'
      ? [...args.slice(0, -2), '-At', '-c', sql]
      : [...args.slice(0, -1), '-N', '-B', '-e', sql, maintenance];
  const out = spawnSync(file, withSql, { encoding: 'utf8', env: { ...process.env, ...env } });
  return out.status === 0 ? out.stdout.trim() : 'unknown';
}

/** Whether the dialect's client and server are usable; the reason when not. */
export function serverProblem(dialect: ServerDialect): string | null {
  const file = dialect === 'postgres' ? 'psql' : 'mariadb';
  if (spawnSync(file, ['--version']).error) return `${file} is not installed`;
  try {
    admin(dialect, 'SELECT 1');
    return null;
  } catch (error) {
    return `the server at ${new URL(ADMIN_URLS[dialect]).host} cannot be used: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`;
  }
}

/** Runs the whole section for one dialect and prints its table. */
export function benchServer(dialect: ServerDialect, ctx: ServerBenchContext): ServerBenchResult {
  const chain = linearChain(path.join(ctx.work, `chain-${dialect}`), ctx.revisions, dialect);
  const scripts = serverChainScripts(chain.revisions, dialect);
  const upScript = path.join(ctx.work, `chain-${dialect}-up.sql`);
  const downScript = path.join(ctx.work, `chain-${dialect}-down.sql`);
  writeFileSync(upScript, scripts.up);
  writeFileSync(downScript, scripts.down);

  const stratum = (url: string, ...args: string[]): ProcessSample =>
    runMeasured(ctx.node, [ctx.cli, '--project', chain.root, '--url', url, ...args], { env: ctx.env });
  const client = (name: string, script: string): ProcessSample => {
    const { file, args, env } = clientCommand(dialect, name);
    const input = openSync(script, 'r');
    try {
      return runMeasured(file, args, { env: { ...ctx.env, ...env }, stdio: [input, 'pipe', 'pipe'] });
    } finally {
      closeSync(input);
    }
  };
  /** `body` on a fresh scratch database, dropped afterwards whatever happens. */
  const onFresh = <T>(body: (db: { name: string; url: string }) => T): T => {
    const db = scratch(dialect);
    try {
      return body(db);
    } finally {
      db.drop();
    }
  };

  // Warm-up (untimed in the summaries, printed as "cold 1st run").
  const upgradeCold = onFresh((db) => stratum(db.url, 'upgrade', 'head'));
  const clientCold = onFresh((db) => client(db.name, upScript));

  const ups: ProcessSample[] = [];
  const statuses: ProcessSample[] = [];
  const downs: ProcessSample[] = [];
  const clientUps: ProcessSample[] = [];
  const clientDowns: ProcessSample[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    onFresh((db) => {
      ups.push(stratum(db.url, 'upgrade', 'head'));
      stratum(db.url, 'status'); // untimed: the first read after the upgrade
      statuses.push(stratum(db.url, 'status'), stratum(db.url, 'status'));
      downs.push(stratum(db.url, 'downgrade', 'base'));
    });
    onFresh((db) => {
      clientUps.push(client(db.name, upScript));
      clientDowns.push(client(db.name, downScript));
    });
  }
  const upgrade = { ...summarise(ups), coldMs: upgradeCold.ms };
  const clientUp = { ...summarise(clientUps), coldMs: clientCold.ms };
  const status = summarise(statuses);
  const downgrade = summarise(downs);
  const clientDown = summarise(clientDowns);
  const upgradeRatio = upgrade.medianMs / clientUp.medianMs;
  const downgradeRatio = downgrade.medianMs / clientDown.medianMs;
  const clientName = dialect === 'postgres' ? 'psql -f' : 'mariadb <';
  const result: ServerBenchResult = {
    dialect,
    server: serverVersion(dialect),
    client: clientVersion(dialect),
    revisions: ctx.revisions,
    upgrade,
    clientUp,
    upgradeRatio,
    status,
    downgrade,
    clientDown,
    downgradeRatio,
    targets: {
      applyRatio: upgradeRatio <= ctx.applyTargetRatio,
      status: status.medianMs <= STATUS_TARGET_MS,
    },
  };

  const title = dialect === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
  console.log(`${title}: server ${result.server}; client ${result.client}`);
  const row = (name: string, s: Summary & { coldMs?: number }, verdict: string): string[] => [
    name,
    ms(s.medianMs),
    s.runsMs.map((v) => ms(v)).join(', '),
    s.coldMs === undefined ? '-' : ms(s.coldMs),
    rss(s.maxRssKb),
    verdict,
  ];
  const n = ctx.revisions;
  console.log(
    table(
      ['process', 'median', 'runs', 'cold 1st run', 'peak RSS', 'verdict'],
      [
        row(
          `stratum upgrade head (${n} revs, fresh database)`,
          upgrade,
          `${upgradeRatio.toFixed(2)}x ${clientName} (target <= ${ctx.applyTargetRatio}x): ${result.targets.applyRatio ? 'met' : 'MISSED'}`,
        ),
        row(`${clientName} same statements, 1 tx/migration`, clientUp, 'baseline'),
        row(
          `stratum status (${n} applied, cache warm)`,
          status,
          `${result.targets.status ? 'met' : 'MISSED'} (target <= ${STATUS_TARGET_MS} ms)`,
        ),
        row(
          `stratum downgrade base (${n} revs)`,
          downgrade,
          `${downgradeRatio.toFixed(2)}x ${clientName} (no target)`,
        ),
        row(`${clientName} reverse statements, 1 tx/migration`, clientDown, 'baseline'),
      ],
    ),
  );
  console.log('');
  return result;
}
