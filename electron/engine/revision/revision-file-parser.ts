import type { Diagnostic } from '../../../shared/model/diagnostic.ts';
import { DIALECTS, isDialect, type Dialect } from '../../../shared/model/dialect.ts';
import {
  PHASES,
  TRANSACTION_MODES,
  type Phase,
  type TransactionMode,
} from '../../../shared/model/revision-node.ts';
import { EngineError } from '../engine-error.ts';
import type { Revision, Section, SectionSet } from './revision.ts';
import { REVISION_ID_PATTERN } from './revision-id.ts';

/** The header keys of a revision file, in the canonical order of DESIGN.md §2. */
export const REVISION_HEADER_KEYS = [
  'revision',
  'parents',
  'message',
  'created',
  'branch-labels',
  'depends-on',
  'transaction',
  'phase',
] as const;

/** One of {@link REVISION_HEADER_KEYS}. */
export type RevisionHeaderKey = (typeof REVISION_HEADER_KEYS)[number];

/** What {@link parseRevisionFile} returns: the revision and the warnings found on the way. */
export interface ParsedRevisionFile {
  readonly revision: Revision;
  /** Warnings (`unknown-header-key`, `irreversible`); errors are thrown instead. */
  readonly diagnostics: Diagnostic[];
}

/*
 * The two line shapes, tested on a trimmed line (implemented by hand below, see sectionMarkerKind
 * and headerColon):
 *   SECTION_MARKER = /^--\s*migrate:(up|down)(?:\s+(.*))?$/s  `-- migrate:up` / `-- migrate:down`,
 *     optionally followed by a dialect;
 *   HEADER_LINE = /^--\s*([A-Za-z][\w-]*)\s*:(.*)$/s  `-- key: value`, on a line that is not a marker.
 */
/** Characters Alembic's target grammar reserves (`rev@head`, `-1`, `+2`, `a:b`). */
const BANNED_CHARACTERS = /[@\-+:]/;
/** ISO-8601 date or date-time, as written by `stratum revision` (`2026-11-21T10:30:00Z`). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

interface HeaderEntry {
  readonly value: string;
  readonly line: number;
}

interface OpenSection {
  readonly kind: 'up' | 'down';
  readonly dialect: Dialect | null;
  readonly markerLine: number;
}

/**
 * The revision file parser: reads the `-- key: value` header and the `-- migrate:up` /
 * `-- migrate:down [dialect]` sections of one revision file (DESIGN.md §2). Accepts CRLF line
 * endings, a leading BOM and trailing whitespace. Unknown header keys and a missing down section are
 * warnings in `diagnostics`; everything else that is wrong is thrown.
 *
 * Decisions: every `-- key: value` line before the first section is a header line, even after a
 * free-form comment, so a misplaced `-- phase:` is never silently ignored; a file without a
 * `parents:` line is a base revision; section text keeps its lines as written except trailing blank
 * lines, and {@link Section.line} is the line just after the marker.
 *
 * @param text the file's content.
 * @param file the project-relative path, used in messages and stored in {@link Revision.file}.
 * @throws EngineError `REVISION_FILE_INVALID` (with `file`, `line` and `reason`) when the header or
 * the `revision:` line is missing, a header value is invalid or repeated, text other than comments
 * sits before the first section, a section marker names an unknown dialect or repeats another, or
 * there is no `-- migrate:up` section.
 * @example
 * const { revision } = parseRevisionFile('-- revision: 3f2a9c1b7d4e\n-- parents:\n\n-- migrate:up\nSELECT 1;\n', 'a.sql');
 */
