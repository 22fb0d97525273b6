/** `heads`, `branches`, `history` and `show`: read-only views of the revision graph. */
import type { GraphProblem } from '../../shared/contract/error-codes.ts';
import type { RevisionNode } from '../../shared/model/revision-node.ts';
import { EngineError } from '../engine/engine-error.ts';
import { parseRevisionRange, parseRevisionTarget } from '../engine/graph/revision-target.ts';
import { resolveRevisionTarget } from '../engine/graph/target-resolver.ts';
import { revisionChecksum } from '../engine/revision/revision-checksum.ts';
import { nodeHasher } from '../node/system.ts';
import type { CommandOptions } from './command-options.ts';
import { openProject, type ProjectState } from './project-state.ts';

/** The graph, newest first, with any problems found while loading it. */
export interface GraphView {
  readonly nodes: readonly RevisionNode[];
  readonly problems: readonly GraphProblem[];
}

/** The project's heads (`stratum heads`). */
export async function heads(options: CommandOptions): Promise<GraphView> {
  const state = await openProject(options);
  const heads = new Set(state.graph.heads);
  const nodes = state.graph.toNodes(state.adapter.dialect, (id) => heads.has(id)).reverse();
  return { nodes, problems: state.problems };
}

/** A branch point and the revisions that branch off it. */
export interface BranchPoint {
  readonly node: RevisionNode;
  readonly children: readonly RevisionNode[];
}

/** The project's branch points (`stratum branches`). */
export async function branches(
  options: CommandOptions,
): Promise<{ branchPoints: readonly BranchPoint[]; problems: readonly GraphProblem[] }> {
  const state = await openProject(options);
  const byId = new Map(nodesNewestFirst(state).map((n) => [n.revision, n]));
  const branchPoints = [...byId.values()]
    .filter((n) => n.isBranchPoint)
    .map((node) => ({
      node,
      children: state.graph
        .children(node.revision)
        .map((id) => byId.get(id))
        .filter((n): n is RevisionNode => n !== undefined),
    }));
  return { branchPoints, problems: state.problems };
}

/**
 * The revisions, newest first (`stratum history`); with `range` (`A:B`), only those that descend
 * from A (exclusive; `base` or empty means from the start) and lead to B (inclusive).
 */
export async function history(options: CommandOptions & { readonly range?: string }): Promise<GraphView> {
  const state = await openProject(options);
  const all = nodesNewestFirst(state);
  if (options.range === undefined) return { nodes: all, problems: state.problems };
  const range = parseRevisionRange(options.range);
  const upper = resolveRevisionTarget(state.graph, range.to, { current: [], text: options.range });
  const keep = new Set(state.graph.ancestors(upper, { includeDependencies: false }));
  for (const id of upper) keep.add(id);
  if (range.from !== null) {
    const lower = resolveRevisionTarget(state.graph, range.from, { current: [], text: options.range });
    const after = new Set(state.graph.descendants(lower, { includeDependencies: false }));
    // descendants() includes its starting revisions; A itself is outside the range (like `sql A:B`).
    for (const id of lower) after.delete(id);
    for (const id of [...keep]) if (!after.has(id)) keep.delete(id);
  }
  return { nodes: all.filter((n) => keep.has(n.revision)), problems: state.problems };
}

/** One revision in full (`stratum show REV`). */
export interface RevisionDetail {
  readonly node: RevisionNode;
  readonly checksum: string;
  readonly text: string;
}

/**
 * Shows one revision: header, graph facts, checksum and file text.
 *
 * @throws EngineError `REVISION_NOT_FOUND`, `AMBIGUOUS_REVISION`, `TARGET_INVALID`.
 */
export async function show(options: CommandOptions & { readonly revision: string }): Promise<RevisionDetail> {
  const state = await openProject(options);
  const ids = resolveRevisionTarget(state.graph, parseRevisionTarget(options.revision), {
    current: [],
    text: options.revision,
  });
  const [id] = ids;
  if (ids.length !== 1 || id === undefined) {
    throw new EngineError(
      'TARGET_INVALID',
      `'${options.revision}' names ${ids.length} revisions; \`show\` takes exactly one.`,
      { target: options.revision, reason: 'not a single revision' },
    );
  }
  const node = state.graph.toNodes(state.adapter.dialect, (n) => n === id)[0]!;
  const revision = state.graph.get(id)!;
  const file = (await state.source.list()).find((f) => f.path === revision.file);
  return {
    node,
    checksum: revisionChecksum(revision, state.adapter.dialect, nodeHasher),
    text: file?.text ?? '',
  };
}

function nodesNewestFirst(state: ProjectState): RevisionNode[] {
  return state.graph.toNodes(state.adapter.dialect).reverse();
}
