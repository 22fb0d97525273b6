// The revision cache through the real CLI (electron/node/revision-cache.ts): the same output with
// and without it, a write only where it belongs, and nothing at all when the project folder is
// read-only or STRATUM_NO_CACHE=1. Works on copies of resources/demo in temp dirs.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RACY_MARGIN_MS, REVISION_CACHE_PATH } from '../../electron/node/revision-cache.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(REPO, 'electron/transports/cli/main.ts');
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

let work: string;
let project: string;
let readOnly: string;

/** Runs the CLI; `uid` runs it as that user (only as root). */
function stratum(cwd: string, args: readonly string[], env: Record<string, string> = {}, uid?: number) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // Everything the CLI or Node may write stays in this test's temp dir.
      HOME: work,
      TMPDIR: work,
      NODE_COMPILE_CACHE: path.join(work, `compile-cache-${uid ?? 'self'}`),
      NO_COLOR: '1',
      LANG: 'C.UTF-8',
      ...env,
    },
    ...(uid === undefined ? {} : { uid, gid: uid }),
    timeout: 60_000,
  });
  expect(result.error).toBeUndefined();
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const NO_CACHE = { STRATUM_NO_CACHE: '1' };

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stratum-cache-cli-'));
  chmodSync(work, 0o755);
  project = path.join(work, 'demo');
  readOnly = path.join(work, 'read-only');
  cpSync(path.join(REPO, 'resources/demo'), project, { recursive: true });
  cpSync(path.join(REPO, 'resources/demo'), readOnly, { recursive: true });
  expect(stratum(project, ['upgrade', 'heads'], NO_CACHE).status).toBe(0);
  // Entries are stored only for files whose times are older than the racy margin: wait it out once.
  await sleep(RACY_MARGIN_MS + 200);
}, 30_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the revision cache, through the CLI', () => {
  it('changes no output of status, heads or history, and serves the second run from the cache', () => {
    for (const args of [['status', '--json'], ['heads'], ['history', '--json']]) {
      const uncached = stratum(project, args, NO_CACHE);
      expect(uncached.status, uncached.stderr).toBe(0);
      const first = stratum(project, args);
      const second = stratum(project, args);
      expect(first).toEqual(uncached);
      expect(second).toEqual(uncached);
    }
    const data = JSON.parse(readFileSync(path.join(project, ...REVISION_CACHE_PATH.split('/')), 'utf8')) as {
      entries: [string, string, unknown, Record<string, string>][];
    };
    const files = readdirSync(path.join(project, 'migrations')).filter((f) => f.endsWith('.sql'));
    expect(data.entries.map((e) => e[0]).sort()).toEqual(files.map((f) => `migrations/${f}`).sort());
    // status stored the SQLite checksum of every applied revision.
    expect(data.entries.every((e) => /^[0-9a-f]{64}$/.test(e[3].sqlite ?? ''))).toBe(true);
    expect(readFileSync(path.join(project, '.stratum/.gitignore'), 'utf8')).toBe('*\n');
  });

  it('reports an edit of an applied revision as modified, as without the cache', () => {
    stratum(project, ['status', '--json']); // the cache holds every checksum
    const file = path.join(project, 'migrations', readdirSync(path.join(project, 'migrations')).sort()[0]!);
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('\n-- migrate:down', '\nSELECT 1;\n-- migrate:down');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    try {
      const cached = stratum(project, ['status', '--json']);
      const uncached = stratum(project, ['status', '--json'], NO_CACHE);
      expect(cached).toEqual(uncached);
      const report = JSON.parse(cached.stdout) as { modified?: unknown[] };
      expect(report.modified).toHaveLength(1);
    } finally {
      writeFileSync(file, text);
    }
  });

  it('writes nothing with STRATUM_NO_CACHE=1', () => {
    const fresh = path.join(work, 'no-cache');
    cpSync(path.join(REPO, 'resources/demo'), fresh, { recursive: true });
    expect(stratum(fresh, ['history'], NO_CACHE).status).toBe(0);
    expect(existsSync(path.join(fresh, '.stratum'))).toBe(false);
  });

  it('works in a read-only project folder, without writing a cache', () => {
    // As root the permission bits do not apply: run as nobody, as process-locked-file.test.ts does.
    chmodSync(readOnly, 0o555);
    try {
      const uid = IS_ROOT ? NOBODY : undefined;
      for (const args of [['heads'], ['history', '--json']]) {
        const uncached = stratum(readOnly, args, NO_CACHE, uid);
        expect(uncached.status, uncached.stderr).toBe(0);
        expect(stratum(readOnly, args, {}, uid)).toEqual(uncached);
      }
      expect(existsSync(path.join(readOnly, '.stratum'))).toBe(false);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });
});
