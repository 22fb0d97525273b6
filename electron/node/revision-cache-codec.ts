/**
 * How revision-cache entries are written to and read back from the cache file (revision-cache.ts).
 *
 * Compact on purpose: an entry is a tuple, not an object with named keys, and the file path (the
 * entry's key) is not repeated inside the revision. For 10,000 small revisions this halves the file
 * (~6 MB as plain `Revision` JSON) and the time `JSON.parse` spends on it, which is most of what a
 * warm command pays for the cache. Decoding checks every field, because the file is data from disk:
 * one malformed entry and the whole cache is ignored.
 *
 * Entry: `[path, stat, parsed, checksums]`
 * - `stat`: `size:mtimeNs:ctimeNs:ino` (decimal);
 * - `parsed`: `['r', id, downRevisions, dependsOn, branchLabels, message, created, transaction, phase,
 *   up, down, diagnostics]` for a revision, `['e', message, line]` for an invalid file;
 * - `up` / `down`: `[plain, byDialect]`, `plain` = `[text, line]` or null, `byDialect` =
 *   `{dialect: [text, line]}`;
 * - `checksums`: `{dialect: sha256hex}`, the dialects computed so far.
 */
import type { Diagnostic } from '../../shared/model/diagnostic.ts';
import { isDialect, type Dialect } from '../../shared/model/dialect.ts';
import {
  PHASES,
  TRANSACTION_MODES,
  type Phase,
  type TransactionMode,
} from '../../shared/model/revision-node.ts';
import type { Revision, Section, SectionSet } from '../engine/revision/revision.ts';

/** What parsing one revision file gave: the revision and its warnings, or why it is invalid. */
export type ParsedFile =
  | { readonly kind: 'revision'; readonly revision: Revision; readonly diagnostics: readonly Diagnostic[] }
  /** The parser threw `REVISION_FILE_INVALID` with this message and line. */
  | { readonly kind: 'invalid'; readonly message: string; readonly line: number };

/** One file's cached entry. */
export interface CacheEntry {
  /** `size:mtimeNs:ctimeNs:ino`, decimal, from `statSync(…, {bigint: true})`. */
  readonly stat: string;
  readonly parsed: ParsedFile;
  /** `revisionChecksum` per dialect, for the dialects computed so far. */
  readonly checksums: Partial<Record<Dialect, string>>;
}

/** The tuple written for one entry. */
export function encodeEntry(file: string, entry: CacheEntry): unknown[] {
  const { parsed } = entry;
  const encoded =
    parsed.kind === 'invalid'
      ? ['e', parsed.message, parsed.line]
      : [
          'r',
          parsed.revision.id,
          parsed.revision.downRevisions,
          parsed.revision.dependsOn,
          parsed.revision.branchLabels,
          parsed.revision.message,
          parsed.revision.created,
          parsed.revision.transaction,
          parsed.revision.phase,
          encodeSet(parsed.revision.up),
          encodeSet(parsed.revision.down),
          parsed.diagnostics,
        ];
  return [file, entry.stat, encoded, entry.checksums];
}

/**
 * The entries of a decoded cache file's `entries` array, by path; null when anything in it is not
 * what {@link encodeEntry} writes.
 */
export function decodeEntries(value: unknown): Map<string, CacheEntry> | null {
  if (!Array.isArray(value)) return null;
  const entries = new Map<string, CacheEntry>();
  for (const item of value) {
    if (!Array.isArray(item) || item.length !== 4) return null;
    const [file, stat, encoded, checksums] = item as unknown[];
    // `stat` is only ever compared for equality with a key built from a fresh stat, so any string
    // is safe: a malformed one simply never matches.
    if (typeof file !== 'string' || typeof stat !== 'string' || !isChecksums(checksums)) return null;
    const parsed = decodeParsed(encoded, file);
    if (parsed === null || entries.has(file)) return null;
    entries.set(file, { stat, parsed, checksums });
  }
  return entries;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SEVERITIES: readonly unknown[] = ['error', 'warning', 'info'];

function decodeParsed(value: unknown, file: string): ParsedFile | null {
  if (!Array.isArray(value)) return null;
  if (value.length === 3 && value[0] === 'e') {
    const [, message, line] = value as unknown[];
    return typeof message === 'string' && isLine(line) ? { kind: 'invalid', message, line } : null;
  }
  if (value.length !== 12 || value[0] !== 'r') return null;
  const [
    ,
    id,
    downRevisions,
    dependsOn,
    branchLabels,
    message,
    created,
    transaction,
    phase,
    up,
    down,
    diagnostics,
  ] = value as unknown[];
  if (
    typeof id !== 'string' ||
    !isStringArray(downRevisions) ||
    !isStringArray(dependsOn) ||
    !isStringArray(branchLabels) ||
    typeof message !== 'string' ||
    !(created === null || typeof created === 'string') ||
    !(TRANSACTION_MODES as readonly unknown[]).includes(transaction) ||
    !(PHASES as readonly unknown[]).includes(phase) ||
    !Array.isArray(diagnostics) ||
    !diagnostics.every(isDiagnostic)
  ) {
    return null;
  }
  const upSet = decodeSet(up);
  const downSet = decodeSet(down);
  if (upSet === null || downSet === null) return null;
  // The parser's key order, so the object is indistinguishable from a fresh parse.
  const revision: Revision = {
    id,
    downRevisions,
    dependsOn,
    branchLabels,
    message,
    created,
    transaction: transaction as TransactionMode,
    phase: phase as Phase,
    file,
    up: upSet,
    down: downSet,
  };
  return { kind: 'revision', revision, diagnostics: diagnostics as Diagnostic[] };
}

function encodeSet(set: SectionSet): unknown[] {
  const byDialect: Record<string, unknown[]> = {};
  for (const [dialect, section] of Object.entries(set.byDialect)) {
    if (section !== undefined) byDialect[dialect] = encodeSection(section);
  }
  return [set.plain === null ? null : encodeSection(set.plain), byDialect];
}

function encodeSection(section: Section): unknown[] {
  return [section.text, section.line];
}

function decodeSet(value: unknown): SectionSet | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [plainValue, byDialectValue] = value as unknown[];
  const plain = plainValue === null ? null : decodeSection(plainValue);
  if (plain === null && plainValue !== null) return null;
  if (!isRecord(byDialectValue)) return null;
  const byDialect: Partial<Record<Dialect, Section>> = {};
  for (const dialect in byDialectValue) {
    const section = decodeSection(byDialectValue[dialect]);
    if (!isDialect(dialect) || section === null) return null;
    byDialect[dialect] = section;
  }
  return { plain, byDialect };
}

function decodeSection(value: unknown): Section | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [text, line] = value as unknown[];
  return typeof text === 'string' && isLine(line) ? { text, line } : null;
}

function isChecksums(value: unknown): value is Partial<Record<Dialect, string>> {
  if (!isRecord(value)) return false;
  for (const dialect in value) {
    const checksum = value[dialect];
    if (!isDialect(dialect) || typeof checksum !== 'string' || !SHA256_HEX.test(checksum)) return false;
  }
  return true;
}

function isDiagnostic(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    SEVERITIES.includes(value.severity) &&
    typeof value.message === 'string' &&
    typeof value.file === 'string' &&
    (value.line === undefined || isLine(value.line))
  );
}

function isLine(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
