import type { Revision } from '../revision/revision.ts';

/**
 * Compares two revisions for tie-breaking: by `created` (revisions without one first, since they
 * are usually older hand-written files), then by id. Used wherever several revisions are ready at
 * once, so every order the engine emits is deterministic.
 */
export function compareRevisions(a: Revision, b: Revision): number {
  const ca = a.created ?? '';
  const cb = b.created ?? '';
  if (ca !== cb) return ca < cb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function swap(items: Revision[], a: number, b: number): void {
  const t = items[a]!;
  items[a] = items[b]!;
  items[b] = t;
}

/** A binary min-heap of revisions ordered by {@link compareRevisions}. */
class RevisionHeap {
  readonly #items: Revision[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(item: Revision): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareRevisions(items[parent]!, items[i]!) <= 0) break;
      swap(items, parent, i);
      i = parent;
    }
  }

  pop(): Revision | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && compareRevisions(items[l]!, items[m]!) < 0) m = l;
        if (r < items.length && compareRevisions(items[r]!, items[m]!) < 0) m = r;
        if (m === i) break;
        swap(items, m, i);
        i = m;
      }
    }
    return top;
  }
}

/** The result of {@link topologicalOrder}. */
export interface TopologicalOrder {
  readonly revisions: Revision[];
  /** Whether a cycle had to be broken; false proves the members acyclic. */
  readonly hasCycle: boolean;
}

/**
 * The deterministic topological order of `members` (Kahn's algorithm): every revision comes after
 * its parents and its `dependsOn` targets that are also members; among revisions ready at the same
 * time the earliest `created`, then the smallest id, comes first.
 *
 * Edges to revisions outside `members` are ignored. Never throws: when a cycle blocks progress, the
 * smallest remaining revision is released anyway, so members of a cycle (and what descends from
 * them) still appear, after everything that could be ordered before them. Iterative, O(n log n).
 *
 * @param members - the revisions to order, keyed by their id.
 * @param requires - for each id, its distinct parents and dependencies.
 * @param dependents - for each id, the distinct ids that list it as a parent or dependency.
 */
export function topologicalOrder(
  members: ReadonlyMap<string, Revision>,
  requires: (id: string) => readonly string[],
  dependents: (id: string) => readonly string[],
): TopologicalOrder {
  const indegree = new Map<string, number>();
  // The heap pops by compareRevisions, a total order on distinct ids, so the order revisions are
  // pushed in does not matter.
  const heap = new RevisionHeap();
  for (const rev of members.values()) {
    const edges = requires(rev.id);
    let n = 0;
    for (let i = 0; i < edges.length; i++) if (members.has(edges[i]!)) n++;
    indegree.set(rev.id, n);
    if (n === 0) heap.push(rev);
  }

  const order: Revision[] = [];
  const DONE = -1; // indegree of an emitted revision
  let stuck: Revision[] | null = null; // set once a cycle blocked progress
  let stuckAt = 0;
  while (order.length < members.size) {
    let next = heap.pop();
    while (next !== undefined && indegree.get(next.id) === DONE) next = heap.pop();
    if (next === undefined) {
      // A cycle blocks every remaining revision: release the smallest one not yet emitted.
      stuck ??= [...members.values()].sort(compareRevisions);
      while (indegree.get(stuck[stuckAt]!.id) === DONE) stuckAt++;
      next = stuck[stuckAt]!;
    }
    indegree.set(next.id, DONE);
    order.push(next);
    const released = dependents(next.id);
    for (let i = 0; i < released.length; i++) {
      const child = released[i]!;
      const d = indegree.get(child);
      if (d === undefined || d === DONE) continue;
      indegree.set(child, d - 1);
      if (d === 1) heap.push(members.get(child)!);
    }
  }
  return { revisions: order, hasCycle: stuck !== null };
}
