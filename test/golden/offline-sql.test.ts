/**
 * Golden SQL per dialect (STYLE.md §F.2): the `stratum sql upgrade base:heads` script of the fixture
 * project, compared byte for byte with `test/golden/<dialect>/upgrade-base-heads.sql`.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the files; review the diff by eye.
 * The SQLite script is then run for real with the `sqlite3` shell.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../shared/model/dialect.ts';
import { goldenPlan, goldenScript } from './golden-project.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const goldenFile = (dialect: string): string => path.join(HERE, dialect, 'upgrade-base-heads.sql');

describe('offline SQL golden files', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: upgrade base:heads`, () => {
      const script = goldenScript(dialect);
      const file = goldenFile(dialect);
      if (UPDATE || !existsSync(file)) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, script);
      }
      expect(script).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('is deterministic', () => {
    expect(goldenScript('postgres')).toBe(goldenScript('postgres'));
  });
});

const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

describe.skipIf(!hasSqlite3)('the SQLite script run by the sqlite3 shell', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stratum-golden-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sqlite = (db: string, sql: string): string => execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });
  const rows = (db: string, sql: string): Record<string, unknown>[] => {
    const out = sqlite(db, sql).trim();
    return out === '' ? [] : (JSON.parse(out) as Record<string, unknown>[]);
  };

  it('leaves the database where `stratum upgrade` would: schema, version rows, succeeded journal rows', () => {
    const db = path.join(dir, 'golden.db');
    const file = path.join(dir, 'script.sql');
    writeFileSync(file, goldenScript('sqlite'));
    // Exactly what a DBA runs: the shell reads the file from stdin.
    const result = spawnSync('sh', ['-c', `sqlite3 "${db}" < "${file}"`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const tables = rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(['audit_log', 'stratum_journal', 'stratum_version', 'users']);
    expect(rows(db, 'SELECT revision FROM stratum_version')).toEqual([{ revision: '5e6f7a8b9c0d' }]);
    const indexes = rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
    expect(indexes.map((i) => i.name)).toEqual(['audit_log_user', 'users_email']);
    // The trigger ran for the merge revision's insert.
    expect(rows(db, 'SELECT user_id, action FROM audit_log')).toEqual([{ user_id: 1, action: 'insert' }]);
    expect(rows(db, 'SELECT name, email FROM users')).toEqual([{ name: "O'Brien", email: 'admin@example.com' }]);

    const journal = rows(
      db,
      'SELECT revision, direction, status, statements_done, statements_total, tool_version, os_user, host, ' +
        'finished_at IS NOT NULL AS finished, duration_ms >= 0 AS timed FROM stratum_journal ORDER BY id',
    );
    const totals = [1, 2, 2, 1, 2];
    expect(journal).toEqual(
      goldenPlan().steps.map((step, i) => ({
        revision: step.revision!.id,
        direction: 'up',
        status: 'succeeded',
        statements_done: totals[i],
        statements_total: totals[i],
        tool_version: 'stratum 0.1.0 (offline)',
        os_user: null,
        host: null,
        finished: 1,
        timed: 1,
      })),
    );
  });

  it('stops at the first error (.bail on) and rolls the failing step back', () => {
    const db = path.join(dir, 'bail.db');
    const file = path.join(dir, 'bail.sql');
    writeFileSync(file, goldenScript('sqlite').replace("UPDATE users SET email = 'n/a; unknown'", "UPDATE userz SET email = 'n/a; unknown'"));
    const result = spawnSync('sh', ['-c', `sqlite3 "${db}" < "${file}"`], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no such table: userz');
    expect(rows(db, 'SELECT revision FROM stratum_version')).toEqual([{ revision: '2b3c4d5e6f7a' }]);
    const columns = rows(db, 'PRAGMA table_info(users)').map((c) => c.name);
    expect(columns).toEqual(['id', 'name']);
  });
});
