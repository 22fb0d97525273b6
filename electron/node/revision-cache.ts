/**
 * The revision cache: what parsing each revision file gave (and its checksums), kept between
 * commands in `<project root>/.stratum/cache/revisions-v1.json`, so an unchanged file is neither
 * read nor parsed again. Exactly safe in the way git's index is: an entry is used only when the
 * file's size, mtime, ctime and inode (nanoseconds, `statSync(…, {bigint: true})`) are the ones it
 * was stored with, and an entry whose file changed too recently to be told apart from a later edit
 * is never stored ("racily clean", see {@link RACY_MARGIN_MS}). Best effort: a cache that cannot be
 * read or trusted is ignored, and one that cannot be written is skipped silently. docs/decisions.md
 * "Revision cache" has the reasoning.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../../shared/model/dialect.ts';
import { isEngineError } from '../engine/engine-error.ts';
import { revisionChecksum } from '../engine/revision/revision-checksum.ts';
import { parseRevisionFile } from '../engine/revision/revision-file-parser.ts';
import type { Revision } from '../engine/revision/revision.ts';
import type { LocatedFile } from './fs-migration-source.ts';
import { decodeEntries, encodeEntry, type CacheEntry, type ParsedFile } from './revision-cache-codec.ts';
import { nodeHasher, TOOL_VERSION } from './system.ts';

/**
 * The cache file's format. Bump it (and the `-v1` in {@link REVISION_CACHE_PATH}) whenever the
 * stored shape or the meaning of a stored value changes in a way the code fingerprint cannot see
 * (for instance, what the stat key holds). Parser and checksum changes need no bump: the
 * fingerprint of {@link CACHED_MODULES} catches them.
 */
export const REVISION_CACHE_FORMAT = 1;

/** Where the cache lives, relative to the project root. */
export const REVISION_CACHE_PATH = '.stratum/cache/revisions-v1.json';

/**
 * How recent a file's mtime or ctime may be, at the start of the command, for its entry still to
 * be stored: 2 s. An edit made right after the file was read can leave size, mtime and ctime as
 * they were read when it lands in the same timestamp tick, and FAT's mtime tick is 2 s (most file
 * systems tick every few ms). Such a file is parsed again by every command until it is 2 s old.
 */
export const RACY_MARGIN_MS = 2_000;

/**
 * The modules whose code decides a cached value (the parser, the checksum, and every module they
 * import values from), relative to this one and without extension. Their contents are hashed into
 * the cache-wide key, so a changed parser never meets an old cache, even under an unchanged
 * TOOL_VERSION. test/unit/node/revision-cache.test.ts checks that the list is complete.
 */
export const CACHED_MODULES = [
  '../engine/revision/revision-file-parser',
  '../engine/revision/revision-checksum',
  '../engine/revision/revision',
  '../engine/revision/revision-id',
  '../engine/engine-error',
  '../../shared/model/dialect',
  '../../shared/model/revision-node',
  // How entries are keyed, encoded and decoded: a change here needs no format bump either.
  './revision-cache',
  './revision-cache-codec',
] as const;

export type { ParsedFile } from './revision-cache-codec.ts';

/** Options of {@link RevisionCache.open}. */
export interface RevisionCacheOptions {
  /** The process environment (`CommandOptions.env`): `STRATUM_NO_CACHE=1` turns the cache off. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Part of the cache-wide key; {@link TOOL_VERSION} by default. */
  readonly toolVersion?: string;
  /**
   * {@link RACY_MARGIN_MS} by default. Tests pass a large negative margin to store entries for
   * files they have just written, instead of waiting 2 s.
   */
  readonly racyMarginMs?: number;
}

/** How much of a run the cache served, for tests and benchmarks. */
export interface RevisionCacheStats {
  /** Files whose cached entry was used: neither read nor parsed. */
  readonly reused: number;
  /** Files read and parsed. */
  readonly parsed: number;
  /** Checksums taken from the cache. */
  readonly checksumsReused: number;
}

/** One file as this run knows it. */
interface RunEntry extends CacheEntry {
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** Differs from the loaded cache (new, re-parsed, or a checksum added). */
  changed: boolean;
}

/** The cache file: the cache-wide key, then the entries (encoded by revision-cache-codec.ts). */
interface CacheFile {
  readonly format: number;
  readonly tool: string;
  readonly code: string;
  readonly entries: unknown[];
}

/**
 * Parses revision files through the cache. One instance serves one command: {@link open} loads
 * the cache, {@link read} is called once per listed file, {@link checksum} as needed, and
 * {@link save} writes what changed.
 */
