/**
 * Git-style lane layout for a revision DAG, newest first (`git log --graph`): each row gets a lane
 * for its revision and the lanes that pass through it. Linear time; used by `stratum history` and,
 * later, the app's virtualized graph (reference/stack.md §7).
 */

/** A revision as the layout needs it: its id and its parents. */
export interface LaneInput {
  readonly id: string;
  readonly parents: readonly string[];
}

/** The layout of one row. Lanes hold the id of the revision each lane is waiting for. */
export interface LaneRow {
  readonly id: string;
  /** Lane index of this row's revision. */
  readonly lane: number;
  /** Lanes before this row (what flows in from newer rows above). */
  readonly before: readonly (string | null)[];
  /** Lanes after this row (what flows down to older rows below). */
  readonly after: readonly (string | null)[];
  /** Lanes (other than `lane`) that also pointed at this revision and merge into it here. */
  readonly joined: readonly number[];
  /** Lanes that open here for the second and later parents of a merge. */
  readonly opened: readonly number[];
}

/**
 * Lays out `rows`, which must be ordered newest first (children before parents).
 *
 * @example
 * layoutLanes([{ id: 'b', parents: ['a'] }, { id: 'a', parents: [] }]);
 */
export function layoutLanes(rows: readonly LaneInput[]): LaneRow[] {
  let lanes: (string | null)[] = [];
  const out: LaneRow[] = [];
  for (const row of rows) {
    const before = lanes.slice();
    let lane = lanes.indexOf(row.id);
    const joined: number[] = [];
    if (lane === -1) {
      lane = firstFree(lanes);
      lanes[lane] = row.id;
    } else {
      for (let i = lane + 1; i < lanes.length; i++) {
        if (lanes[i] === row.id) {
          joined.push(i);
          lanes[i] = null;
        }
      }
    }
    const opened: number[] = [];
    const [first, ...rest] = row.parents;
    lanes[lane] = first ?? null;
    for (const parent of rest) {
      if (lanes.includes(parent)) continue;
      const free = firstFree(lanes, lane + 1);
      lanes[free] = parent;
      opened.push(free);
    }
    while (lanes.length > 0 && lanes[lanes.length - 1] === null) lanes.pop();
    out.push({ id: row.id, lane, before, after: lanes.slice(), joined, opened });
    lanes = lanes.slice();
  }
  return out;
}

function firstFree(lanes: (string | null)[], from = 0): number {
  for (let i = from; i < lanes.length; i++) if (lanes[i] === null) return i;
  return Math.max(lanes.length, from);
}
