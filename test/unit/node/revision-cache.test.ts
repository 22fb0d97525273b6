// The revision cache (electron/node/revision-cache.ts): a cached run gives exactly what a fresh
// parse gives, and every way a file can change, or the cache can be bad, falls back to parsing.
// Every test works on its own copy of resources/demo in a temp dir.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../../electron/commands/project-state.ts';
import { revisionChecksum } from '../../../electron/engine/revision/revision-checksum.ts';
import { FsMigrationSource } from '../../../electron/node/fs-migration-source.ts';
import {
  CACHED_MODULES,
  REVISION_CACHE_PATH,
  RevisionCache,
  type ParsedFile,
  type RevisionCacheOptions,
} from '../../../electron/node/revision-cache.ts';
import { nodeHasher } from '../../../electron/node/system.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEMO = path.join(REPO, 'resources/demo');
/** Stores entries for files written a moment ago, instead of waiting out the 2 s racy margin. */
const STORE_ALL: RevisionCacheOptions = { env: {}, racyMarginMs: -3_600_000 };
const NO_CACHE: RevisionCacheOptions = { env: { STRATUM_NO_CACHE: '1' } };

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function demoCopy(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stratum-revision-cache-'));
  temps.push(root);
  cpSync(DEMO, root, { recursive: true });
  return root;
}

/** What openProject does with the cache: list, read every file, save. */
async function loadAll(root: string, options: RevisionCacheOptions) {
  const cache = RevisionCache.open(root, options);
  const files = await new FsMigrationSource(root, 'migrations').locate();
  const parsed = files.map((file) => cache.read(file));
  const saved = cache.save();
  return { cache, files, parsed, saved, stats: cache.stats };
}

function cacheFile(root: string): string {
  return path.join(root, ...REVISION_CACHE_PATH.split('/'));
}

function cachedPaths(root: string): string[] {
  const data = JSON.parse(readFileSync(cacheFile(root), 'utf8')) as { entries: [string, ...unknown[]][] };
  return data.entries.map((entry) => entry[0]);
}

function firstMigration(root: string, files: readonly { path: string }[]): string {
  return path.join(root, ...files[0]!.path.split('/'));
}

