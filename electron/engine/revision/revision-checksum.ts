import type { Dialect } from '../../../shared/model/dialect.ts';
import type { Hasher } from '../ports.ts';
import { sectionFor, type Revision, type SectionSet } from './revision.ts';

/**
 * The applied text of a revision for `dialect`: its up and down bodies (overrides first, as run),
 * normalised and composed as `-- migrate:up\n<up>\n-- migrate:down\n<down>`. Normalising turns CRLF
 * into LF, strips trailing whitespace from every line and trims leading and trailing blank lines,
 * so editor noise and header edits never change it. A missing section counts as an empty one. The
 * journal stores this text so a later edit can be shown as a diff (DESIGN.md §4, §5).
 *
 * @example
 * appliedText(revision, 'postgres'); // '-- migrate:up\nALTER TABLE …;\n-- migrate:down\nALTER TABLE …;'
 */
export function appliedText(revision: Revision, dialect: Dialect): string {
  return `-- migrate:up\n${normalisedBody(revision.up, dialect)}\n-- migrate:down\n${normalisedBody(revision.down, dialect)}`;
}

/**
 * The revision checksum: SHA-256 (hex) of {@link appliedText}, computed by the injected `hasher`.
 * An applied revision whose checksum differs from the journal's is reported as modified.
 *
 * @example
 * revisionChecksum(revision, 'sqlite', { sha256Hex: (t) => createHash('sha256').update(t).digest('hex') });
 */
export function revisionChecksum(revision: Revision, dialect: Dialect, hasher: Hasher): string {
  return hasher.sha256Hex(appliedText(revision, dialect));
}

function normalisedBody(set: SectionSet, dialect: Dialect): string {
  const text = sectionFor(set, dialect)?.text ?? '';
  if (isNormalised(text)) return text;
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end).join('\n');
}

const NON_ASCII_SPACE = /\s/;

/** Whether the UTF-16 code unit `c` is whitespace for `trimEnd()` (`\s`). */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && NON_ASCII_SPACE.test(String.fromCharCode(c));
}

/**
 * Whether normalising would leave `text` as it is: no CR, no line ending in whitespace (which also
 * rules out blank lines) and no leading or trailing blank line. True for almost every section, and
 * one scan instead of a split, a trim per line and a join.
 */
function isNormalised(text: string): boolean {
  const n = text.length;
  if (n === 0 || isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) return false;
    if (c === 10 && isSpace(text.charCodeAt(i - 1))) return false;
  }
  return true;
}
