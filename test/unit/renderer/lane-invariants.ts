import { expect } from 'vitest';
import type { LaneInput, LaneRow } from '../../../shared/graph/lane-layout.ts';

const at = (lanes: readonly (string | null)[], j: number): string | null => lanes[j] ?? null;

const indicesOf = (lanes: readonly (string | null)[], id: string): number[] =>
  lanes.flatMap((value, j) => (value === id ? [j] : []));

/**
 * Checks what shared/graph/lane-layout.ts guarantees for `rows` laid out from `inputs` (newest
 * first): rows chain (`before` of row i+1 is `after` of row i); a revision takes the lane that
 * waited for it (the leftmost, other waiting lanes join it) or else the leftmost free lane; it is no
 * longer waited for below its row; its first parent continues its lane; every parent is waited for
 * below; second and later parents open a lane right of the row only when nobody waits for them yet;
 * every other lane passes through unchanged; `after` never ends in a free lane; and a revision is
 * waited for by several lanes only when several children have it as first parent.
 */
export function expectLaneInvariants(inputs: readonly LaneInput[], rows: readonly LaneRow[]): void {
  expect(rows.map((r) => r.id)).toEqual(inputs.map((r) => r.id));
  const laidOut = new Set<string>();
  const firstChildren = new Map<string, number>();
  const laterChildren = new Map<string, number>();
  rows.forEach((row, i) => {
    const { id, parents } = inputs[i]!;
    const { before, after, lane, joined, opened } = row;
    const where = `row ${i} (${id})`;
    expect(before, `${where}: before is the previous row's after`).toEqual(i === 0 ? [] : rows[i - 1]!.after);

    // The revision's own lane.
    const waiting = indicesOf(before, id);
    if (waiting.length > 0) {
      expect(lane, `${where}: takes the leftmost lane waiting for it`).toBe(waiting[0]);
      expect(joined, `${where}: the other waiting lanes join`).toEqual(waiting.slice(1));
    } else {
      const free = before.findIndex((v) => v === null);
      expect(lane, `${where}: takes the leftmost free lane`).toBe(free === -1 ? before.length : free);
      expect(joined).toEqual([]);
    }
    expect(after.includes(id), `${where}: nothing waits for it below its row`).toBe(false);

    // Parents.
    const [first, ...rest] = parents;
    expect(at(after, lane), `${where}: first parent continues its lane`).toBe(first ?? null);
    for (const parent of parents) expect(after, `${where}: parent ${parent} is waited for`).toContain(parent);
    const expectOpened = [...new Set(rest)].filter((p) => p !== first && !before.includes(p));
    expect(
      opened.map((j) => at(after, j)),
      `${where}: a lane opens for each later parent nobody waits for`,
    ).toEqual(expectOpened);
    for (const j of opened) {
      expect(j, `${where}: opened lanes are right of the row`).toBeGreaterThan(lane);
      expect([null, id], `${where}: opened lanes were free`).toContain(at(before, j));
    }

    // Everything else passes through.
    const touched = new Set([lane, ...joined, ...opened]);
    for (let j = 0; j < Math.max(before.length, after.length); j++) {
      if (!touched.has(j)) expect(at(after, j), `${where}: lane ${j} passes through`).toBe(at(before, j));
      if (joined.includes(j) && !opened.includes(j))
        expect(at(after, j), `${where}: joined lane ${j}`).toBe(null);
    }
    if (after.length > 0) expect(after.at(-1), `${where}: no trailing free lane`).not.toBe(null);

    // Who may be waited for, and by how many lanes.
    laidOut.add(id);
    if (first !== undefined) firstChildren.set(first, (firstChildren.get(first) ?? 0) + 1);
    for (const p of new Set(rest)) if (p !== first) laterChildren.set(p, (laterChildren.get(p) ?? 0) + 1);
    for (const value of new Set(after)) {
      if (value === null) continue;
      expect(laidOut.has(value), `${where}: ${value} is already laid out`).toBe(false);
      const children = (firstChildren.get(value) ?? 0) + ((laterChildren.get(value) ?? 0) > 0 ? 1 : 0);
      expect(children, `${where}: ${value} is a parent of a row above`).toBeGreaterThan(0);
      expect(
        indicesOf(after, value).length,
        `${where}: ${value} is waited for twice only by first-parent children`,
      ).toBeLessThanOrEqual(children);
    }
  });
  // A closed graph (every parent is in the input) ends with no lane open.
  const ids = new Set(inputs.map((r) => r.id));
  if (inputs.every((r) => r.parents.every((p) => ids.has(p))) && rows.length > 0) {
    expect(rows.at(-1)!.after).toEqual([]);
  }
}
