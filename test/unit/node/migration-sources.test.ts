import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsMigrationSource } from '../../../electron/node/fs-migration-source.ts';
import { MemoryMigrationSource } from '../../../electron/node/memory-migration-source.ts';
import { isEngineError } from '../../../electron/engine/engine-error.ts';
import type { MigrationSource } from '../../../electron/engine/ports.ts';

/** Builds a source over a project whose migrations folder is `folder`, seeded with `files`. */
type Factory = (folder: string, files: Record<string, string>) => MigrationSource;

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'stratum-source-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const fsFactory: Factory = (folder, files) => {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
    writeFileSync(path.join(tmp, file), text);
  }
  return new FsMigrationSource(tmp, folder);
};
const memoryFactory: Factory = (folder, files) => new MemoryMigrationSource(folder, files);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

// One contract, two implementations: the twin must behave exactly like the disk (Atlas MemDir).
describe.each([
  ['FsMigrationSource', fsFactory],
  ['MemoryMigrationSource', memoryFactory],
])('%s', (_name, make) => {
  it('lists the .sql files of the folder only, sorted, with project-relative / paths', async () => {
    const source = make('db/migrations', {
      'db/migrations/20260102T0000_bbbbbbbbbbbb_two.sql': 'two',
      'db/migrations/20260101T0000_aaaaaaaaaaaa_one.sql': 'one',
      'db/migrations/notes.md': 'not sql',
      'db/migrations/.#20260101T0000_aaaaaaaaaaaa_one.sql': 'editor lock',
      'db/migrations/archive/20250101T0000_cccccccccccc_old.sql': 'nested',
      'db/other.sql': 'outside',
    });
    expect(await source.list()).toEqual([
      { path: 'db/migrations/20260101T0000_aaaaaaaaaaaa_one.sql', text: 'one' },
      { path: 'db/migrations/20260102T0000_bbbbbbbbbbbb_two.sql', text: 'two' },
    ]);
  });

  it('lists nothing when the folder does not exist yet', async () => {
    expect(await make('migrations', {}).list()).toEqual([]);
  });

  it('sorts by code units, not locale', async () => {
    const source = make('m', { 'm/b.sql': '', 'm/B.sql': '', 'm/a.sql': '', 'm/_.sql': '' });
    expect((await source.list()).map((f) => f.path)).toEqual(['m/B.sql', 'm/_.sql', 'm/a.sql', 'm/b.sql']);
  });

  it('supports the project root as migrations folder', async () => {
    const source = make('.', { 'x.sql': 'x', 'sub/y.sql': 'y' });
    expect(await source.list()).toEqual([{ path: 'x.sql', text: 'x' }]);
  });

  it('creates files, creating the folder, and lists them', async () => {
    const source = make('migrations', {});
    await source.create('migrations/20260101T0000_aaaaaaaaaaaa_init.sql', '-- revision: aaaaaaaaaaaa\n');
    expect(await source.list()).toEqual([
      { path: 'migrations/20260101T0000_aaaaaaaaaaaa_init.sql', text: '-- revision: aaaaaaaaaaaa\n' },
    ]);
  });

  it('refuses to overwrite with FILE_EXISTS and keeps the original', async () => {
    const file = 'migrations/20260101T0000_aaaaaaaaaaaa_init.sql';
    const source = make('migrations', { [file]: 'original' });
    const error = await rejection(source.create(file, 'replacement'));
    expect(isEngineError(error, 'FILE_EXISTS')).toBe(true);
    expect(isEngineError(error, 'FILE_EXISTS') && error.details).toEqual({ file });
    expect((await source.list())[0]?.text).toBe('original');
  });

  it('normalises separators and refuses paths leaving the project', async () => {
    const source = make('migrations', {});
    await source.create('migrations\\a.sql', 'a');
    expect((await source.list()).map((f) => f.path)).toEqual(['migrations/a.sql']);
    for (const bad of ['../evil.sql', '/etc/evil.sql', 'migrations/../../evil.sql', 'C:/evil.sql', '']) {
      const error = await rejection(source.create(bad, 'x'));
      expect(isEngineError(error, 'USAGE')).toBe(true);
    }
  });
});

describe('FsMigrationSource on disk', () => {
  it('writes UTF-8 text at the expected place and reads back non-ASCII', async () => {
    const source = new FsMigrationSource(tmp, 'migrations');
    await source.create('migrations/20260101T0000_aaaaaaaaaaaa_café.sql', '-- message: crème brûlée\n');
    const onDisk = readFileSync(path.join(tmp, 'migrations', '20260101T0000_aaaaaaaaaaaa_café.sql'), 'utf8');
    expect(onDisk).toBe('-- message: crème brûlée\n');
    expect((await source.list())[0]?.text).toBe(onDisk);
  });

  it('resolves a relative root and exposes the normalised folder', () => {
    const source = new FsMigrationSource(tmp, './db//migrations/');
    expect(source.root).toBe(path.resolve(tmp));
    expect(source.folder).toBe('db/migrations');
  });

  it('skips sub-folders whose name ends in .sql', async () => {
    mkdirSync(path.join(tmp, 'migrations', 'dir.sql'), { recursive: true });
    expect(await new FsMigrationSource(tmp, 'migrations').list()).toEqual([]);
  });
});

describe('MemoryMigrationSource helpers', () => {
  it('reads, rewrites, removes and snapshots files', async () => {
    const source = new MemoryMigrationSource();
    await source.create('migrations/a.sql', 'v1');
    source.write('migrations/a.sql', 'v2');
    expect(source.read('migrations/a.sql')).toBe('v2');
    source.write('README.md', 'docs');
    expect(source.snapshot()).toEqual({ 'README.md': 'docs', 'migrations/a.sql': 'v2' });
    expect(source.remove('migrations/a.sql')).toBe(true);
    expect(source.remove('migrations/a.sql')).toBe(false);
    expect(await source.list()).toEqual([]);
  });
});
