import { EngineError } from '../engine-error.ts';
import { graphInvalid } from './revision-graph.ts';
import type { RevisionGraph } from './revision-graph.ts';
import type { RevisionTarget } from './revision-target.ts';

/** What resolving a target needs besides the graph. */
export interface ResolveContext {
  /** The database's version rows (`current`); empty at base. */
  readonly current: readonly string[];
  /** The target as the user wrote it, for error details and messages. */
  readonly text: string;
}

/** The shortest id prefix the resolver accepts (Alembic's rule too). */
export const MIN_PREFIX_LENGTH = 4;

const HISTORY_HINT = "Run 'stratum history' to list revisions.";

/**
 * Resolves a parsed target against a graph to a set of revision ids, sorted; `[]` means base.
 *
 * - `head`: the single head. `heads`: all heads. `base`: `[]`. `current`: the version rows.
 * - `id`: an exact id, else a branch label (the revision declaring it), else a unique prefix of
 *   4+ characters (case-insensitive).
 * - `label@head`: the one head that is, or descends from, the labelled revision. The part before
 *   `@` may also be a revision id or prefix (Alembic's `rev@head`).
 * - `label@base`: the parents of the labelled revision, i.e. the point just before the branch
 *   (`[]` when the branch has its own base). The planner downgrades `label@base` specially.
 * - relative: `+N` walks N child steps, `-N` N parent steps, from one revision (`from` null is
 *   `current`). `+1` from base is the single base. `-N` may reach base exactly (one step below a
 *   base revision gives `[]`) but never go past it.
 *
 * @throws EngineError REVISION_NOT_FOUND when no id, label or prefix matches (also for prefixes
 *   shorter than 4 characters).
 * @throws EngineError AMBIGUOUS_REVISION when a prefix or a label matches several revisions, or a
 *   relative walk starts from, or meets, several revisions (candidates sorted).
 * @throws EngineError MULTIPLE_HEADS when `head` or `label@head` finds several heads.
 * @throws EngineError RELATIVE_OUT_OF_RANGE when a relative walk runs out of revisions.
 * @throws EngineError UNKNOWN_APPLIED_REVISION when `current` names revisions not in the graph.
 * @throws EngineError GRAPH_INVALID when a relative walk meets a revision with unknown parents.
 */
export function resolveRevisionTarget(
  graph: RevisionGraph,
  target: RevisionTarget,
  context: ResolveContext,
): string[] {
  const { text } = context;
  switch (target.kind) {
    case 'heads':
      return [...graph.heads];
    case 'base':
      return target.branch === undefined
        ? []
        : [...new Set(graph.require(resolveName(graph, target.branch, text)).downRevisions)].sort();
    case 'current':
      return currentRows(graph, context.current);
    case 'id':
      return [resolveName(graph, target.prefix, text)];
    case 'head':
      return [resolveHead(graph, target.branch, text)];
    case 'relative':
      return resolveRelative(graph, target, context);
  }
}

/**
 * Resolves a name to one revision id: exact id, then branch label, then unique prefix (4+ chars).
 *
 * @throws EngineError REVISION_NOT_FOUND, AMBIGUOUS_REVISION (see {@link resolveRevisionTarget}).
 */
export function resolveName(graph: RevisionGraph, name: string, text: string): string {
  if (graph.has(name)) return name;
  const owners = graph.revisionsLabeled(name);
  if (owners.length === 1) return owners[0]!;
  if (owners.length > 1) {
    throw new EngineError(
      'AMBIGUOUS_REVISION',
      `Branch label '${name}' in '${text}' is declared by several revisions: ${owners.join(', ')}. Name one by id, and keep the label on one revision.`,
      { target: text, candidates: owners },
    );
  }
  if (name.length < MIN_PREFIX_LENGTH) {
    throw new EngineError(
      'REVISION_NOT_FOUND',
      `No revision or branch label '${name}' (from '${text}'). Id prefixes need at least ${MIN_PREFIX_LENGTH} characters. ${HISTORY_HINT}`,
      { target: text },
    );
  }
  const prefix = name.toLowerCase();
  const candidates = graph.revisions
    .map((r) => r.id)
    .filter((id) => id.startsWith(prefix))
    .sort();
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new EngineError(
      'REVISION_NOT_FOUND',
      `No revision or branch label '${name}' (from '${text}'). ${HISTORY_HINT}`,
      {
        target: text,
      },
    );
  }
  throw new EngineError(
    'AMBIGUOUS_REVISION',
    `Prefix '${name}' in '${text}' matches several revisions: ${candidates.join(', ')}. Type more characters of the id.`,
    { target: text, candidates },
  );
}

