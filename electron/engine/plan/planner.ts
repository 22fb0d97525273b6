import type { Dialect } from '../../../shared/model/dialect.ts';
import { EngineError } from '../engine-error.ts';
import { graphInvalid } from '../graph/revision-graph.ts';
import type { RevisionGraph } from '../graph/revision-graph.ts';
import type { RevisionTarget } from '../graph/revision-target.ts';
import { resolveName, resolveRevisionTarget } from '../graph/target-resolver.ts';
import type { Revision } from '../revision/revision.ts';
import type { Plan, PlanStep } from './plan.ts';
import { appliedFrom, headsOf } from './version-heads.ts';

/**
 * Plans an upgrade (Alembic semantics): apply everything the target needs — the resolved
 * revisions and all they reach through parents and `depends-on` — that is not applied yet, in the
 * graph's deterministic topological order (ties by `created`, then id). Other branches keep their
 * rows. A target that is already applied, or an ancestor of what is applied, gives an empty plan:
 * upgrade never goes down.
 *
 * @param currentRows - the database's version rows.
 * @param targetText - the target as the user wrote it, for the plan and messages.
 * @throws EngineError UNKNOWN_APPLIED_REVISION when a row is not in the graph.
 * @throws EngineError GRAPH_INVALID when a revision to apply is named by a graph problem.
 * @throws EngineError REVISION_NOT_FOUND, AMBIGUOUS_REVISION, MULTIPLE_HEADS, RELATIVE_OUT_OF_RANGE
 *   from resolving the target.
 */
export function planUpgrade(
  graph: RevisionGraph,
  currentRows: readonly string[],
  target: RevisionTarget,
  targetText: string,
): Plan {
  const applied = appliedFrom(graph, currentRows);
  const ids = resolveRevisionTarget(graph, target, { current: currentRows, text: targetText });
  const required = graph.ancestors(ids, { includeDependencies: true });
  const missing = new Set([...required].filter((id) => !applied.has(id)));
  assertUsable(graph, missing);

  const heads = new Set(headsOf(graph, applied));
  const fromHeads = sorted(heads);
  const steps: PlanStep[] = graph.order(missing).map((revision) => {
    const before = sorted(heads);
    for (const parent of revision.downRevisions) heads.delete(parent);
    heads.add(revision.id);
    return { direction: 'up', revision, fromHeads: before, toHeads: sorted(heads) };
  });
  return { kind: 'upgrade', target: targetText, fromHeads, toHeads: sorted(heads), steps };
}

/**
 * Plans a downgrade (Alembic semantics): revert only what depends on the target — the applied
 * revisions that descend from it through parents or `depends-on`, the target itself and what it
 * needs excluded — children first (the reverse of the deterministic topological order).
 *
 * - `base` reverts everything applied.
 * - `label@base` reverts the revision that declares the label and every applied revision built on
 *   it, leaving the revisions below the branch and other branches alone. (Alembic reverts from the
 *   tree's root, which is the same when the branch has its own base, as in its docs.)
 * - `-N` counts parent steps from the single current row.
 *
 * Reversibility is checked for every step before the plan is returned.
 *
 * @param dialect - the dialect whose `migrate:down` sections are checked.
 * @throws EngineError NOT_APPLIED when the target is not applied.
 * @throws EngineError IRREVERSIBLE naming the first step without a down section for `dialect`.
 * @throws EngineError UNKNOWN_APPLIED_REVISION when a row is not in the graph.
 * @throws EngineError GRAPH_INVALID when a revision to revert is named by a graph problem.
 * @throws EngineError REVISION_NOT_FOUND, AMBIGUOUS_REVISION, MULTIPLE_HEADS, RELATIVE_OUT_OF_RANGE
 *   from resolving the target.
 */
