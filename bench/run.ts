/**
 * `npm run bench`: prints how fast Stratum applies and reads migrations, as whole CLI processes
 * (Node start-up included) next to the `sqlite3` client and Node's bare start-up, plus an
 * in-process split (start-up / module loading / command) from bench/engine-probe.ts. Writes the
 * figures to bench/results/latest.json (git-ignored). Not a test: it exits 0 whether or not the
 * targets are met, and says which.
 *
 * Method: every timed run is preceded by one untimed warm-up run (OS file cache, and Node's
 * compile cache, which the bench points at a fresh folder so the warm-up is a true cold start
 * whose time is also printed). Generated projects live under os.tmpdir() and are removed at the end.
 *
 * `heads` and `status` are timed twice, runs alternating: "warm", with the revision cache
 * (.stratum/cache, written by the warm-up run: the normal case from the second command on), and
 * "cold", with STRATUM_NO_CACHE=1 (every file read and parsed, as on a first run or in CI). The
 * target verdict is on the warm figure; the cold one is printed beside it.
 *
 * `--dialects sqlite,postgres,mysql` (default: all three) picks the sections. The PostgreSQL and
 * MySQL/MariaDB sections (bench/server-bench.ts) time the same 500-revision chain against the
 * server's own client, plus `status` and `downgrade base`, on scratch databases they create and drop.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { branchyGraph, linearChain, sqlite3ChainScript } from './generate-projects.ts';
import type { ProbeResult } from './engine-probe.ts';
import {
  GNU_TIME,
  median,
  repeat,
  runMeasured,
  summarise,
  type ProcessSample,
  type Summary,
} from './measure-process.ts';
import { ms, rss, table } from './report-table.ts';
import { RACY_MARGIN_MS } from '../electron/node/revision-cache.ts';
import { benchServer, serverProblem, type ServerBenchResult, type ServerDialect } from './server-bench.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
// What users run: the installed `stratum` command (bin/stratum.js → dist/), built if missing.
const CLI = path.join(REPO, 'bin/stratum.js');
const PROBE = path.join(REPO, 'bench/engine-probe.ts');
const SQLITE3 = '/usr/bin/sqlite3';
const NODE = process.execPath;

const CHAIN_SIZE = 500;
const GRAPH_SIZE = 10_000;
const GRAPH_APPLIED = 9_000;
const APPLY_RUNS = 5;
const READ_RUNS = 5;
const APPLY_TARGET_RATIO = 1.1;
const READ_TARGET_MS = 300;

const ALL_DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;
type Dialect = (typeof ALL_DIALECTS)[number];

/** `--dialects a,b` (or `--dialects=a,b`); all three when absent. */
function parseDialects(argv: readonly string[]): Dialect[] {
  const at = argv.findIndex((a) => a === '--dialects' || a.startsWith('--dialects='));
  if (at === -1) return [...ALL_DIALECTS];
  const value = argv[at]!.includes('=') ? argv[at]!.slice('--dialects='.length) : argv[at + 1];
  const names = (value ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '')
    .map((d) => (d === 'mariadb' ? 'mysql' : d));
  const unknown = names.filter((d) => !(ALL_DIALECTS as readonly string[]).includes(d));
  if (names.length === 0 || unknown.length > 0) {
    console.error(
      `--dialects takes a comma-separated list of ${ALL_DIALECTS.join(', ')} (mariadb = mysql); got "${value ?? ''}".`,
    );
    process.exit(2);
  }
  return ALL_DIALECTS.filter((d) => names.includes(d));
}

const dialects = parseDialects(process.argv.slice(2));
const work = mkdtempSync(path.join(os.tmpdir(), 'stratum-bench-'));
// The children's compile cache (used when the CLI enables it): fresh, so the warm-up run is cold.
const childEnv = { ...process.env, NODE_COMPILE_CACHE: path.join(work, 'compile-cache'), NO_COLOR: '1' };
const hasSqlite3 = existsSync(SQLITE3);