export function parseRevisionFile(text: string, file: string): ParsedRevisionFile {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Lines are the LF-separated pieces of `body`, scanned in place: a section's text is then a slice
  // of `body` (its lines joined with LF), and body lines are never cut into strings.
  const body = withoutBom.includes('\r') ? withoutBom.replace(/\r\n/g, '\n') : withoutBom;
  const diagnostics: Diagnostic[] = [];
  const headers = new Map<string, HeaderEntry>();

  let line = 0;
  let pos = 0; // start of the current line; past the end once every line is read
  for (; pos <= body.length; line++) {
    let eol = body.indexOf('\n', pos);
    if (eol < 0) eol = body.length;
    const trimmed = body.slice(pos, eol).trim();
    if (trimmed === '') {
      pos = eol + 1;
      continue;
    }
    if (!startsWithDashes(trimmed)) {
      if (!headers.has('revision')) throw missingRevision(file, line + 1);
      throw invalid(
        file,
        line + 1,
        `unexpected text before the first section: "${excerpt(trimmed)}"`,
        'Only "-- key: value" header lines, "--" comments and blank lines may come before "-- migrate:up"; move SQL into a section.',
      );
    }
    if (sectionMarkerKind(trimmed) !== null) break;
    pos = eol + 1;
    const colon = headerColon(trimmed);
    if (colon < 0) continue; // a free-form comment
    const key = trimmed.slice(afterDashes(trimmed), colon).trimEnd().toLowerCase();
    const value = trimmed.slice(colon + 1).trim();
    if (key === 'migrate') {
      throw invalid(
        file,
        line + 1,
        `malformed section marker "${excerpt(trimmed)}"`,
        'Write "-- migrate:up" or "-- migrate:down", optionally followed by a dialect (' +
          DIALECTS.join(', ') +
          ').',
      );
    }
    const previous = headers.get(key);
    if (previous !== undefined) {
      throw invalid(
        file,
        line + 1,
        `duplicate header key "${key}" (first at line ${previous.line}, again at line ${line + 1})`,
        'Keep one of the two lines.',
      );
    }
    headers.set(key, { value, line: line + 1 });
    if (!(REVISION_HEADER_KEYS as readonly string[]).includes(key)) {
      diagnostics.push({
        code: 'unknown-header-key',
        severity: 'warning',
        file,
        line: line + 1,
        message: `${file}:${line + 1}: unknown header key "${key}"; it is ignored.${suggestion(key)} Known keys: ${REVISION_HEADER_KEYS.join(', ')}.`,
      });
    }
  }
  if (!headers.has('revision')) throw missingRevision(file, 1);

  const header = readHeader(headers, file);
  const { up, down, upMarkerLine } = readSections(body, pos, line + 1, file);
  if (down.plain === null && Object.keys(down.byDialect).length === 0) {
    diagnostics.push({
      code: 'irreversible',
      severity: 'warning',
      file,
      line: upMarkerLine,
      message: `${file}:${upMarkerLine}: no "-- migrate:down" section, so this revision is irreversible and downgrading through it will be refused. Add "-- migrate:down" with the SQL that undoes it (it may be empty).`,
    });
  }
  return {
    revision: {
      id: header.id,
      downRevisions: header.downRevisions,
      dependsOn: header.dependsOn,
      branchLabels: header.branchLabels,
      message: header.message,
      created: header.created,
      transaction: header.transaction,
      phase: header.phase,
      file,
      up,
      down,
    },
    diagnostics,
  };
}

/*
 * Hand-written equivalents of SECTION_MARKER and HEADER_LINE: the parser runs them on every line of
 * every file, and a character scan costs a fraction of a regex match. `isSpace` is exactly `\s`
 * (the set `trim()` removes), so they accept and capture exactly what the regexes would.
 */

const NON_ASCII_SPACE = /\s/;

