/**
 * Runs every `test/cli/scripts/*.txt` (format: ./script-format.ts) against the real CLI, each in its
 * own temp project: `stratum` is `node electron/transports/cli/main.ts` with cwd = the temp folder.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { normalise, parseScript, type Step, type Stream } from './script-format.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const MAIN = path.join(REPO, 'electron/transports/cli/main.ts');
const SCRIPTS = path.join(HERE, 'scripts');

interface RunResult {
  readonly command: string;
  readonly line: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  exitChecked: boolean;
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI from source on this Node (24 strips TypeScript types). */
function runStratum(
  root: string,
  work: string,
  args: readonly string[],
  extraEnv: Record<string, string>,
): RunResult & { error?: Error } {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: work,
    encoding: 'utf8',
    // A clean environment: no outer DATABASE_URL or STRATUM_* leaks in, and everything the CLI or
    // Node may write (HOME, Node's compile cache, TMPDIR) stays inside this script's temp folder.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: path.join(root, 'home'),
      TMPDIR: path.join(root, 'tmp'),
      NODE_COMPILE_CACHE: path.join(root, 'node-compile-cache'),
      NO_COLOR: '1',
      LANG: 'C.UTF-8',
      ...extraEnv,
    },
  });
  return {
    command: '',
    line: 0,
    stdout: result.stdout,
    stderr: result.stderr,
    status: result.status,
    exitChecked: false,
    error: result.error,
  };
}

function runScript(name: string): void {
  const steps = parseScript(readFileSync(path.join(SCRIPTS, name), 'utf8'), name);
  // root/project is the project folder (`$WORK`); root/home, root/tmp and Node's compile cache sit
  // beside it.
  const raw = mkdtempSync(path.join(os.tmpdir(), 'stratum-cli-'));
  temps.push(raw);
  const root = realpathSync(raw);
  const work = path.join(root, 'project');
  for (const dir of [work, path.join(root, 'home'), path.join(root, 'tmp')]) mkdirSync(dir);
  const paths = [path.join(raw, 'project'), work];
  const env: Record<string, string> = {};
  let last: RunResult | null = null;

  const where = (step: Step): string => `${name}:${step.line}`;
  const transcript = (r: RunResult): string =>
    `\n--- after \`${r.command}\` (${name}:${r.line}), exit ${String(r.status)} ---\n` +
    `stdout:\n${normalise(r.stdout, paths)}\nstderr:\n${normalise(r.stderr, paths)}\n`;
  const finishRun = (): void => {
    // A run whose exit code the script does not state must succeed.
    if (last !== null && !last.exitChecked)
      expect(last.status, `${name}:${last.line}: \`${last.command}\` exit code${transcript(last)}`).toBe(0);
  };
  const inWork = (p: string): string => {
    const full = path.resolve(work, p);
    if (full !== work && !full.startsWith(`${work}${path.sep}`))
      throw new Error(`${name}: ${p} is outside the temp project`);
    return full;
  };
  const read = (step: Step, stream: Stream): string => {
    if (stream.kind === 'file') {
      const file = inWork(stream.path);
      expect(existsSync(file), `${where(step)}: ${stream.path} should exist`).toBe(true);
      return readFileSync(file, 'utf8');
    }
    if (last === null) throw new Error(`${where(step)}: no command has run yet`);
    return last[stream.kind];
  };

  for (const step of steps) {
    switch (step.kind) {
      case 'file': {
        const file = inWork(step.path);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, step.body);
        break;
      }
      case 'copy':
        cpSync(path.join(REPO, step.from), inWork(step.to), { recursive: true });
        break;
      case 'rm':
        rmSync(inWork(step.path), { recursive: true, force: true });
        break;
      case 'env':
        env[step.name] = step.value.split('$WORK').join(work);
        break;
      case 'run': {
        finishRun();
        const args = step.args.map((a) => a.split('$WORK').join(work));
        const result = runStratum(root, work, args, env);
        if (result.error) throw result.error;
        last = { ...result, command: step.text, line: step.line };
        break;
      }
      case 'exit': {
        if (last === null) throw new Error(`${where(step)}: no command has run yet`);
        last.exitChecked = true;
        expect(last.status, `${where(step)}: exit code of \`${last.command}\`${transcript(last)}`).toBe(
          step.code,
        );
        break;
      }
      case 'exists':
        expect(
          existsSync(inWork(step.path)),
          `${where(step)}: ${step.path} ${step.present ? 'should' : 'should not'} exist`,
        ).toBe(step.present);
        break;
      case 'expect': {
        const actual = normalise(read(step, step.stream), paths);
        const label = `${where(step)}: ${step.stream.kind === 'file' ? `file ${step.stream.path}` : step.stream.kind} ${step.check}`;
        const context =
          step.stream.kind === 'file' ? `\n--- ${step.stream.path} ---\n${actual}\n` : transcript(last!);
        const lines = step.body.split('\n').filter((l) => l.trim() !== '');
        switch (step.check) {
          case 'contains':
            for (const l of lines)
              expect(actual, `${label} ${JSON.stringify(l)}${context}`).toContain(l.trimEnd());
            break;
          case 'not contains':
            for (const l of lines)
              expect(actual, `${label} ${JSON.stringify(l)}${context}`).not.toContain(l.trimEnd());
            break;
          case 'equals':
            expect(actual, `${label}${context}`).toBe(normalise(step.body, paths));
            break;
          case 'json': {
            let parsed: unknown;
            try {
              parsed = JSON.parse(actual);
            } catch (error) {
              throw new Error(`${label}: not JSON (${(error as Error).message})${context}`, { cause: error });
            }
            let expected: object;
            try {
              expected = JSON.parse(step.body) as object;
            } catch (error) {
              throw new Error(`${label}: the expected body is not JSON (${(error as Error).message})`, {
                cause: error,
              });
            }
            expect(parsed, `${label}${context}`).toMatchObject(expected);
            break;
          }
        }
        break;
      }
    }
  }
  finishRun();
}

describe('stratum CLI scripts', () => {
  it('runs on a Node that strips TypeScript types', () => {
    expect(
      Number(process.versions.node.split('.')[0]),
      `node ${process.version} at ${process.execPath}`,
    ).toBeGreaterThanOrEqual(23);
  });

  const scripts = readdirSync(SCRIPTS)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  it.each(scripts)('%s', (name) => {
    runScript(name);
  });
});