export function planDowngrade(
  graph: RevisionGraph,
  currentRows: readonly string[],
  target: RevisionTarget,
  targetText: string,
  dialect: Dialect,
): Plan {
  const applied = appliedFrom(graph, currentRows);
  let remove: Set<string>;
  if (target.kind === 'base' && target.branch !== undefined) {
    const root = resolveName(graph, target.branch, targetText);
    remove = graph.descendants([root], { includeDependencies: true });
  } else {
    const ids = resolveRevisionTarget(graph, target, { current: currentRows, text: targetText });
    const notApplied = ids.find((id) => !applied.has(id));
    if (notApplied !== undefined) {
      throw new EngineError(
        'NOT_APPLIED',
        `Cannot downgrade to '${targetText}': revision ${notApplied} is not applied. Run 'stratum current' to see where the database is, or 'stratum upgrade ${targetText}' to move forward.`,
        { target: targetText, revision: notApplied },
      );
    }
    const keep = graph.ancestors(ids, { includeDependencies: true });
    remove = ids.length === 0 ? new Set(applied) : graph.descendants(ids, { includeDependencies: true });
    for (const id of keep) remove.delete(id);
  }
  for (const id of remove) if (!applied.has(id)) remove.delete(id);
  assertUsable(graph, remove);

  const order = graph.order(remove).reverse();
  const irreversible = order.find((rev) => !graph.isReversible(rev.id, dialect));
  if (irreversible !== undefined) throw irreversibleError(irreversible, dialect, targetText);

  const now = new Set(applied);
  const heads = new Set(headsOf(graph, applied));
  const fromHeads = sorted(heads);
  const steps: PlanStep[] = order.map((revision) => {
    const before = sorted(heads);
    now.delete(revision.id);
    heads.delete(revision.id);
    for (const parent of revision.downRevisions) {
      if (now.has(parent) && !graph.children(parent).some((c) => now.has(c))) heads.add(parent);
    }
    return { direction: 'down', revision, fromHeads: before, toHeads: sorted(heads) };
  });
  return { kind: 'downgrade', target: targetText, fromHeads, toHeads: sorted(heads), steps };
}

/**
 * Plans a stamp (Alembic's `stamp`): set the version rows to the resolved target without running
 * any SQL and without checking ancestry. There is one step per row written, in id order; the first
 * step also drops the rows that are not part of the target. Stamping `base` is a single step with
 * a null revision; stamping where the database already is gives an empty plan. Current rows need
 * not be in the graph (stamping is how a database that names a deleted revision is repaired),
 * unless the target itself is relative to `current`.
 *
 * @throws EngineError GRAPH_INVALID when a target revision is named by a graph problem.
 * @throws EngineError REVISION_NOT_FOUND, AMBIGUOUS_REVISION, MULTIPLE_HEADS, RELATIVE_OUT_OF_RANGE,
 *   UNKNOWN_APPLIED_REVISION from resolving the target.
 */
export function planStamp(
  graph: RevisionGraph,
  currentRows: readonly string[],
  target: RevisionTarget,
  targetText: string,
): Plan {
  const ids = resolveRevisionTarget(graph, target, { current: currentRows, text: targetText });
  assertUsable(graph, new Set(ids));
  const fromHeads = [...new Set(currentRows)].sort();
  const toHeads = [...ids];
  const plan = (steps: PlanStep[]): Plan => ({
    kind: 'stamp',
    target: targetText,
    fromHeads,
    toHeads,
    steps,
  });
  if (sameRows(fromHeads, toHeads)) return plan([]);
  const step = (
    revision: Revision | null,
    before: readonly string[],
    after: readonly string[],
  ): PlanStep => ({
    direction: 'stamp',
    revision,
    fromHeads: before,
    toHeads: after,
  });
  if (ids.length === 0) return plan([step(null, fromHeads, [])]);

  const added = ids.filter((id) => !fromHeads.includes(id));
  if (added.length === 0) return plan([step(graph.require(ids[0]!), fromHeads, toHeads)]);
  // The first step also drops the rows outside the target; each step then writes one row.
  let before: readonly string[] = fromHeads;
  let rows = fromHeads.filter((id) => ids.includes(id));
  return plan(
    added.map((id) => {
      rows = [...rows, id].sort();
      const s = step(graph.require(id), before, rows);
      before = rows;
      return s;
    }),
  );
}

function sameRows(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function sorted(ids: Iterable<string>): string[] {
  return [...ids].sort();
}

/** Refuses to plan through revisions that a graph problem names. */
function assertUsable(graph: RevisionGraph, ids: ReadonlySet<string>): void {
  const problems = graph.problems.filter((p) => p.revisions.some((id) => ids.has(id)));
  if (problems.length > 0) throw graphInvalid(problems);
}

function irreversibleError(rev: Revision, dialect: Dialect, targetText: string): EngineError<'IRREVERSIBLE'> {
  return new EngineError(
    'IRREVERSIBLE',
    `Cannot downgrade to '${targetText}': revision ${rev.id} (${rev.file}) has no '-- migrate:down' section for ${dialect}. Add one, or revert it by hand and 'stratum stamp' past it.`,
    { revision: rev.id, file: rev.file },
  );
}