/** Whether the UTF-16 code unit `c` matches `\s`. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && NON_ASCII_SPACE.test(String.fromCharCode(c));
}

/** `[A-Za-z]`. */
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** `[\w-]`. */
function isKeyCharacter(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

function startsWithDashes(line: string): boolean {
  return line.charCodeAt(0) === 45 && line.charCodeAt(1) === 45;
}

/** For a line starting with `--`: the index after the dashes and the whitespace that follows. */
function afterDashes(line: string): number {
  let i = 2;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/**
 * For a trimmed line: `up` or `down` when it matches SECTION_MARKER, else null. The dialect part is
 * {@link sectionMarkerRest}.
 */
function sectionMarkerKind(trimmed: string): 'up' | 'down' | null {
  if (!startsWithDashes(trimmed)) return null;
  const i = afterDashes(trimmed) + 8;
  if (!trimmed.startsWith('migrate:', i - 8)) return null;
  let end: number;
  let kind: 'up' | 'down';
  if (trimmed.startsWith('up', i)) {
    kind = 'up';
    end = i + 2;
  } else if (trimmed.startsWith('down', i)) {
    kind = 'down';
    end = i + 4;
  } else {
    return null;
  }
  return end === trimmed.length || isSpace(trimmed.charCodeAt(end)) ? kind : null;
}

/** What follows `-- migrate:up` / `-- migrate:down` on a marker line, trimmed (SECTION_MARKER's group 2). */
function sectionMarkerRest(trimmed: string, kind: 'up' | 'down'): string {
  return trimmed.slice(afterDashes(trimmed) + 8 + kind.length).trim();
}

/**
 * For a trimmed line starting with `--`: the index of the colon when it matches HEADER_LINE (the key
 * is the letters from {@link afterDashes} up to the colon, without trailing whitespace), else -1.
 */
function headerColon(trimmed: string): number {
  const n = trimmed.length;
  let i = afterDashes(trimmed);
  if (i >= n || !isLetter(trimmed.charCodeAt(i))) return -1;
  i++;
  while (i < n && isKeyCharacter(trimmed.charCodeAt(i))) i++;
  while (i < n && isSpace(trimmed.charCodeAt(i))) i++;
  return i < n && trimmed.charCodeAt(i) === 58 ? i : -1;
}

type RevisionHeader = Omit<Revision, 'file' | 'up' | 'down'>;

function readHeader(headers: ReadonlyMap<string, HeaderEntry>, file: string): RevisionHeader {
  const revision = headers.get('revision') as HeaderEntry;
  if (!REVISION_ID_PATTERN.test(revision.value)) {
    throw invalid(
      file,
      revision.line,
      `revision id "${revision.value}" is not 12 lowercase hexadecimal characters (found ${describeId(revision.value)})`,
      'Use the id generated by "stratum revision", for example "-- revision: 3f2a9c1b7d4e".',
    );
  }
  return {
    id: revision.value,
    downRevisions: readIds(headers.get('parents'), 'parents', 'revision id', file),
    dependsOn: readIds(headers.get('depends-on'), 'depends-on', 'revision id', file),
    branchLabels: readIds(headers.get('branch-labels'), 'branch-labels', 'branch label', file),
    message: headers.get('message')?.value ?? '',
    created: readCreated(headers.get('created'), file),
    transaction: readChoice<TransactionMode>(
      headers.get('transaction'),
      'transaction',
      TRANSACTION_MODES,
      file,
    ),
    phase: readChoice<Phase>(headers.get('phase'), 'phase', PHASES, file),
  };
}

function readIds(entry: HeaderEntry | undefined, key: string, what: string, file: string): string[] {
  if (entry === undefined) return [];
  const tokens = isOneToken(entry.value)
    ? [entry.value]
    : entry.value.split(/[\s,]+/).filter((token) => token !== '');
  const seen = tokens.length > 1 ? new Set<string>() : null;
  for (const token of tokens) {
    if (BANNED_CHARACTERS.test(token)) {
      throw invalid(
        file,
        entry.line,
        `${key}: ${what} "${token}" contains one of the reserved characters @ - + :`,
        `Those characters belong to the target syntax (rev@head, -1, +2, a:b); ${what === 'branch label' ? 'rename the label, e.g. with "_"' : 'use the revision ids from the header lines of the files'}.`,
      );
    }
    if (seen === null) continue;
    if (seen.has(token)) {
      throw invalid(file, entry.line, `${key}: "${token}" is listed twice`, 'List each one once.');
    }
    seen.add(token);
  }
  return tokens;
}

/** Whether splitting `value` on `[\s,]+` gives exactly `[value]` (the usual single parent). */
function isOneToken(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || isSpace(c)) return false;
  }
  return true;
}

function readCreated(entry: HeaderEntry | undefined, file: string): string | null {
  if (entry === undefined || entry.value === '') return null;
  if (!ISO_8601.test(entry.value) || Number.isNaN(Date.parse(entry.value))) {
    throw invalid(
      file,
      entry.line,
      `created: "${excerpt(entry.value)}" is not an ISO-8601 date-time`,
      'Write it like "2026-11-21T10:30:00Z", or remove the line.',
    );
  }
  return entry.value;
}

function readChoice<T extends string>(
  entry: HeaderEntry | undefined,
  key: string,
  choices: readonly T[],
  file: string,
): T {
  if (entry === undefined) return choices[0] as T;
  if ((choices as readonly string[]).includes(entry.value)) return entry.value as T;
  throw invalid(
    file,
    entry.line,
    `${key}: "${excerpt(entry.value)}" is not a valid value`,
    `Valid values are ${choices.map((choice) => `"${choice}"`).join(' and ')} (default "${choices[0]}").`,
  );
}

/**
 * The sections of `body` from offset `start` (the first marker line, line number `startLine`; past
 * the end when there is none).
 */
