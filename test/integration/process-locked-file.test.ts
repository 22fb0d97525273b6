/**
 * The database file itself locked by another program (not Stratum's run lock), and files Stratum
 * may not read or write, with real processes. Permission bits do not apply to root, so as root the
 * permission checks run in a child process as nobody (uid/gid 65534).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCheck, type OpenCheckResult } from './fixtures/process/open-check.ts';
import {
  countRows,
  killChildren,
  readState,
  removeTempDirs,
  runCli,
  startNode,
  tempDir,
  waitFor,
  writeProject,
  type RunningCli,
} from './fixtures/process/harness.ts';

const HOLD_FILE_LOCK = fileURLToPath(new URL('./fixtures/process/hold-file-lock.ts', import.meta.url));
const OPEN_CHECK = fileURLToPath(new URL('./fixtures/process/open-check.ts', import.meta.url));

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

const R1 = 'd1d1d1d1d1d1';
const R2 = 'e2e2e2e2e2e2';
const R3 = 'f3f3f3f3f3f3';
const REVISIONS = [
  { id: R1, parents: [], up: 'CREATE TABLE one (x integer);' },
  { id: R2, parents: [R1], up: 'CREATE TABLE two (x integer);\nINSERT INTO two VALUES (2);' },
];
const UPGRADE = ['upgrade', 'head', '--env', 'local', '--lock-timeout', '2'];

async function holdFileLock(
  database: string,
  mode: 'EXCLUSIVE' | 'IMMEDIATE',
  journal = 'delete',
): Promise<RunningCli> {
  const holder = startNode(join(database, '..'), [HOLD_FILE_LOCK, database, mode, journal]);
  await waitFor(
    'the other program to lock the file',
    () => holder.stdout().includes('locked') || holder.child.exitCode !== null,
  );
  expect(holder.stdout(), holder.stderr()).toContain('locked');
  return holder;
}

describe('another program holds a lock on the database file', () => {
  it.each([
    ['EXCLUSIVE', 'a fresh file', 'delete'],
    ['IMMEDIATE', 'a fresh file', 'delete'],
    ['EXCLUSIVE', 'a fresh WAL file', 'wal'],
  ] as const)(
    'BEGIN %s on %s: exit 7, "database is locked", bounded, nothing lost',
    async (mode, _what, journal) => {
      const project = writeProject('locked-file', REVISIONS);
      const holder = await holdFileLock(project.database, mode, journal);

      const result = await runCli(project.root, UPGRADE);
      expect(result.code, result.stderr).toBe(7);
      expect(result.ms).toBeLessThan(30_000);
      expect(result.stderr).toMatch(/database is locked/);
      expect(result.stderr).toMatch(/another program/i);
      expect(result.stderr).toContain(project.database);
      expect(result.stderr).not.toContain('INTERNAL');

      // Nothing lost: the other program's work commits; then Stratum runs normally.
      holder.child.kill('SIGKILL');
      await holder.done;
      const state = readState(project.database);
      expect(state.versions).toEqual([]);
      expect(state.journal).toEqual([]);
      const after = await runCli(project.root, UPGRADE);
      expect(after.code, after.stderr).toBe(0);
      expect(readState(project.database).versions).toEqual([R2]);
    },
  );

  it('BEGIN IMMEDIATE on a migrated database: the next step cannot start, exit 7, applied revisions kept', async () => {
    const project = writeProject('locked-migrated', [REVISIONS[0]!]);
    const first = await runCli(project.root, UPGRADE);
    expect(first.code, first.stderr).toBe(0);
    // A new revision arrives while another program writes to the file.
    const grown = writeProject('locked-migrated-2', [
      ...REVISIONS,
      { id: R3, parents: [R2], up: 'CREATE TABLE three (x integer);' },
    ]);
    rmSync(join(grown.root, 'app.db'), { force: true });
    const holder = await holdFileLock(project.database, 'IMMEDIATE');

    const result = await runCli(project.root, [
      ...UPGRADE,
      '--project',
      grown.root,
      '--url',
      `sqlite:${project.database}`,
    ]);
    expect(result.code, result.stderr).toBe(7);
    expect(result.ms).toBeLessThan(30_000);
    // The failed step is reported in the run summary and its progress line.
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/database is locked/);
    expect(output).toMatch(/another program/i);
    expect(result.stderr).toContain(`✗ [1/2] ↑ ${R2}`);

    holder.child.kill('SIGKILL');
    await holder.done;
    const state = readState(project.database);
    expect(state.versions).toEqual([R1]);
    expect(Object.fromEntries(countRows(state.journal, 'succeeded'))).toEqual({ [R1]: 1 });
    expect(state.tables).toEqual(['one', 'other_program']);
  });
});

const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * Runs {@link openCheck} as a user the permission bits apply to: as root, in a child process as
 * nobody (the temp dir is made world-readable, and the repository is); otherwise in this process.
 */
async function checkAsUser(kind: 'unreadable' | 'readonly', dir: string): Promise<OpenCheckResult> {
  if (!IS_ROOT) return openCheck(kind, dir);
  chmodSync(dir, 0o755);
  const child = spawnSync(process.execPath, [OPEN_CHECK, kind, dir], {
    cwd: dir,
    uid: NOBODY,
    gid: NOBODY,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(child.status, child.stderr).toBe(0);
  const result = JSON.parse(child.stdout) as OpenCheckResult;
  expect(result.uid).toBe(NOBODY);
  return result;
}

/** Creates DIR/NAME as a SQLite database with a table t. */
function createDatabase(dir: string, name: string): string {
  const file = join(dir, name);
  const db = new Database(file);
  db.exec('CREATE TABLE t (x integer)');
  db.close();
  return file;
}

describe('files Stratum may not read or write (checked as a non-root user)', () => {
  it('reports an unreadable file as DATABASE_UNAVAILABLE', async () => {
    const dir = tempDir('unreadable');
    chmodSync(createDatabase(dir, 'locked.db'), 0o000);
    const result = await checkAsUser('unreadable', dir);
    expect(result.opened).toBe(false);
    expect(result.errorCode).toBe('DATABASE_UNAVAILABLE');
    expect(result.errorMessage).toContain(join(dir, 'locked.db'));
    expect(result.errorMessage).toMatch(/SQLITE_CANTOPEN|unable to open/);
  });

  it('reads a read-only file, and refuses writes with SQLITE_READONLY', async () => {
    const dir = tempDir('readonly');
    chmodSync(createDatabase(dir, 'ro.db'), 0o444);
    const result = await checkAsUser('readonly', dir);
    expect(result.opened).toBe(true);
    expect(result.tableExists).toBe(true);
    expect(result.writeNativeCode).toMatch(/^SQLITE_READONLY/);
  });
});
