/**
 * Starts the real `stratum serve` CLI (a child process, as a user would) on a project, with its
 * own data folder, and returns its URL and token.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CLI = path.join(REPO, 'electron', 'transports', 'cli', 'main.ts');
export const DEMO_SOURCE = path.join(REPO, 'resources', 'demo');

/** A running `stratum serve`. */
export interface AppServer {
  /** The URL with the token in its fragment. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  /** Everything the server printed on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Options: which project (default: the demo), extra CLI args and environment. */
export interface AppServerOptions {
  readonly project?: string;
  readonly env?: Record<string, string>;
}

/** Starts `stratum serve` and waits for its URL. */
export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-e2e-data-'));
  const args = [
    CLI,
    'serve',
    '--port',
    '0',
    ...(options.project === undefined ? ['--demo'] : ['--project', options.project]),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, STRATUM_DATA_DIR: dataDir, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stratum serve did not start:\n${stdout}\n${stderr}`)),
      30_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stratum serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    origin: url.slice(0, url.indexOf('/#')),
    token: url.slice(url.indexOf('#token=') + 7),
    dataDir,
    stderr: () => stderr,
    stop: () => stopChild(child).then(() => rmSync(dataDir, { recursive: true, force: true })),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** The revision the demo's database is at on a first launch: the merge, three revisions pending. */
export const DEMO_FIRST_LAUNCH = 'ddc82543fe3b';

/**
 * A temporary copy of the demo project to change in a test: without a database, or with one
 * upgraded to `upgradeTo` (by the real CLI).
 */
export function copyDemoProject(options: { upgradeTo?: string } = {}): { root: string; remove(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stratum-e2e-project-'));
  cpSync(DEMO_SOURCE, root, { recursive: true, filter: (f) => !f.endsWith('.db') });
  if (options.upgradeTo !== undefined) {
    execFileSync(process.execPath, [CLI, '--project', root, 'upgrade', options.upgradeTo], {
      stdio: 'ignore',
    });
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
