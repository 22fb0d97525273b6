/**
 * The lanes of one graph row as a small SVG: lines from the rows above into this revision's dot,
 * lanes passing through, and lines down to its parents. Every row's gutter has the same width.
 */
import type { LaneRow } from '../../../shared/graph/lane-layout.ts';

export const LANE_WIDTH = 14;
export const ROW_HEIGHT = 30;
const PALETTE = ['#3b82f6', '#a855f7', '#10b981', '#f59e0b', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];

const x = (lane: number): number => lane * LANE_WIDTH + LANE_WIDTH / 2;
const color = (lane: number): string => PALETTE[lane % PALETTE.length]!;

export function LaneCell({
  row,
  parents,
  laneCount,
  merge,
  head,
}: {
  row: LaneRow;
  parents: readonly string[];
  laneCount: number;
  merge: boolean;
  head: boolean;
}) {
  const mid = ROW_HEIGHT / 2;
  const paths: { d: string; lane: number }[] = [];
  row.before.forEach((id, k) => {
    if (id === null) return;
    if (id === row.id)
      paths.push({
        d: `M${x(k)} 0 C${x(k)} ${mid / 2} ${x(row.lane)} ${mid / 2} ${x(row.lane)} ${mid}`,
        lane: k,
      });
    else paths.push({ d: `M${x(k)} 0 L${x(k)} ${mid}`, lane: k });
  });
  row.after.forEach((id, k) => {
    if (id === null) return;
    if (k === row.lane) {
      paths.push({ d: `M${x(k)} ${mid} L${x(k)} ${ROW_HEIGHT}`, lane: k });
      return;
    }
    const passes = row.before[k] === id;
    if (passes) paths.push({ d: `M${x(k)} ${mid} L${x(k)} ${ROW_HEIGHT}`, lane: k });
    if (parents.includes(id)) {
      const y = ROW_HEIGHT - mid / 2;
      paths.push({
        d: `M${x(row.lane)} ${mid} C${x(row.lane)} ${y} ${x(k)} ${y} ${x(k)} ${ROW_HEIGHT}`,
        lane: k,
      });
    }
  });
  const width = laneCount * LANE_WIDTH;
  return (
    <svg className="lane-cell" width={width} height={ROW_HEIGHT} aria-hidden="true">
      {paths.map((p, i) => (
        <path key={i} d={p.d} stroke={color(p.lane)} strokeWidth={2} fill="none" />
      ))}
      <circle
        cx={x(row.lane)}
        cy={mid}
        r={head ? 5.5 : 4.5}
        fill={merge ? 'var(--bg)' : color(row.lane)}
        stroke={color(row.lane)}
        strokeWidth={merge ? 3 : 1.5}
      />
    </svg>
  );
}
