/**
 * What the editor suggests in a revision file (DESIGN.md §2): header keys in the header, their
 * values (`transaction`, `phase`), revision ids after `parents:` and `depends-on:` (with their
 * messages), and the section markers. Pure, so it is tested without Monaco.
 */
import { DIALECTS } from '../../../shared/model/dialect.ts';
import { PHASES, TRANSACTION_MODES } from '../../../shared/model/revision-node.ts';

/** A revision the editor can name. */
export interface KnownRevision {
  readonly revision: string;
  readonly message: string;
}

/** One suggestion: `insertText` replaces the word being typed (`replaceFrom` on the line). */
export interface HeaderCompletion {
  readonly label: string;
  readonly insertText: string;
  readonly detail: string;
  readonly kind: 'key' | 'value' | 'revision' | 'section';
  /** 0-based column on the line where the replaced text starts. */
  readonly replaceFrom: number;
}

/** Header keys (the parser's REVISION_HEADER_KEYS) and what each holds. */
const HEADER_KEYS: readonly (readonly [string, string])[] = [
  ['revision', '12 hex characters: the id'],
  ['parents', 'the revisions this one follows; empty for a base'],
  ['message', 'what it does'],
  ['created', 'ISO-8601 date and time'],
  ['branch-labels', 'names for the branch this revision starts'],
  ['depends-on', 'revisions on other branches that must run first'],
  ['transaction', 'per-migration (default) or none'],
  ['phase', 'pre-deploy (default) or post-deploy'],
];

/**
 * The suggestions at the cursor.
 *
 * @param before - the line's text before the cursor.
 * @param inHeader - whether the line is above the first `-- migrate:` marker.
 * @param self - the file's own revision id (never suggested as its own parent).
 */
export function headerCompletions(
  before: string,
  inHeader: boolean,
  revisions: readonly KnownRevision[],
  self: string | null,
): HeaderCompletion[] {
  // `--` then the start of a word: a section marker (anywhere), or a header key (in the header).
  const comment = /^(\s*)(--\s*)([a-z:-]*)$/i.exec(before);
  if (comment !== null) {
    const [, indent, dashes, word] = comment as unknown as [string, string, string, string];
    const result: HeaderCompletion[] = [];
    if ('migrate:'.startsWith(word.toLowerCase()) || word.toLowerCase().startsWith('migrate:')) {
      for (const kind of ['up', 'down']) {
        for (const dialect of [null, ...DIALECTS]) {
          const label = dialect === null ? `-- migrate:${kind}` : `-- migrate:${kind} ${dialect}`;
          const detail = dialect === null ? `the ${kind} section` : `the ${kind} section for ${dialect} only`;
          result.push({ label, insertText: label, detail, kind: 'section', replaceFrom: indent.length });
        }
      }
    }
    if (inHeader) {
      for (const [key, detail] of HEADER_KEYS) {
        if (!key.startsWith(word.toLowerCase())) continue;
        const replaceFrom = indent.length + dashes.length;
        result.push({ label: `${key}:`, insertText: `${key}: `, detail, kind: 'key', replaceFrom });
      }
    }
    return result;
  }
  if (!inHeader) return [];
  // `-- key: …` and the start of a value.
  const value = /^\s*--\s*([a-z-]+)\s*:(.*?)(\S*)$/i.exec(before);
  if (value === null) return [];
  const [, rawKey, listed, typed] = value as unknown as [string, string, string, string];
  const key = rawKey.toLowerCase();
  const replaceFrom = before.length - typed.length;
  const options = (list: readonly string[], detail: string): HeaderCompletion[] =>
    list.map((v) => ({ label: v, insertText: v, detail, kind: 'value', replaceFrom }));
  if (key === 'transaction') return options(TRANSACTION_MODES, 'transaction mode');
  if (key === 'phase') return options(PHASES, 'phase');
  if (key !== 'parents' && key !== 'depends-on') return [];
  const already = new Set(listed.split(/\s+/));
  return revisions
    .filter((r) => r.revision !== self && !already.has(r.revision))
    .map((r) => ({
      label: r.revision,
      insertText: r.revision,
      detail: r.message,
      kind: 'revision',
      replaceFrom,
    }));
}