function resolveHead(graph: RevisionGraph, branch: string | undefined, text: string): string {
  let heads: readonly string[] = graph.heads;
  if (branch !== undefined) {
    const from = graph.descendants([resolveName(graph, branch, text)]);
    heads = heads.filter((h) => from.has(h));
  }
  if (heads.length === 1) return heads[0]!;
  if (heads.length === 0) {
    // Only an empty graph, or a branch that ends in a cycle, has no head.
    throw new EngineError('REVISION_NOT_FOUND', `'${text}' has no head revision. ${HISTORY_HINT}`, {
      target: text,
    });
  }
  const where = branch === undefined ? `for target '${text}'` : `on branch '${branch}' (target '${text}')`;
  const advice =
    branch === undefined
      ? "Use 'label@head' to pick one branch, or 'heads' for all."
      : "Name one of them by id, or merge them with 'stratum merge'.";
  throw new EngineError(
    'MULTIPLE_HEADS',
    `Multiple heads are present ${where}: ${heads.join(', ')}. ${advice}`,
    {
      target: text,
      heads: [...heads],
    },
  );
}

function currentRows(graph: RevisionGraph, current: readonly string[]): string[] {
  const rows = [...new Set(current)].sort();
  const unknown = rows.filter((id) => !graph.has(id));
  if (unknown.length > 0) {
    throw new EngineError(
      'UNKNOWN_APPLIED_REVISION',
      `The database is at ${unknown.join(', ')}, which no revision file declares. Restore the missing files, or 'stratum stamp' the database to a known revision.`,
      { revisions: unknown },
    );
  }
  return rows;
}

function resolveRelative(
  graph: RevisionGraph,
  target: Extract<RevisionTarget, { kind: 'relative' }>,
  context: ResolveContext,
): string[] {
  const { text } = context;
  if (target.from?.kind === 'relative') {
    throw new EngineError('TARGET_INVALID', `'${text}' nests relative steps. Write a single +N or -N.`, {
      target: text,
      reason: 'nested relative target',
    });
  }
  const start =
    target.from === null
      ? currentRows(graph, context.current)
      : resolveRevisionTarget(graph, target.from, context);
  if (start.length > 1) {
    throw new EngineError(
      'AMBIGUOUS_REVISION',
      `'${text}' starts from several revisions: ${start.join(', ')}. Name one, e.g. '${start[0]}${signed(target.steps)}'.`,
      { target: text, candidates: start },
    );
  }
  const up = target.steps > 0;
  const total = Math.abs(target.steps);
  let at: string | null = start[0] ?? null; // null: base
  for (let done = 0; done < total; done++) {
    if (!up && at === null) throw outOfRange(text, target.steps, done);
    let choices: readonly string[];
    if (up) choices = at === null ? graph.bases : graph.children(at);
    else {
      const rev = graph.require(at!);
      const parents = [...new Set(rev.downRevisions)].sort();
      if (parents.some((p) => !graph.has(p))) {
        throw graphInvalid(graph.problems.filter((p) => p.revisions.includes(rev.id)));
      }
      choices = parents;
    }
    if (choices.length === 0) {
      if (up) throw outOfRange(text, target.steps, done);
      at = null;
      continue;
    }
    if (choices.length > 1) {
      const where = at === null ? 'base' : at;
      throw new EngineError(
        'AMBIGUOUS_REVISION',
        `'${text}' is ambiguous: step ${done + 1} from ${where} can go to ${choices.join(', ')}. Start from one of them, e.g. '${choices[0]}${signed(up ? total - done - 1 : -(total - done - 1))}'.`,
        { target: text, candidates: [...choices] },
      );
    }
    at = choices[0]!;
  }
  return at === null ? [] : [at];
}

function signed(steps: number): string {
  return steps === 0 ? '' : steps > 0 ? `+${steps}` : `${steps}`;
}

function outOfRange(text: string, steps: number, available: number): EngineError<'RELATIVE_OUT_OF_RANGE'> {
  const direction = steps > 0 ? 'up' : 'down';
  return new EngineError(
    'RELATIVE_OUT_OF_RANGE',
    `'${text}' asks for ${Math.abs(steps)} step(s) ${direction}, but only ${available} are possible. Use a smaller count, or 'heads' / 'base'.`,
    { target: text, available },
  );
}