export class RevisionCache {
  /** Absolute path of the cache file; null when the cache is off. */
  readonly file: string | null;
  private readonly key: { readonly tool: string; readonly code: string };
  private readonly racyMarginNs: bigint;
  private loaded: Map<string, CacheEntry>;
  private readonly entries = new Map<string, RunEntry>();
  private readonly byRevision = new WeakMap<Revision, RunEntry>();
  /** Wall clock (ns) and monotonic clock (ms) when the cache was opened, before any file was read. */
  private readonly startedWallNs: bigint;
  private readonly startedMonoMs: number;
  private counts = { reused: 0, parsed: 0, checksumsReused: 0 };

  private constructor(file: string | null, key: { tool: string; code: string }, racyMarginMs: number) {
    this.file = file;
    this.key = key;
    this.racyMarginNs = BigInt(Math.round(racyMarginMs * 1e6));
    this.startedWallNs = BigInt(Date.now()) * 1_000_000n;
    this.startedMonoMs = performance.now();
    this.loaded = file === null ? new Map() : load(file, key);
  }

  /**
   * Opens the cache of the project at `root`. Never throws: a missing, unreadable, corrupt or
   * foreign (other format, tool version or parser) cache file counts as empty.
   */
  static open(root: string, options: RevisionCacheOptions): RevisionCache {
    const absoluteRoot = path.resolve(root);
    const code = isCacheDisabled(options.env) ? null : codeFingerprint();
    const file = code === null ? null : path.join(absoluteRoot, ...REVISION_CACHE_PATH.split('/'));
    return new RevisionCache(
      file,
      { tool: options.toolVersion ?? TOOL_VERSION, code: code ?? '' },
      options.racyMarginMs ?? RACY_MARGIN_MS,
    );
  }

  /** How much this run reused so far. */
  get stats(): RevisionCacheStats {
    return { ...this.counts };
  }

