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

/** `-- migrate:up` / `-- migrate:down`, optionally followed by a dialect; tested on a trimmed line. */
const SECTION_MARKER = /^--\s*migrate:(up|down)(?:\s+(.*))?$/s;
/** `-- key: value`; tested on a trimmed line that is not a section marker. */
const HEADER_LINE = /^--\s*([A-Za-z][\w-]*)\s*:(.*)$/s;
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
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  const headers = new Map<string, HeaderEntry>();

  let index = 0;
  for (; index < lines.length; index++) {
    const line = index + 1;
    const trimmed = (lines[index] ?? '').trim();
    if (trimmed === '') continue;
    if (SECTION_MARKER.test(trimmed)) break;
    if (!trimmed.startsWith('--')) {
      if (!headers.has('revision')) throw missingRevision(file, line);
      throw invalid(
        file,
        line,
        `unexpected text before the first section: "${excerpt(trimmed)}"`,
        'Only "-- key: value" header lines, "--" comments and blank lines may come before "-- migrate:up"; move SQL into a section.',
      );
    }
    const match = HEADER_LINE.exec(trimmed);
    if (match === null) continue; // a free-form comment
    const key = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').trim();
    if (key === 'migrate') {
      throw invalid(
        file,
        line,
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
        line,
        `duplicate header key "${key}" (first at line ${previous.line}, again at line ${line})`,
        'Keep one of the two lines.',
      );
    }
    headers.set(key, { value, line });
    if (!(REVISION_HEADER_KEYS as readonly string[]).includes(key)) {
      diagnostics.push({
        code: 'unknown-header-key',
        severity: 'warning',
        file,
        line,
        message: `${file}:${line}: unknown header key "${key}"; it is ignored.${suggestion(key)} Known keys: ${REVISION_HEADER_KEYS.join(', ')}.`,
      });
    }
  }
  if (!headers.has('revision')) throw missingRevision(file, 1);

  const header = readHeader(headers, file);
  const { up, down, upMarkerLine } = readSections(lines, index, file);
  if (down.plain === null && Object.keys(down.byDialect).length === 0) {
    diagnostics.push({
      code: 'irreversible',
      severity: 'warning',
      file,
      line: upMarkerLine,
      message: `${file}:${upMarkerLine}: no "-- migrate:down" section, so this revision is irreversible and downgrading through it will be refused. Add "-- migrate:down" with the SQL that undoes it (it may be empty).`,
    });
  }
  return { revision: { ...header, file, up, down }, diagnostics };
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
  const tokens = entry.value.split(/[\s,]+/).filter((token) => token !== '');
  const seen = new Set<string>();
  for (const token of tokens) {
    if (BANNED_CHARACTERS.test(token)) {
      throw invalid(
        file,
        entry.line,
        `${key}: ${what} "${token}" contains one of the reserved characters @ - + :`,
        `Those characters belong to the target syntax (rev@head, -1, +2, a:b); ${what === 'branch label' ? 'rename the label, e.g. with "_"' : 'use the revision ids from the header lines of the files'}.`,
      );
    }
    if (seen.has(token)) {
      throw invalid(file, entry.line, `${key}: "${token}" is listed twice`, 'List each one once.');
    }
    seen.add(token);
  }
  return tokens;
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

function readSections(
  lines: readonly string[],
  start: number,
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

  const close = (end: number): void => {
    if (open === null) return;
    const set = open.kind === 'up' ? up : down;
    const section: Section = { text: sectionText(lines, bodyStart, end), line: open.markerLine + 1 };
    if (open.dialect === null) set.plain = section;
    else set.byDialect[open.dialect] = section;
  };

  for (let index = start; index < lines.length; index++) {
    const line = index + 1;
    const match = SECTION_MARKER.exec((lines[index] ?? '').trim());
    if (match === null) continue;
    const kind = match[1] === 'up' ? 'up' : 'down';
    const rest = (match[2] ?? '').trim();
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
    const first = markers.get(label);
    if (first !== undefined) {
      throw invalid(
        file,
        line,
        `duplicate "${label}" section (first at line ${first}, again at line ${line})`,
        'Merge the two sections into one.',
      );
    }
    markers.set(label, line);
    if (kind === 'up' && upMarkerLine === 0) upMarkerLine = line;
    close(index);
    open = { kind, dialect, markerLine: line };
    bodyStart = index + 1;
  }
  close(lines.length);

  if (upMarkerLine === 0) {
    const line = markers.size > 0 ? Math.min(...markers.values()) : lines.length;
    throw invalid(
      file,
      line,
      'no "-- migrate:up" section',
      'Add a "-- migrate:up" line followed by the SQL that applies this revision.',
    );
  }
  return { up, down, upMarkerLine };
}

/** The body lines `[start, end)` joined with LF, without trailing blank lines. */
function sectionText(lines: readonly string[], start: number, end: number): string {
  let last = end;
  while (last > start && (lines[last - 1] ?? '').trim() === '') last--;
  return lines.slice(start, last).join('\n');
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
