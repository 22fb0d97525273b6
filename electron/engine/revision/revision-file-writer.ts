import { DIALECTS, type Dialect } from '../../../shared/model/dialect.ts';
import type { Phase, TransactionMode } from '../../../shared/model/revision-node.ts';
import { EngineError } from '../engine-error.ts';

/** A section body to write: its text (a parsed {@link Section} fits). */
export interface SectionBody {
  readonly text: string;
}

/** The plain body plus per-dialect overrides to write (a parsed {@link SectionSet} fits). */
export interface SectionBodies {
  readonly plain: SectionBody | null;
  readonly byDialect: Readonly<Partial<Record<Dialect, SectionBody>>>;
}

/**
 * What {@link renderRevisionFile} writes: the header fields and section bodies of a revision. A
 * parsed {@link Revision} fits, so a file can be re-rendered in canonical form.
 */
export interface RevisionFileInput {
  readonly id: string;
  readonly downRevisions: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly branchLabels?: readonly string[];
  readonly message: string;
  readonly created: string | null;
  readonly transaction?: TransactionMode;
  readonly phase?: Phase;
  readonly up: SectionBodies;
  readonly down: SectionBodies;
}

/** How many characters of the message slug a file name keeps at most. */
export const SLUG_MAX_LENGTH = 40;

/**
 * The revision file writer: renders a revision in the canonical text form of DESIGN.md §2. The
 * header comes in the documented key order; `revision`, `parents`, `message`, `transaction` and
 * `phase` are always written (so a new file shows its options), `created`, `branch-labels` and
 * `depends-on` only when set. Then the plain `-- migrate:up` section, its dialect overrides, the
 * plain `-- migrate:down` section and its overrides, separated by blank lines; a missing down
 * section is left out (irreversible). Bodies are written with LF endings and without trailing blank
 * lines; a message is written on one line.
 *
 * Round trip: `parseRevisionFile(renderRevisionFile(r), r.file).revision` equals `r` for any parsed
 * revision `r` whose bodies contain no section markers.
 *
 * @example
 * renderRevisionFile({ id: '3f2a9c1b7d4e', downRevisions: [], message: 'init', created: null,
 *   up: { plain: { text: 'CREATE TABLE t (id int);' }, byDialect: {} }, down: { plain: null, byDialect: {} } });
 */
export function renderRevisionFile(input: RevisionFileInput): string {
  const header = [
    `-- revision: ${input.id}`,
    headerLine('parents', input.downRevisions.join(' ')),
    headerLine('message', oneLine(input.message)),
  ];
  if (input.created !== null && input.created !== '') header.push(`-- created: ${input.created}`);
  if ((input.branchLabels ?? []).length > 0)
    header.push(`-- branch-labels: ${(input.branchLabels ?? []).join(' ')}`);
  if ((input.dependsOn ?? []).length > 0) header.push(`-- depends-on: ${(input.dependsOn ?? []).join(' ')}`);
  header.push(`-- transaction: ${input.transaction ?? 'per-migration'}`);
  header.push(`-- phase: ${input.phase ?? 'pre-deploy'}`);

  const sections: string[] = [];
  const hasUp =
    input.up.plain !== null || DIALECTS.some((dialect) => input.up.byDialect[dialect] !== undefined);
  // A file must have an up section: an empty plain one stands in when none is given.
  const up = hasUp ? input.up : { plain: { text: '' }, byDialect: {} };
  for (const [kind, bodies] of [
    ['up', up],
    ['down', input.down],
  ] as const) {
    if (bodies.plain !== null) sections.push(section(`-- migrate:${kind}`, bodies.plain.text));
    for (const dialect of DIALECTS) {
      const body = bodies.byDialect[dialect];
      if (body !== undefined) sections.push(section(`-- migrate:${kind} ${dialect}`, body.text));
    }
  }
  return `${header.join('\n')}\n\n${sections.join('\n\n')}\n`;
}

/**
 * The file name of a new revision: `<created as YYYYMMDDTHHMM, UTC>_<id>_<slug>.sql`, where the slug
 * is the message's ASCII words, lowercased and joined by `_`, cut to {@link SLUG_MAX_LENGTH}
 * characters at a word boundary. Accented letters lose their accents; a message without any ASCII
 * word gives `<created>_<id>.sql`. The name is only for humans and sorting (DESIGN.md §2).
 *
 * @throws EngineError `USAGE` when `created` is not a valid date.
 * @example
 * revisionFileName('2026-11-21T10:30:00Z', '3f2a9c1b7d4e', 'Add email to users');
 * // '20261121T1030_3f2a9c1b7d4e_add_email_to_users.sql'
 */
export function revisionFileName(created: Date | string, id: string, message: string): string {
  const date = typeof created === 'string' ? new Date(created) : created;
  if (Number.isNaN(date.getTime())) {
    throw new EngineError(
      'USAGE',
      `Cannot name a revision file after the date "${String(created)}"; pass a valid ISO-8601 date-time such as 2026-11-21T10:30:00Z.`,
      { argument: 'created' },
    );
  }
  const pad = (value: number): string => String(value).padStart(2, '0');
  const stamp =
    `${String(date.getUTCFullYear()).padStart(4, '0')}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}`;
  const slug = slugify(message);
  return slug === '' ? `${stamp}_${id}.sql` : `${stamp}_${id}_${slug}.sql`;
}

function slugify(message: string): string {
  const words = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}_${word}`;
    if (next.length > SLUG_MAX_LENGTH) return slug === '' ? word.slice(0, SLUG_MAX_LENGTH) : slug;
    slug = next;
  }
  return slug;
}

function headerLine(key: string, value: string): string {
  return value === '' ? `-- ${key}:` : `-- ${key}: ${value}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** A marker and its body (LF endings, no trailing blank lines). */
function section(marker: string, text: string): string {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return lines.length === 0 ? marker : `${marker}\n${lines.join('\n')}`;
}