  /**
   * The parse result of one listed file: the cached one when the file's stat key is unchanged,
   * else the file read and parsed now. The stat comes before the read, so an edit landing between
   * the two leaves a key that no longer matches, never stale text under a current key.
   *
   * @throws what reading the file throws, and parser errors other than `REVISION_FILE_INVALID`.
   */
  read(file: LocatedFile): ParsedFile {
    if (this.file === null) {
      this.counts.parsed++;
      return this.remember(file.path, parseFile(readFileSync(file.absolutePath, 'utf8'), file.path), null);
    }
    const st = statSync(file.absolutePath, { bigint: true });
    const stat = `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
    const stored = this.loaded.get(file.path);
    const times = { mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
    if (stored !== undefined && stored.stat === stat) {
      this.counts.reused++;
      const entry = { stat, ...times, parsed: stored.parsed, checksums: stored.checksums, changed: false };
      return this.remember(file.path, stored.parsed, entry);
    }
    this.counts.parsed++;
    const parsed = parseFile(readFileSync(file.absolutePath, 'utf8'), file.path);
    return this.remember(file.path, parsed, { stat, ...times, parsed, checksums: {}, changed: true });
  }

  /**
   * `revisionChecksum(revision, dialect, nodeHasher)`, from the cache when this run's
   * {@link read} returned `revision` and its checksum for `dialect` is stored, else computed (and
   * stored by the next {@link save}).
   */
  checksum(revision: Revision, dialect: Dialect): string {
    const entry = this.byRevision.get(revision);
    const cached = entry?.checksums[dialect];
    if (cached !== undefined) {
      this.counts.checksumsReused++;
      return cached;
    }
    const checksum = revisionChecksum(revision, dialect, nodeHasher);
    if (entry !== undefined) {
      (entry.checksums as Record<Dialect, string>)[dialect] = checksum;
      entry.changed = true;
    }
    return checksum;
  }

  /**
   * Writes the cache when it differs from the loaded one: entries of the files read in this run
   * (files no longer listed drop out), except racy ones. Atomic (a temp file renamed over the old
   * one); creates `.stratum/.gitignore` (`*`) so the folder is never committed. Never throws.
   *
   * @returns whether the file was written.
   */
  save(): boolean {
    if (this.file === null) return false;
    // First, with the wall clock alone: is there anything new worth writing?
    const wallThreshold = this.startedWallNs - this.racyMarginNs;
    let keep = 0;
    let changed = false;
    for (const entry of this.entries.values()) {
      if (!storable(entry, wallThreshold)) continue;
      keep++;
      if (entry.changed) changed = true;
    }
    if (!changed && keep === this.loaded.size) return false;
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let fd: number | null = null;
    try {
      const dir = path.dirname(this.file);
      mkdirSync(dir, { recursive: true });
      writeGitignore(path.dirname(dir));
      fd = openSync(tmp, 'wx');
      // The file system's own clock, for file systems whose clock is not this machine's (network
      // mounts): the temp file's ctime, moved back by the time elapsed since open(), bounds the
      // start of the run from below in that clock. The earlier of the two starts is used.
      const created = fstatSync(fd, { bigint: true });
      const elapsedNs = BigInt(Math.ceil((performance.now() - this.startedMonoMs) * 1e6));
      const fsStart = min(created.ctimeNs, created.mtimeNs) - elapsedNs;
      const threshold = min(this.startedWallNs, fsStart) - this.racyMarginNs;
      const written = new Map<string, CacheEntry>();
      const entries: unknown[] = [];
      for (const [file, entry] of this.entries) {
        if (!storable(entry, threshold)) continue;
        entries.push(encodeEntry(file, entry));
        written.set(file, entry);
      }
      const data: CacheFile = { format: REVISION_CACHE_FORMAT, ...this.key, entries };
      writeFileSync(fd, JSON.stringify(data));
      closeSync(fd);
      fd = null;
      renameSync(tmp, this.file);
      this.loaded = written;
      for (const [file, entry] of this.entries) if (written.has(file)) entry.changed = false;
      return true;
    } catch {
      // Read-only folder, full disk, a file where a folder should be: run without the cache.
      if (fd !== null) attempt(() => closeSync(fd!));
      attempt(() => unlinkSync(tmp));
      return false;
    }
  }

  private remember(file: string, parsed: ParsedFile, entry: RunEntry | null): ParsedFile {
    if (entry !== null) this.entries.set(file, entry);
    if (parsed.kind === 'revision') {
      // Even with the cache off, so checksum() computes each revision's checksum once per run.
      this.byRevision.set(
        parsed.revision,
        entry ?? { stat: '', mtimeNs: 0n, ctimeNs: 0n, parsed, checksums: {}, changed: false },
      );
    }
    return parsed;
  }
}

/** Whether `STRATUM_NO_CACHE` is set to anything but empty or `0`. */
export function isCacheDisabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.STRATUM_NO_CACHE;
  return value !== undefined && value !== '' && value !== '0';
}

/** Parses one file, turning `REVISION_FILE_INVALID` into an `invalid` result. */
function parseFile(text: string, file: string): ParsedFile {
  try {
    const { revision, diagnostics } = parseRevisionFile(text, file);
    return { kind: 'revision', revision, diagnostics };
  } catch (error) {
    if (!isEngineError(error, 'REVISION_FILE_INVALID')) throw error;
    return { kind: 'invalid', message: error.message, line: error.details.line };
  }
}

/** Stored only when neither time is within the racy margin of the run's start. */
function storable(entry: RunEntry, threshold: bigint): boolean {
  return entry.mtimeNs < threshold && entry.ctimeNs < threshold;
}

/** The entries of the cache file, or none when it is missing, corrupt or for other code. */
function load(file: string, key: { tool: string; code: string }): Map<string, CacheEntry> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile> | null;
    if (
      typeof data !== 'object' ||
      data === null ||
      data.format !== REVISION_CACHE_FORMAT ||
      data.tool !== key.tool ||
      data.code !== key.code
    ) {
      return new Map();
    }
    // One malformed entry discredits the whole file: it was not written by this code.
    return decodeEntries(data.entries) ?? new Map();
  } catch {
    return new Map();
  }
}

let fingerprint: string | null | undefined;

/**
 * SHA-256 of {@link CACHED_MODULES}' files, found next to this module with its own extension
 * (`.ts` from source, `.js` from dist/). Null when they cannot be read (a bundle): the cache is then
 * off, because the tool version alone does not change while the parser is being worked on.
 */
function codeFingerprint(): string | null {
  if (fingerprint !== undefined) return fingerprint;
  try {
    const self = fileURLToPath(import.meta.url);
    const dir = path.dirname(self);
    const ext = path.extname(self);
    const hash = createHash('sha256');
    for (const module of CACHED_MODULES) {
      hash.update(`${module}\0`);
      hash.update(readFileSync(path.join(dir, `${module}${ext}`)));
    }
    fingerprint = hash.digest('hex');
  } catch {
    fingerprint = null;
  }
  return fingerprint;
}

function writeGitignore(stratumDir: string): void {
  try {
    writeFileSync(path.join(stratumDir, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function attempt(action: () => void): void {
  try {
    action();
  } catch {
    // Best effort.
  }
}
