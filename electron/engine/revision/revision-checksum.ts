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
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === '') start++;
  while (end > start && lines[end - 1] === '') end--;
  return lines.slice(start, end).join('\n');
}
