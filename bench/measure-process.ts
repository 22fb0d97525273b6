/**
 * Runs a whole process and measures it: wall time (from spawn to exit, measured here) and peak RSS.
 *
 * Peak RSS decision: when GNU time is installed at /usr/bin/time, the process runs under
 * `/usr/bin/time -f %M -o FILE` and %M (the child's maxrss, in KiB) is read back from FILE, so the
 * measured process is the real CLI, unchanged. GNU time adds one fork/exec (~1 ms) to the wall
 * time of every row alike, the sqlite3 baseline included. Without it, RSS is reported as null
 * (the in-process probe still reports its own `process.resourceUsage().maxRSS`).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** GNU time, when present. */
export const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** One measured process run. */
export interface ProcessSample {
  readonly ms: number;
  /** Peak resident set size in KiB, or null when it cannot be measured. */
  readonly maxRssKb: number | null;
  readonly stdout: string;
}

/** Runs `command args` once; throws with its output when it exits non-zero. */
export function runMeasured(
  command: string,
  args: readonly string[],
  options: SpawnSyncOptions = {},
): ProcessSample {
  const scratch = mkdtempSync(path.join(tmpdir(), 'stratum-bench-time-'));
  const rssFile = path.join(scratch, 'rss');
  try {
    const [file, argv] =
      GNU_TIME === null ? [command, [...args]] : [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]];
    const started = process.hrtime.bigint();
    const result = spawnSync(file, argv, { maxBuffer: 256 * 1024 * 1024, ...options, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} exited ${result.status}\n${String(result.stdout).slice(-2000)}\n${String(result.stderr).slice(-2000)}`,
      );
    }
    const rss = GNU_TIME === null ? null : Number.parseInt(readFileSync(rssFile, 'utf8').trim(), 10);
    return { ms, maxRssKb: Number.isFinite(rss) ? rss : null, stdout: String(result.stdout) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The median of some numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summary of repeated runs: median wall time, every time, and the largest peak RSS. */
export interface Summary {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly maxRssKb: number | null;
}

/** Runs `once` `times` times (each preceded by `prepare`) and summarises the samples. */
export function repeat(times: number, once: () => ProcessSample, prepare: () => void = () => {}): Summary {
  const samples: ProcessSample[] = [];
  for (let i = 0; i < times; i++) {
    prepare();
    samples.push(once());
  }
  return summarise(samples);
}

/** Summarises samples: median wall time, every time, and the largest peak RSS. */
export function summarise(samples: readonly ProcessSample[]): Summary {
  const rss = samples.map((s) => s.maxRssKb).filter((v): v is number => v !== null);
  return {
    medianMs: median(samples.map((s) => s.ms)),
    runsMs: samples.map((s) => s.ms),
    maxRssKb: rss.length === 0 ? null : Math.max(...rss),
  };
}
