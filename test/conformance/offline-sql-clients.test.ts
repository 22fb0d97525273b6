/**
 * Conformance of the offline path (STYLE.md §F.3, §F.4): `stratum sql upgrade base:heads` of the
 * golden fixture project, run by the database's own client (`psql`, `mariadb`, `sqlite3`) into one
 * database, and `stratum upgrade heads` into another. Afterwards `current`, `status`, the schema,
 * the data and the journal agree: the script does exactly what the online run does.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceTarget, dialectsFor, type CliResult } from './support/conformance-target.ts';

const dialects = dialectsFor('offline-sql-clients');

const GOLDEN_PROJECT = new URL('../fixtures/golden-project/', import.meta.url).pathname;

interface CurrentJson {
  readonly ok: boolean;
  readonly current: readonly { readonly revision: string }[];
}
interface StatusJson {
  readonly ok: boolean;
  readonly current: readonly string[];
  readonly applied: readonly string[];
  readonly pending: readonly { readonly revision: string }[];
  readonly modified: readonly unknown[];
  readonly missing: readonly unknown[];
  readonly dirty: readonly unknown[];
}

/** Runs `script` with the dialect's own client, the way a DBA would; returns the client's result. */
function runClient(target: ConformanceTarget, script: string): CliResult {
  const started = Date.now();
  const run = (command: string, args: string[], input?: string): CliResult => {
    const result = spawnSync(command, args, { encoding: 'utf8', input, timeout: 120_000 });
    if (result.error !== undefined) throw result.error;
    return {
      code: result.status,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
      ms: Date.now() - started,
    };
  };
  if (target.dialect === 'postgres')
    return run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', script]);
  if (target.dialect === 'mysql') {
    const url = new URL(target.url);
    return run(
      'mariadb',
      [
        '-h',
        url.hostname,
        '-P',
        url.port || '3306',
        '-u',
        decodeURIComponent(url.username),
        target.databaseName,
      ],
      readFileSync(script, 'utf8'),
    );
  }
  return run('sqlite3', ['-bail', target.databaseName], readFileSync(script, 'utf8'));
}