/** Builds dist/ every time: a stale build would measure old code. */
function ensureBuilt(): void {
  console.log('Building dist/ (tsc -p tsconfig.build.json)…');
  const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
  const built = spawnSync(NODE, [tsc, '-p', path.join(REPO, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('tsc failed; run `npm run build` to see why');
}

/**
 * A read command with the revision cache (warm) and without it (STRATUM_NO_CACHE=1, cold), timed
 * in alternation after one untimed run of each (the warm one writes the cache).
 */
function readCommand(
  project: string,
  args: readonly string[],
): { warm: Summary & { coldMs: number }; cold: Summary & { coldMs: number } } {
  const run = (env: NodeJS.ProcessEnv) => () =>
    runMeasured(NODE, [CLI, '--project', project, ...args], { env });
  const warmOnce = run(childEnv);
  const coldOnce = run({ ...childEnv, STRATUM_NO_CACHE: '1' });
  const warmFirst = warmOnce();
  const coldFirst = coldOnce();
  const warm: ProcessSample[] = [];
  const cold: ProcessSample[] = [];
  for (let i = 0; i < READ_RUNS; i++) {
    warm.push(warmOnce());
    cold.push(coldOnce());
  }
  return {
    warm: { ...summarise(warm), coldMs: warmFirst.ms },
    cold: { ...summarise(cold), coldMs: coldFirst.ms },
  };
}

/** Blocks until `ms` have passed since `since` (Date.now() value). */
function waitUntil(since: number, ms: number): void {
  const left = since + ms - Date.now();
  if (left > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, left);
}

/** Before each timed `upgrade`, a fresh (absent) database file. */
function resetDb(project: string, args: readonly string[]): () => void {
  if (args[0] !== 'upgrade') return () => {};
  return () => {
    for (const suffix of ['', '-journal', '-wal', '-shm', '.stratum-lock', '.stratum-lock.json']) {
      rmSync(path.join(project, `bench.db${suffix}`), { force: true });
    }
  };
}

/** The in-process split, median per field over `runs` probe processes. */
function probe(command: string, project: string, runs: number, prepare: () => void = () => {}): ProbeResult {
  const results: ProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    prepare();
    const sample = runMeasured(NODE, [PROBE, command, project], { env: childEnv });
    results.push(JSON.parse(sample.stdout.trim().split('\n').pop()!) as ProbeResult);
  }
  const pick = (key: 'bootMs' | 'importMs' | 'commandMs' | 'totalMs' | 'maxRssKb'): number =>
    median(results.map((r) => r[key]));
  return {
    bootMs: pick('bootMs'),
    importMs: pick('importMs'),
    commandMs: pick('commandMs'),
    totalMs: pick('totalMs'),
    maxRssKb: pick('maxRssKb'),
    detail: results[0]!.detail,
  };
}

/** sqlite3 running `script` on a fresh `db` (stdin from the file, like `sqlite3 db < script`). */
function sqlite3Run(db: string, script: string): ReturnType<typeof runMeasured> {
  for (const suffix of ['', '-journal']) rmSync(`${db}${suffix}`, { force: true });
  const input = openSync(script, 'r');
  try {
    return runMeasured(SQLITE3, ['-bail', db], { stdio: [input, 'pipe', 'pipe'] });
  } finally {
    closeSync(input);
  }
}

function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  const sqliteVersion = hasSqlite3
    ? spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ')[0]!
    : 'not installed (apt-get install sqlite3)';
  const engineSqlite = spawnSync(
    NODE,
    [
      '-e',
      "console.log(new (require('better-sqlite3'))(':memory:').prepare('select sqlite_version() v').get().v)",
    ],
    { cwd: REPO, encoding: 'utf8' },
  ).stdout.trim();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model ?? 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    sqlite3Client: sqliteVersion,
    engineSqlite: `${engineSqlite} (better-sqlite3)`,
    peakRss: GNU_TIME === null ? 'probe only (no /usr/bin/time)' : `${GNU_TIME} -f %M`,
    tmp: work,
  };
}

