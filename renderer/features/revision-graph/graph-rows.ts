/**
 * The revision graph as rows: git-style lanes (shared/graph/lane-layout.ts) for the nodes, newest
 * first, plus the per-row facts the list draws (badges, search). Pure, so it is unit-tested and
 * benchmarked without a browser (reference/stack.md §7: 10,000 rows lay out in ~20 ms).
 */
import { layoutLanes, type LaneRow } from '../../../shared/graph/lane-layout.ts';
import type { DatabaseState } from '../../../shared/contract/plan-schemas.ts';
import type { RevisionNode } from '../../../shared/model/revision-node.ts';

/** One row of the graph. */
export interface GraphRow {
  readonly node: RevisionNode;
  readonly lanes: LaneRow;
}

/** The laid-out graph. */
export interface GraphLayout {
  readonly rows: readonly GraphRow[];
  /** The widest row's lane count: the gutter is this wide for every row, so text aligns. */
  readonly laneCount: number;
  /** Row index by revision id. */
  readonly index: ReadonlyMap<string, number>;
}

/** Lays out `nodes`, which come newest first (children before parents). */
export function layoutGraph(nodes: readonly RevisionNode[]): GraphLayout {
  const lanes = layoutLanes(nodes.map((n) => ({ id: n.revision, parents: n.downRevisions })));
  let laneCount = 1;
  const rows = nodes.map((node, i) => {
    const row = lanes[i]!;
    laneCount = Math.max(laneCount, row.before.length, row.after.length, row.lane + 1);
    return { node, lanes: row };
  });
  return { rows, laneCount, index: new Map(nodes.map((n, i) => [n.revision, i])) };
}

/** What a row says about a revision on the selected connection. */
export interface RowStatus {
  readonly applied: boolean;
  readonly current: boolean;
  readonly pending: boolean;
  readonly dirty: boolean;
  readonly modified: boolean;
}

/** Fast lookups over a connection's state. */
export interface StateIndex {
  readonly applied: ReadonlySet<string>;
  readonly current: ReadonlySet<string>;
  readonly pending: ReadonlySet<string>;
  readonly dirty: ReadonlySet<string>;
  readonly modified: ReadonlySet<string>;
}

/** Indexes a connection's state for per-row lookups. */
export function indexState(state: DatabaseState): StateIndex {
  return {
    applied: new Set(state.applied),
    current: new Set(state.current),
    pending: new Set(state.pending),
    dirty: new Set(state.dirty.map((d) => d.revision)),
    modified: new Set(state.modified.map((m) => m.revision)),
  };
}

/** The status of `revision` in `index` (null: the connection's state is not known). */
export function rowStatus(index: StateIndex | null, revision: string): RowStatus | null {
  if (index === null) return null;
  return {
    applied: index.applied.has(revision),
    current: index.current.has(revision),
    pending: index.pending.has(revision),
    dirty: index.dirty.has(revision),
    modified: index.modified.has(revision),
  };
}

/**
 * Whether `node` matches a search: id prefix, message text, or a label it declares. Inherited
 * branch membership does not count: after a merge every later revision is on the branch.
 */
export function matchesSearch(node: RevisionNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return false;
  return (
    node.revision.startsWith(q) ||
    node.message.toLowerCase().includes(q) ||
    node.branchLabels.some((l) => l.toLowerCase().startsWith(q))
  );
}