function readSections(
  body: string,
  start: number,
  startLine: number,
  file: string,
): { up: SectionSet; down: SectionSet; upMarkerLine: number } {
  const up: { plain: Section | null; byDialect: Partial<Record<Dialect, Section>> } = {
    plain: null,
    byDialect: {},
  };
  const down: typeof up = { plain: null, byDialect: {} };
  const markers = new Map<string, number>();
  let upMarkerLine = 0;
  let open: OpenSection | null = null;
  let bodyStart = start;

  for (let pos = start, line = startLine; pos <= body.length; line++) {
    let eol = body.indexOf('\n', pos);
    if (eol < 0) eol = body.length;
    const lineStart = pos;
    pos = eol + 1;
    // Only a line whose first non-blank characters are `--` can be a marker; skip the rest uncut.
    let first = lineStart;
    while (first < eol && isSpace(body.charCodeAt(first))) first++;
    if (first + 1 >= eol || body.charCodeAt(first) !== 45 || body.charCodeAt(first + 1) !== 45) continue;
    const trimmed = body.slice(first, eol).trim();
    const kind = sectionMarkerKind(trimmed);
    if (kind === null) continue;
    const rest = sectionMarkerRest(trimmed, kind);
    let dialect: Dialect | null = null;
    if (rest !== '') {
      if (!isDialect(rest)) {
        throw invalid(
          file,
          line,
          `unknown dialect "${excerpt(rest)}" after "-- migrate:${kind}"`,
          `Valid dialects are ${DIALECTS.join(', ')}; write "-- migrate:${kind}" alone for the plain section.`,
        );
      }
      dialect = rest;
    }
    const label = `-- migrate:${kind}${dialect === null ? '' : ` ${dialect}`}`;
    const firstLine = markers.get(label);
    if (firstLine !== undefined) {
      throw invalid(
        file,
        line,
        `duplicate "${label}" section (first at line ${firstLine}, again at line ${line})`,
        'Merge the two sections into one.',
      );
    }
    markers.set(label, line);
    if (kind === 'up' && upMarkerLine === 0) upMarkerLine = line;
    if (open !== null) addSection(open, open.kind === 'up' ? up : down, body, bodyStart, lineStart - 1);
    open = { kind, dialect, markerLine: line };
    bodyStart = pos;
  }
  if (open !== null) addSection(open, open.kind === 'up' ? up : down, body, bodyStart, body.length);

  if (upMarkerLine === 0) {
    const line = markers.size > 0 ? Math.min(...markers.values()) : body.split('\n').length;
    throw invalid(
      file,
      line,
      'no "-- migrate:up" section',
      'Add a "-- migrate:up" line followed by the SQL that applies this revision.',
    );
  }
  return { up, down, upMarkerLine };
}

function addSection(
  open: OpenSection,
  set: { plain: Section | null; byDialect: Partial<Record<Dialect, Section>> },
  body: string,
  start: number,
  end: number,
): void {
  const section: Section = { text: sectionText(body, start, end), line: open.markerLine + 1 };
  if (open.dialect === null) set.plain = section;
  else set.byDialect[open.dialect] = section;
}

/**
 * The lines of `body[start, end)` (whole lines; `end` is the LF after the last one, or the end of
 * `body`) joined with LF, without trailing blank lines: a slice of `body` up to the end of the last
 * line that has a non-whitespace character.
 */
function sectionText(body: string, start: number, end: number): string {
  let last = end - 1;
  while (last >= start && isSpace(body.charCodeAt(last))) last--;
  if (last < start) return '';
  const eol = body.indexOf('\n', last);
  return body.slice(start, eol < 0 || eol > end ? end : eol);
}

function invalid(
  file: string,
  line: number,
  reason: string,
  hint: string,
): EngineError<'REVISION_FILE_INVALID'> {
  return new EngineError('REVISION_FILE_INVALID', `${file}:${line}: ${reason}. ${hint}`, {
    file,
    line,
    reason,
  });
}

function missingRevision(file: string, line: number): EngineError<'REVISION_FILE_INVALID'> {
  return invalid(
    file,
    line,
    'no "-- revision: <id>" header line',
    'A revision file starts with a header such as "-- revision: 3f2a9c1b7d4e" and "-- parents: <ids>"; create files with "stratum revision".',
  );
}

function describeId(value: string): string {
  if (value === '') return 'nothing';
  const problems = [`${value.length} character${value.length === 1 ? '' : 's'}`];
  if (/[A-F]/.test(value)) problems.push('uppercase letters');
  if (BANNED_CHARACTERS.test(value)) problems.push('reserved characters @ - + :');
  else if (/[^0-9a-fA-F]/.test(value)) problems.push('non-hex characters');
  return problems.join(', ');
}

function suggestion(key: string): string {
  const normalized = key.replace(/_/g, '-');
  const match = REVISION_HEADER_KEYS.find(
    (known) => known === normalized || known === `${normalized}s` || `${known}s` === normalized,
  );
  if (match !== undefined) return ` Did you mean "${match}"?`;
  if (normalized === 'down-revision' || normalized === 'down-revisions') return ' Did you mean "parents"?';
  return '';
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
