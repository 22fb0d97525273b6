/**
 * In-process probe, run as its own process by bench/run.ts:
 *
 *   node bench/engine-probe.ts <upgrade|status|heads> <projectDir>
 *
 * It splits one CLI-equivalent invocation into Node start-up (time origin to this file's first
 * line), module loading (dynamic import of the command modules: TypeScript stripping, commander,
 * better-sqlite3) and the command itself (project load, graph, database work), and prints them
 * with its own peak RSS (`process.resourceUsage().maxRSS`) as one JSON line on stdout. The command
 * functions are the ones the CLI's actions call; only the CLI's argument parsing and output
 * formatting are left out.
 */
import { enableCompileCache } from 'node:module';
import { performance } from 'node:perf_hooks';

/** What the probe prints. */
export interface ProbeResult {
  readonly bootMs: number;
  readonly importMs: number;
  readonly commandMs: number;
  readonly totalMs: number;
  readonly maxRssKb: number;
  readonly detail: string;
}

async function main(): Promise<ProbeResult> {
  const bootMs = performance.now();
  enableCompileCache(); // as electron/transports/cli/main.ts does
  const [command, project] = process.argv.slice(2);
  if (project === undefined) throw new Error('usage: engine-probe.ts <upgrade|status|heads> <projectDir>');
  const options = { cwd: project, project, env: process.env };
  const importStart = performance.now();
  let run: () => Promise<string>;
  if (command === 'upgrade') {
    const { upgrade } = await import('../electron/commands/run-migrations.ts');
    run = async () => {
      const result = await upgrade({ ...options, target: 'head' });
      if (!result.report.ok) throw new Error(JSON.stringify(result.report.steps.find((s) => s.error)));
      return `${result.report.steps.length} steps applied`;
    };
  } else if (command === 'status') {
    const { status } = await import('../electron/commands/database-status.ts');
    run = async () => {
      const s = await status(options);
      return `${s.applied.length} applied, ${s.pending.length} pending, ${s.modified.length} modified`;
    };
  } else if (command === 'heads') {
    const { heads } = await import('../electron/commands/graph-queries.ts');
    run = async () => `${(await heads(options)).nodes.length} head(s)`;
  } else {
    throw new Error(`unknown probe command ${String(command)}`);
  }
  const commandStart = performance.now();
  const detail = await run();
  const end = performance.now();
  return {
    bootMs,
    importMs: commandStart - importStart,
    commandMs: end - commandStart,
    totalMs: end,
    maxRssKb: process.resourceUsage().maxRSS,
    detail,
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