function main(): void {
  const started = Date.now();
  ensureBuilt();
  const info = { ...machine(), dialects: dialects.join(',') };
  console.log('Stratum bench');
  for (const [key, value] of Object.entries(info)) console.log(`  ${key.padEnd(14)}${value}`);
  console.log('');

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: info,
    ...(dialects.includes('sqlite') ? sqliteSection() : {}),
  };
  const servers: Record<string, ServerBenchResult | { skipped: string }> = {};
  for (const dialect of dialects.filter((d): d is ServerDialect => d !== 'sqlite')) {
    const problem = serverProblem(dialect);
    if (problem !== null) {
      console.log(`${dialect}: skipped, ${problem}.\n`);
      servers[dialect] = { skipped: problem };
      continue;
    }
    servers[dialect] = benchServer(dialect, {
      node: NODE,
      cli: CLI,
      work,
      env: childEnv,
      revisions: CHAIN_SIZE,
      runs: APPLY_RUNS,
      applyTargetRatio: APPLY_TARGET_RATIO,
    });
  }
  if (Object.keys(servers).length > 0) results.servers = servers;
  console.log(`Bench took ${ms(Date.now() - started)}.`);
  const out = path.join(REPO, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote bench/results/latest.json`);
}

/** The SQLite section: apply against sqlite3, then heads/status on the 10,000-revision graph. */
function sqliteSection(): Record<string, unknown> {
  // Node's bare start-up, for reference.
  const bare = repeat(READ_RUNS, () => runMeasured(NODE, ['-e', '0'], { env: childEnv }));

  // 1. Apply a 500-revision chain. The stratum and sqlite3 runs alternate, so a drift in disk
  //    speed (the run is fsync-bound) hits both sides alike.
  const chain = linearChain(path.join(work, 'chain'), CHAIN_SIZE);
  const script = path.join(work, 'chain-baseline.sql');
  writeFileSync(script, sqlite3ChainScript(chain.revisions));
  const baselineDb = path.join(work, 'baseline.db');
  const upgradeOnce = () =>
    runMeasured(NODE, [CLI, '--project', chain.root, 'upgrade', 'head'], { env: childEnv });
  const resetChain = resetDb(chain.root, ['upgrade']);
  resetChain();
  const upgradeCold = upgradeOnce();
  const baselineCold = hasSqlite3 ? sqlite3Run(baselineDb, script) : null;
  const upgradeSamples: ProcessSample[] = [];
  const baselineSamples: ProcessSample[] = [];
  for (let i = 0; i < APPLY_RUNS; i++) {
    resetChain();
    upgradeSamples.push(upgradeOnce());
    if (hasSqlite3) baselineSamples.push(sqlite3Run(baselineDb, script));
  }
  const upgrade = { ...summarise(upgradeSamples), coldMs: upgradeCold.ms };
  const baseline: (Summary & { coldMs: number }) | null =
    baselineCold === null ? null : { ...summarise(baselineSamples), coldMs: baselineCold.ms };
  const upgradeProbe = probe('upgrade', chain.root, APPLY_RUNS, resetChain);

  // 2. heads and status on a 10,000-revision graph with ~9,000 applied.
  const graph = branchyGraph(path.join(work, 'graph'), GRAPH_SIZE, GRAPH_APPLIED - 1);
  const generatedAt = Date.now();
  const stateNote = buildGraphState(graph.root, graph.checkpoint);
  // The cache never stores a file changed within its racy margin: let the generated files age
  // past it, or the "warm" runs would parse everything.
  waitUntil(generatedAt, RACY_MARGIN_MS + 500);
  const headsBoth = readCommand(graph.root, ['heads']);
  const statusBoth = readCommand(graph.root, ['status']);
  const heads = headsBoth.warm;
  const status = statusBoth.warm;
  const headsProbe = probe('heads', graph.root, 3);
  const statusProbe = probe('status', graph.root, 3);

  const ratio = baseline === null ? null : upgrade.medianMs / baseline.medianMs;
  const engineRatio = baseline === null ? null : upgradeProbe.commandMs / baseline.medianMs;
  const row = (name: string, s: Summary & { coldMs?: number }, target: string): string[] => [
    name,
    ms(s.medianMs),
    s.runsMs.map((v) => ms(v)).join(', '),
    s.coldMs === undefined ? '-' : ms(s.coldMs),
    rss(s.maxRssKb),
    target,
  ];
  const applyTarget =
    ratio === null
      ? 'no sqlite3 to compare'
      : `${ratio.toFixed(2)}x sqlite3 (target <= ${APPLY_TARGET_RATIO}x)`;
  const readTarget = (s: Summary): string =>
    `${s.medianMs <= READ_TARGET_MS ? 'met' : 'MISSED'} (target <= ${READ_TARGET_MS} ms)`;

  console.log(
    `Whole processes (wall time from spawn to exit; median of ${APPLY_RUNS} for apply, ${READ_RUNS} for reads; after 1 warm-up run)`,
  );
  const rows = [
    row('node -e 0 (bare Node start-up)', bare, 'reference'),
    row(`stratum upgrade head (${CHAIN_SIZE} revs, fresh file)`, upgrade, applyTarget),
  ];
  if (baseline !== null) rows.push(row(`sqlite3 same statements, 1 tx/migration`, baseline, 'baseline'));
  else
    rows.push([
      'sqlite3 baseline',
      'skipped: /usr/bin/sqlite3 missing (apt-get install sqlite3)',
      '',
      '',
      '',
      '',
    ]);
  const withCold = (warm: Summary, cold: Summary): string => `${readTarget(warm)}; cold ${ms(cold.medianMs)}`;
  rows.push(row(`stratum heads (${GRAPH_SIZE} revs), cache warm`, heads, withCold(heads, headsBoth.cold)));
  rows.push(row(`stratum heads, cold (STRATUM_NO_CACHE=1)`, headsBoth.cold, 'no cache: reference'));
  rows.push(
    row(
      `stratum status (${GRAPH_SIZE} revs, ${stateNote.applied} applied), cache warm`,
      status,
      withCold(status, statusBoth.cold),
    ),
  );
  rows.push(row(`stratum status, cold (STRATUM_NO_CACHE=1)`, statusBoth.cold, 'no cache: reference'));
  console.log(table(['process', 'median', 'runs', 'cold 1st run', 'peak RSS', 'verdict'], rows));
  console.log('');

  console.log(
    'In process (bench/engine-probe.ts; median of probe runs, revision cache warm): where the time goes',
  );
  const probeRow = (name: string, p: ProbeResult): string[] => [
    name,
    ms(p.bootMs),
    ms(p.importMs),
    ms(p.commandMs),
    ms(p.totalMs),
    rss(p.maxRssKb),
    p.detail,
  ];
  console.log(
    table(
      ['command', 'node start-up', 'module load', 'command', 'total', 'peak RSS', 'result'],
      [
        probeRow('upgrade head', upgradeProbe),
        probeRow('heads', headsProbe),
        probeRow('status', statusProbe),
      ],
    ),
  );
  console.log('');
  if (ratio !== null && engineRatio !== null && baseline !== null) {
    console.log(
      `Apply ratio: whole CLI ${ratio.toFixed(2)}x the sqlite3 process; engine alone (command time, ` +
        `no Node start-up or module load) ${engineRatio.toFixed(2)}x. Node start-up + module load: ` +
        `${ms(upgradeProbe.bootMs + upgradeProbe.importMs)} of ${ms(upgrade.medianMs)}.`,
    );
  }
  console.log(`Graph state for status: ${stateNote.how}.`);
  console.log('');

  return {
    bareNode: bare,
    apply: {
      revisions: CHAIN_SIZE,
      stratum: upgrade,
      sqlite3: baseline,
      ratio,
      engineRatio,
      probe: upgradeProbe,
    },
    heads: {
      revisions: GRAPH_SIZE,
      stratum: heads,
      stratumNoCache: headsBoth.cold,
      probe: headsProbe,
      targetMs: READ_TARGET_MS,
    },
    status: {
      revisions: GRAPH_SIZE,
      ...stateNote,
      stratum: status,
      stratumNoCache: statusBoth.cold,
      probe: statusProbe,
      targetMs: READ_TARGET_MS,
    },
    targets: {
      applyRatio: ratio === null ? null : ratio <= APPLY_TARGET_RATIO,
      heads: heads.medianMs <= READ_TARGET_MS,
      status: status.medianMs <= READ_TARGET_MS,
    },
  };
}

/**
 * Brings the graph's database to "first ~9,000 applied" with journal rows, as a DBA would: the
 * offline script of `stratum sql upgrade base:<rev>` run once through sqlite3 (with
 * `synchronous = OFF` to keep set-up short; the result is the same file). Without sqlite3, falls
 * back to `stratum stamp <rev>` (version row only, no journal rows).
 */
function buildGraphState(root: string, checkpoint: string): { applied: number; how: string } {
  const run = (args: readonly string[]) =>
    runMeasured(NODE, [CLI, '--project', root, ...args], { env: childEnv });
  const json = (args: readonly string[]) =>
    JSON.parse(run([...args, '--json']).stdout) as Record<string, unknown>;
  if (hasSqlite3) {
    const script = path.join(work, 'graph-state.sql');
    run(['sql', 'upgrade', `base:${checkpoint}`, '-o', script]);
    const withPragmas = path.join(work, 'graph-state-fast.sql');
    const body = readFileSync(script, 'utf8');
    writeFileSync(withPragmas, `PRAGMA synchronous = OFF;\nPRAGMA journal_mode = MEMORY;\n${body}`);
    sqlite3Run(path.join(root, 'bench.db'), withPragmas);
    const s = json(['status']);
    return {
      applied: (s.applied as unknown[]).length,
      how: `\`stratum sql upgrade base:${checkpoint}\` run through sqlite3 once (journal rows for every applied revision)`,
    };
  }
  run(['stamp', checkpoint]);
  const s = json(['status']);
  return {
    applied: (s.applied as unknown[]).length,
    how: `\`stratum stamp ${checkpoint}\` (no sqlite3: version row only, no journal rows to compare checksums)`,
  };
}

try {
  main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
