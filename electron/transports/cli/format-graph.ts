/** Renders revisions as a compact graph, like `git log --graph --oneline`. */
import { layoutLanes } from '../../../shared/graph/lane-layout.ts';
import type { RevisionNode } from '../../../shared/model/revision-node.ts';
import { paint, type Terminal } from './terminal.ts';

/** Renders `nodes` (newest first) with lanes, badges and messages. */
export function formatGraph(
  term: Terminal,
  nodes: readonly RevisionNode[],
  current: ReadonlySet<string> = new Set(),
): string {
  const ids = new Set(nodes.map((n) => n.revision));
  const rows = layoutLanes(
    nodes.map((n) => ({ id: n.revision, parents: n.downRevisions.filter((p) => ids.has(p)) })),
  );
  const lines: string[] = [];
  rows.forEach((row, index) => {
    const node = nodes[index]!;
    if (row.joined.length > 0) {
      lines.push(
        connector(row.before, row.joined, '/', (i) => row.before[i] != null && !row.joined.includes(i)),
      );
    }
    const width = Math.max(row.before.length, row.after.length, row.lane + 1);
    const cells: string[] = [];
    for (let i = 0; i < width; i++) {
      if (i === row.lane) cells.push('*');
      else cells.push(row.before[i] != null && !row.joined.includes(i) ? '|' : ' ');
    }
    lines.push(`${cells.join(' ').padEnd(width * 2)} ${describe(term, node, current)}`.trimEnd());
    if (row.opened.length > 0) {
      lines.push(
        connector(row.after, row.opened, '\\', (i) => row.after[i] != null && !row.opened.includes(i)),
      );
    }
  });
  return lines.join('\n');
}

function connector(
  lanes: readonly (string | null)[],
  marks: readonly number[],
  glyph: string,
  through: (i: number) => boolean,
): string {
  const width = Math.max(lanes.length, ...marks.map((m) => m + 1));
  const chars = new Array<string>(width * 2).fill(' ');
  for (let i = 0; i < width; i++) if (through(i)) chars[i * 2] = '|';
  for (const m of marks) chars[m * 2 - 1] = glyph;
  return chars.join('').trimEnd();
}

/** One revision as `id (badges) message [markers]`. */
export function describe(
  term: Terminal,
  node: RevisionNode,
  current: ReadonlySet<string> = new Set(),
): string {
  const badges: string[] = [];
  if (current.has(node.revision)) badges.push(paint(term, 'green', 'current'));
  if (node.isHead) badges.push(paint(term, 'yellow', 'head'));
  if (node.isBase) badges.push('base');
  if (node.isMergePoint) badges.push('merge');
  if (node.isBranchPoint) badges.push('branchpoint');
  for (const label of node.branchLabels) badges.push(paint(term, 'cyan', label));
  const markers: string[] = [];
  if (node.phase === 'post-deploy') markers.push('post-deploy');
  if (node.transaction === 'none') markers.push('no transaction');
  if (!node.reversible) markers.push('irreversible');
  if (node.dependsOn.length > 0) markers.push(`depends on ${node.dependsOn.join(', ')}`);
  const id = paint(term, 'yellow', node.revision);
  const badgeText = badges.length > 0 ? ` (${badges.join(', ')})` : '';
  const markerText = markers.length > 0 ? paint(term, 'dim', ` [${markers.join('; ')}]`) : '';
  return `${id}${badgeText} ${node.message}${markerText}`;
}