describe('RevisionCache', () => {
  it('gives exactly the uncached parse results on the demo project, and reuses every file the second time', async () => {
    const root = demoCopy();
    const fresh = await loadAll(root, NO_CACHE);
    const first = await loadAll(root, STORE_ALL);
    const second = await loadAll(root, STORE_ALL);
    expect(first.stats).toEqual({ reused: 0, parsed: fresh.files.length, checksumsReused: 0 });
    expect(first.saved).toBe(true);
    expect(second.stats).toEqual({ reused: fresh.files.length, parsed: 0, checksumsReused: 0 });
    expect(second.saved).toBe(false); // nothing changed: no rewrite
    expect(second.parsed).toEqual(fresh.parsed);
    // Same keys in the same order too, so any JSON output is byte-identical.
    expect(JSON.stringify(second.parsed)).toBe(JSON.stringify(fresh.parsed));
  });

  it('gives the same project state through openProject, cached or not, and writes .stratum/.gitignore', async () => {
    const root = demoCopy();
    const options = { cwd: root, project: root, env: {} };
    const uncached = await openProject({ ...options, env: { STRATUM_NO_CACHE: '1' } });
    expect(existsSync(path.join(root, '.stratum'))).toBe(false);
    await loadAll(root, STORE_ALL); // stores the entries despite their fresh timestamps
    const cached = await openProject(options);
    expect(cached.revisionCache.stats.parsed).toBe(0);
    expect(cached.revisions).toEqual(uncached.revisions);
    expect(cached.diagnostics).toEqual(uncached.diagnostics);
    expect(cached.problems).toEqual(uncached.problems);
    expect(cached.graph.heads).toEqual(uncached.graph.heads);
    expect(readFileSync(path.join(root, '.stratum/.gitignore'), 'utf8')).toBe('*\n');
  });

  it('caches a file that does not parse, with the same problem as a fresh parse', async () => {
    const root = demoCopy();
    writeFileSync(
      path.join(root, 'migrations/20990101T0000_broken.sql'),
      '-- parents:\n\n-- migrate:up\nSELECT 1;\n',
    );
    const fresh = await loadAll(root, NO_CACHE);
    await loadAll(root, STORE_ALL);
    const second = await loadAll(root, STORE_ALL);
    expect(second.stats.parsed).toBe(0);
    const invalid = second.parsed.filter(
      (p): p is Extract<ParsedFile, { kind: 'invalid' }> => p.kind === 'invalid',
    );
    expect(invalid).toHaveLength(1);
    expect(second.parsed).toEqual(fresh.parsed);
    const options = { cwd: root, project: root, env: {} };
    const cached = await openProject(options);
    const uncached = await openProject({ ...options, env: { STRATUM_NO_CACHE: '1' } });
    expect(cached.problems).toEqual(uncached.problems);
    expect(cached.problems.some((p) => p.kind === 'invalidFile')).toBe(true);
  });

  it('re-parses a file whose size changed', async () => {
    const root = demoCopy();
    const { files } = await loadAll(root, STORE_ALL);
    const file = firstMigration(root, files);
    writeFileSync(file, readFileSync(file, 'utf8').replace('-- migrate:down', 'SELECT 42;\n-- migrate:down'));
    const next = await loadAll(root, STORE_ALL);
    expect(next.stats).toMatchObject({ reused: files.length - 1, parsed: 1 });
    expect(next.parsed).toEqual((await loadAll(root, NO_CACHE)).parsed);
  });

  it('re-parses a same-size edit whose mtime was put back (the ctime still moves)', async () => {
    const root = demoCopy();
    const { files } = await loadAll(root, NO_CACHE);
    const file = firstMigration(root, files);
    const fixed = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, fixed, fixed); // a whole second: exactly representable, so restorable
    await loadAll(root, STORE_ALL);
    const before = statSync(file, { bigint: true });
    const text = readFileSync(file, 'utf8');
    const edited = text.replace('create users', 'create usars');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    utimesSync(file, fixed, fixed);
    const after = statSync(file, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const next = await loadAll(root, STORE_ALL);
    expect(next.stats.parsed).toBe(1);
    const revision = next.parsed[0]!;
    expect(revision.kind === 'revision' && revision.revision.message).toBe('create usars');
  });

  it('does not store a file changed within the racy margin, even with its mtime set in the past', async () => {
    const root = demoCopy();
    const { files } = await loadAll(root, STORE_ALL);
    const file = firstMigration(root, files);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    // The default 2 s margin: every demo file was copied a moment ago, so none may be stored now.
    const racy = await loadAll(root, { env: {} });
    expect(racy.stats.parsed).toBe(1);
    expect(cachedPaths(root)).not.toContain(files[0]!.path);
    expect(cachedPaths(root)).toEqual([]);
    expect((await loadAll(root, STORE_ALL)).stats.parsed).toBe(files.length);
  });

  it('sees added and removed files', async () => {
    const root = demoCopy();
    const { files } = await loadAll(root, STORE_ALL);
    rmSync(firstMigration(root, files));
    const added = 'migrations/20990101T0000_aaaaaaaaaaaa_added.sql';
    writeFileSync(path.join(root, added), '-- revision: aaaaaaaaaaaa\n\n-- migrate:up\nSELECT 1;\n');
    const next = await loadAll(root, STORE_ALL);
    expect(next.files.map((f) => f.path)).toContain(added);
    expect(next.files.map((f) => f.path)).not.toContain(files[0]!.path);
    expect(next.stats).toMatchObject({ reused: files.length - 1, parsed: 1 });
    expect(next.saved).toBe(true);
    expect(cachedPaths(root)).not.toContain(files[0]!.path);
  });

  it('stores checksums and reuses them on the next run', async () => {
    const root = demoCopy();
    const first = await loadAll(root, STORE_ALL);
    const revisions = first.parsed.flatMap((p) => (p.kind === 'revision' ? [p.revision] : []));
    const expected = revisions.map((r) => revisionChecksum(r, 'sqlite', nodeHasher));
    expect(revisions.map((r) => first.cache.checksum(r, 'sqlite'))).toEqual(expected);
    expect(first.cache.save()).toBe(true);
    const second = await loadAll(root, STORE_ALL);
    const again = second.parsed.flatMap((p) => (p.kind === 'revision' ? [p.revision] : []));
    expect(again.map((r) => second.cache.checksum(r, 'sqlite'))).toEqual(expected);
    expect(second.cache.stats.checksumsReused).toBe(revisions.length);
    // Another dialect is computed, not confused with the stored one.
    expect(second.cache.checksum(again[0]!, 'postgres')).toBe(
      revisionChecksum(again[0]!, 'postgres', nodeHasher),
    );
  });

  it.each([
    ['garbage', 'not json at all'],
    ['truncated JSON', (text: string) => text.slice(0, text.length / 2)],
    ['another format', (text: string) => text.replace('"format":1', '"format":999')],
    ['another parser', (text: string) => text.replace(/"code":"[0-9a-f]+"/, '"code":"0000"')],
    ['a malformed entry', (text: string) => text.replace('"r",', '"r",1,')],
    ['a wrong line type', (text: string) => text.replace(/,(\d+)\],\{\}\]/, ',"$1"],{}]')],
  ])('ignores a cache file with %s, then rewrites it', async (_name, corrupt) => {
    const root = demoCopy();
    const fresh = await loadAll(root, NO_CACHE);
    await loadAll(root, STORE_ALL);
    const text = readFileSync(cacheFile(root), 'utf8');
    const bad = typeof corrupt === 'string' ? corrupt : corrupt(text);
    expect(bad).not.toBe(text);
    writeFileSync(cacheFile(root), bad);
    const next = await loadAll(root, STORE_ALL);
    expect(next.stats.reused).toBe(0);
    expect(next.parsed).toEqual(fresh.parsed);
    expect(next.saved).toBe(true);
    expect((await loadAll(root, STORE_ALL)).stats.parsed).toBe(0);
  });

  it('ignores a cache written by another tool version', async () => {
    const root = demoCopy();
    await loadAll(root, { ...STORE_ALL, toolVersion: '9.9.9' });
    expect((await loadAll(root, { ...STORE_ALL, toolVersion: '9.9.9' })).stats.parsed).toBe(0);
    expect((await loadAll(root, STORE_ALL)).stats.reused).toBe(0);
  });

  it('works, silently without a cache, when the cache cannot be written', async () => {
    const root = demoCopy();
    mkdirSync(path.join(root, '.stratum'));
    writeFileSync(path.join(root, '.stratum/cache'), 'a file where the cache folder should be');
    const fresh = await loadAll(root, NO_CACHE);
    const blocked = await loadAll(root, STORE_ALL);
    expect(blocked.saved).toBe(false);
    expect(blocked.parsed).toEqual(fresh.parsed);
    const state = await openProject({ cwd: root, project: root, env: {} });
    expect(state.revisions).toHaveLength(fresh.files.length);
  });

  it('writes nothing with STRATUM_NO_CACHE=1', async () => {
    const root = demoCopy();
    const off = await loadAll(root, { ...STORE_ALL, env: { STRATUM_NO_CACHE: '1' } });
    expect(off.saved).toBe(false);
    expect(off.cache.file).toBeNull();
    await openProject({ cwd: root, project: root, env: { STRATUM_NO_CACHE: '1' } });
    expect(existsSync(path.join(root, '.stratum'))).toBe(false);
  });

  it('fingerprints every module that decides a cached value', () => {
    // The value imports (not `import type`) of the parser, the checksum and the codec, closed
    // transitively, must all be in CACHED_MODULES.
    const nodeDir = path.join(REPO, 'electron/node');
    const listed = new Set(CACHED_MODULES.map((m) => path.resolve(nodeDir, `${m}.ts`)));
    const queue = [
      '../engine/revision/revision-file-parser',
      '../engine/revision/revision-checksum',
      './revision-cache-codec',
    ].map((m) => path.resolve(nodeDir, `${m}.ts`));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gms)) {
        queue.push(path.resolve(path.dirname(file), match[1]!));
      }
    }
    const missing = [...seen].filter((file) => !listed.has(file)).map((file) => path.relative(REPO, file));
    expect(missing).toEqual([]);
  });
});