/** The golden fixture project in `target`'s folder, for `dialect`; the database comes from --url. */
function copyGoldenProject(target: ConformanceTarget, dialect: string): void {
  cpSync(path.join(GOLDEN_PROJECT, 'migrations'), path.join(target.root, 'migrations'), { recursive: true });
  const config = JSON.parse(readFileSync(path.join(GOLDEN_PROJECT, 'stratum.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete config.environments;
  writeFileSync(
    path.join(target.root, 'stratum.json'),
    `${JSON.stringify({ ...config, dialect }, null, 2)}\n`,
  );
}

describe.each(dialects)('%s: the offline script run by the real client', (dialect) => {
  let scripted: ConformanceTarget;
  let online: ConformanceTarget;

  beforeAll(async () => {
    scripted = await ConformanceTarget.create(dialect, 'offline_script');
    online = await ConformanceTarget.create(dialect, 'offline_online');
    for (const target of [scripted, online]) copyGoldenProject(target, dialect);
  });
  afterAll(async () => {
    await Promise.all([scripted?.dispose(), online?.dispose()]);
  });

  it("per-revision files from the database's current heads, run in name order, finish the job", async () => {
    const partial = await ConformanceTarget.create(dialect, 'offline_files');
    try {
      copyGoldenProject(partial, dialect);
      expect((await partial.cli('upgrade', '2b3c4d5e6f7a')).code).toBe(0);
      const folder = path.join(partial.root, 'deploy');
      const rendered = await partial.cli(
        'sql',
        'upgrade',
        'heads',
        '--from-database',
        '--per-revision',
        '-o',
        folder,
      );
      expect(rendered.code, rendered.stderr).toBe(0);
      const files = readdirSync(folder).sort();
      expect(files).toEqual(['1_up_3c4d5e6f7a8b.sql', '2_up_4d5e6f7a8b9c.sql', '3_up_5e6f7a8b9c0d.sql']);
      for (const file of files) {
        const client = runClient(partial, path.join(folder, file));
        expect(client.code, `${file}: ${client.stderr}`).toBe(0);
      }
      expect((await partial.cli('check')).code).toBe(0);
      const journal = await partial.journal();
      expect(journal.map((row) => [row.revision, row.status])).toEqual(
        ['1a2b3c4d5e6f', '2b3c4d5e6f7a', '3c4d5e6f7a8b', '4d5e6f7a8b9c', '5e6f7a8b9c0d'].map((r) => [
          r,
          'succeeded',
        ]),
      );
    } finally {
      await partial.dispose();
    }
  });

  it('a script without bookkeeping changes the schema only; stamping records it', async () => {
    const plain = await ConformanceTarget.create(dialect, 'offline_plain');
    try {
      copyGoldenProject(plain, dialect);
      const script = path.join(plain.root, 'plain.sql');
      expect((await plain.cli('sql', 'upgrade', 'base:heads', '--no-bookkeeping', '-o', script)).code).toBe(
        0,
      );
      const client = runClient(plain, script);
      expect(client.code, client.stderr).toBe(0);
      expect((await plain.schema(true)).map((t) => t.table)).toEqual(['audit_log', 'users']);
      expect((await plain.cli('check')).code).toBe(3);
      expect((await plain.cli('stamp', 'heads')).code).toBe(0);
      expect((await plain.cli('check')).code).toBe(0);
    } finally {
      await plain.dispose();
    }
  });

  it('`stratum sql upgrade base:heads` run by the client leaves the database where `stratum upgrade heads` does', async () => {
    const script = path.join(scripted.root, 'deploy.sql');
    const rendered = await scripted.cli('sql', 'upgrade', 'base:heads', '-o', script);
    expect(rendered.code, rendered.stderr).toBe(0);

    const client = runClient(scripted, script);
    expect(client.stderr).toBe('');
    expect(client.code, client.stdout).toBe(0);

    const upgrade = await online.cli('upgrade', 'heads');
    expect(upgrade.code, `${upgrade.stdout}\n${upgrade.stderr}`).toBe(0);

    // `current` and `status` agree.
    const [currentScripted, currentOnline] = await Promise.all(
      [scripted, online].map((t) => t.json<CurrentJson>('current')),
    );
    expect(currentScripted!.code, currentScripted!.stderr).toBe(0);
    expect(currentOnline!.code, currentOnline!.stderr).toBe(0);
    expect(currentScripted!.body.current).toEqual(currentOnline!.body.current);
    expect(currentScripted!.body.current.map((c) => c.revision)).toEqual(['5e6f7a8b9c0d']);

    const [statusScripted, statusOnline] = await Promise.all(
      [scripted, online].map((t) => t.json<StatusJson>('status')),
    );
    const summary = (s: StatusJson) => ({
      current: s.current,
      applied: s.applied,
      pending: s.pending,
      modified: s.modified,
      missing: s.missing,
      dirty: s.dirty,
    });
    expect(summary(statusScripted!.body)).toEqual(summary(statusOnline!.body));
    expect(statusScripted!.body.pending).toEqual([]);
    expect(statusScripted!.body.applied).toHaveLength(5);
    expect((await scripted.cli('check')).code).toBe(0);

    // The same tables and columns, bookkeeping included.
    const schema = await scripted.schema(true);
    expect(schema).toEqual(await online.schema(true));
    expect(schema.map((t) => t.table)).toEqual(['audit_log', 'stratum_journal', 'stratum_version', 'users']);

    for (const table of ['users', 'audit_log'])
      expect(await scripted.indexes(table)).toEqual(await online.indexes(table));
    expect(await scripted.indexes('users')).toContain('users_email');

    // The same data: the trigger (a PL/pgSQL function, a DELIMITER block, BEGIN…END) ran in both.
    for (const sql of [
      'SELECT id, name, email FROM users ORDER BY id',
      'SELECT user_id, action FROM audit_log',
    ]) {
      expect(await scripted.query(sql)).toEqual(await online.query(sql));
    }
    expect(await scripted.query('SELECT user_id, action FROM audit_log')).toEqual([
      { user_id: 1, action: 'insert' },
    ]);

    // The same journal: one succeeded `up` row per revision with the same counts and checksums.
    const journal = await scripted.journal();
    expect(journal).toEqual(await online.journal());
    expect(journal.map((row) => [row.revision, row.direction, row.status])).toEqual(
      ['1a2b3c4d5e6f', '2b3c4d5e6f7a', '3c4d5e6f7a8b', '4d5e6f7a8b9c', '5e6f7a8b9c0d'].map((r) => [
        r,
        'up',
        'succeeded',
      ]),
    );
  });
});

// Regression: without `SET NAMES utf8mb4` the mariadb client (utf8mb3 under a C locale) rejected
// the first journal row of a revision holding emoji. Every client must carry 4-byte characters.
describe.each(dialects)('%s: 4-byte characters through the real client', (dialect) => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'offline_emoji');
  });
  afterAll(async () => {
    await target?.dispose();
  });

  it('keeps emoji in the data and in the journal', async () => {
    const table =
      dialect === 'mysql'
        ? 'CREATE TABLE notes (v varchar(20)) DEFAULT CHARSET=utf8mb4'
        : 'CREATE TABLE notes (v varchar(20))';
    target.writeRevisions([
      {
        id: 'e0000000e001',
        parents: [],
        message: 'notes with emoji 🙂',
        up: `${table};\nINSERT INTO notes VALUES ('🙂 ok');`,
        down: 'DROP TABLE notes;',
      },
    ]);
    const script = path.join(target.root, 'deploy.sql');
    expect((await target.cli('sql', 'upgrade', 'base:heads', '-o', script)).code).toBe(0);
    const client = runClient(target, script);
    expect(client.code, client.stderr).toBe(0);
    expect(await target.query('SELECT v FROM notes')).toEqual([{ v: '🙂 ok' }]);
    const [row] = await target.journal();
    expect(row).toMatchObject({ revision: 'e0000000e001', status: 'succeeded' });
    expect((await target.cli('check')).code).toBe(0);
  });
});
