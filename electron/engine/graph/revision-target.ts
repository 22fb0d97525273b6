import { EngineError, isEngineError } from '../engine-error.ts';

/**
 * A parsed revision target (DESIGN.md §3, STYLE.md §C.4): what the user asked for, before it is
 * resolved against a graph by `resolveRevisionTarget`.
 *
 * - `head` / `label@head`: the single head (of the branch).
 * - `heads`: every head.
 * - `base` / `label@base`: before anything (before the branch).
 * - `current`: the database's version rows.
 * - `id`: a full id, a unique id prefix (4+ characters) or a branch label.
 * - `relative`: `steps` child (`+N`) or parent (`-N`) steps from `from`; `from` null is `current`
 *   written implicitly (`+2`, `-1`). `steps` is never 0.
 */
export type RevisionTarget =
  | { readonly kind: 'head'; readonly branch?: string }
  | { readonly kind: 'heads' }
  | { readonly kind: 'base'; readonly branch?: string }
  | { readonly kind: 'current' }
  | { readonly kind: 'id'; readonly prefix: string }
  | { readonly kind: 'relative'; readonly from: RevisionTarget | null; readonly steps: number };

/** A parsed `A:B` range (SQL export): `from` null means from base. */
export interface RevisionRange {
  readonly from: RevisionTarget | null;
  readonly to: RevisionTarget;
}

/** Words with a fixed meaning; they can be neither ids nor labels. */
const KEYWORDS = new Set(['head', 'heads', 'base', 'current']);
/**
 * Characters of ids and branch labels. Alembic bans `@ - + :` (they are target syntax); Stratum
 * goes further and accepts only letters, digits, `_` and `.`, so a typo never becomes a label.
 */
const IDENTIFIER = /^[A-Za-z0-9_.]+$/;
const STEPS = /^[+-][0-9]+$/;

function invalid(target: string, reason: string): EngineError<'TARGET_INVALID'> {
  return new EngineError(
    'TARGET_INVALID',
    `'${target}' is not a revision target: ${reason}. Use head, heads, base, current, a revision id (or 4+ character prefix), a branch label, label@head, label@base, +N, -N, <rev>+N or <rev>-N.`,
    { target, reason },
  );
}

/**
 * Parses a revision target without looking at any graph.
 *
 * @example
 * parseRevisionTarget('auth@head-1'); // {kind:'relative', from:{kind:'head', branch:'auth'}, steps:-1}
 * @throws EngineError TARGET_INVALID for an empty target, whitespace, characters outside
 *   `[A-Za-z0-9_.]` and the target syntax, `+0`, `@head` without a label, `a@b@c`, a relative
 *   target on a relative target, or a `:` (ranges go through {@link parseRevisionRange}).
 */
export function parseRevisionTarget(text: string): RevisionTarget {
  if (text.length === 0) throw invalid(text, 'it is empty');
  if (/\s/.test(text)) throw invalid(text, 'it contains whitespace');
  const sign = text.search(/[+-]/);
  if (sign < 0) return parseAbsolute(text, text);

  const suffix = text.slice(sign);
  if (!STEPS.test(suffix)) throw invalid(text, `'${suffix}' is not a relative step count such as +2 or -1`);
  const steps = Number(suffix);
  if (steps === 0) throw invalid(text, 'a relative step count must not be 0');
  if (!Number.isSafeInteger(steps)) throw invalid(text, 'the relative step count is too large');
  const head = text.slice(0, sign);
  return { kind: 'relative', from: head === '' ? null : parseAbsolute(head, text), steps };
}

function parseAbsolute(part: string, text: string): RevisionTarget {
  if (part.includes(':')) throw invalid(text, "':' only separates the two ends of a range (A:B)");
  const at = part.split('@');
  if (at.length > 2) throw invalid(text, "it has more than one '@'");
  if (at.length === 2) {
    const [branch, symbol] = at as [string, string];
    if (branch === '') throw invalid(text, `'@${symbol}' needs a branch label or revision before '@'`);
    checkIdentifier(branch, text);
    if (symbol === 'head') return { kind: 'head', branch };
    if (symbol === 'base') return { kind: 'base', branch };
    throw invalid(text, `only '${branch}@head' and '${branch}@base' may follow a branch label`);
  }
  switch (part) {
    case 'head':
      return { kind: 'head' };
    case 'heads':
      return { kind: 'heads' };
    case 'base':
      return { kind: 'base' };
    case 'current':
      return { kind: 'current' };
  }
  checkIdentifier(part, text);
  return { kind: 'id', prefix: part };
}

function checkIdentifier(name: string, text: string): void {
  if (KEYWORDS.has(name)) throw invalid(text, `'${name}' is a keyword, not a revision or branch label`);
  if (!IDENTIFIER.test(name)) {
    throw invalid(text, `'${name}' has characters other than letters, digits, '_' and '.'`);
  }
}

/**
 * Formats a target the way a user writes it; {@link parseRevisionTarget} reads it back to the same
 * value.
 *
 * @example
 * formatRevisionTarget({ kind: 'relative', from: null, steps: -1 }); // '-1'
 */
export function formatRevisionTarget(target: RevisionTarget): string {
  switch (target.kind) {
    case 'head':
    case 'base':
      return target.branch === undefined ? target.kind : `${target.branch}@${target.kind}`;
    case 'heads':
    case 'current':
      return target.kind;
    case 'id':
      return target.prefix;
    case 'relative': {
      const from = target.from === null ? '' : formatRevisionTarget(target.from);
      return `${from}${target.steps > 0 ? '+' : ''}${target.steps}`;
    }
  }
}

/**
 * Parses an `A:B` range (SQL export). `:B` and `base:B` both mean from base (`from` null).
 *
 * @example
 * parseRevisionRange('a1b2:head'); // {from:{kind:'id', prefix:'a1b2'}, to:{kind:'head'}}
 * @throws EngineError RANGE_INVALID when there is not exactly one `:`, the end is missing (`A:`)
 *   or either side is not a valid target.
 */
export function parseRevisionRange(text: string): RevisionRange {
  const parts = text.split(':');
  const fail = (reason: string): EngineError<'RANGE_INVALID'> =>
    new EngineError(
      'RANGE_INVALID',
      `'${text}' is not a revision range: ${reason}. Write START:END, e.g. 'base:head' or ':a1b2c3d4e5f6'.`,
      { range: text, reason },
    );
  if (parts.length !== 2) throw fail(parts.length < 2 ? "it has no ':'" : "it has more than one ':'");
  const [fromText, toText] = parts as [string, string];
  if (toText === '') throw fail("the end after ':' is missing");
  const parse = (part: string): RevisionTarget => {
    try {
      return parseRevisionTarget(part);
    } catch (error) {
      if (isEngineError(error, 'TARGET_INVALID')) throw fail(`'${part}': ${error.details.reason}`);
      throw error;
    }
  };
  const from = fromText === '' ? null : parse(fromText);
  const to = parse(toText);
  return { from: from?.kind === 'base' && from.branch === undefined ? null : from, to };
}
