import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatabaseState } from '../../../shared/contract/plan-schemas.ts';
import { layoutLanes, type LaneInput } from '../../../shared/graph/lane-layout.ts';
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';
import type { RevisionNode } from '../../../shared/model/revision-node.ts';
import {
  indexState,
  layoutGraph,
  matchesSearch,
  rowStatus,
  type GraphLayout,
} from '../../../renderer/features/revision-graph/graph-rows.ts';
import { expectLaneInvariants } from './lane-invariants.ts';

/** A node as the engine sends it; `spec` is `id: parent parent`, e.g. `d: b c`. */
function node(spec: string, extra: Partial<RevisionNode> = {}): RevisionNode {
  const [revision, parents = ''] = spec.split(':').map((s) => s.trim());
  return {
    revision: revision!,
    downRevisions: parents === '' ? [] : parents.split(/\s+/),
    dependsOn: [],
    branchLabels: [],
    memberOf: [],
    message: `revision ${revision}`,
    created: null,
    transaction: 'per-migration',
    phase: 'pre-deploy',
    file: `migrations/${revision}.sql`,
    isHead: false,
    isBase: false,
    isBranchPoint: false,
    isMergePoint: false,
    reversible: true,
    dialectOverrides: [],
    ...extra,
  };
}

const lanesOf = (layout: GraphLayout) =>
  layout.rows.map((r) => ({ id: r.node.revision, lane: r.lanes.lane, after: r.lanes.after }));

/** What every layout must satisfy, whatever its shape. */
function expectConsistent(nodes: readonly RevisionNode[], layout: GraphLayout): void {
  expect(layout.rows.map((r) => r.node)).toEqual(nodes);
  layout.rows.forEach((row, i) => {
    expect(row.lanes.id).toBe(row.node.revision);
    if (i > 0) expect(row.lanes.before).toEqual(layout.rows[i - 1]!.lanes.after);
    expect(layout.laneCount).toBeGreaterThan(row.lanes.lane);
    expect(layout.laneCount).toBeGreaterThanOrEqual(row.lanes.before.length);
    expect(layout.laneCount).toBeGreaterThanOrEqual(row.lanes.after.length);
    expect(layout.index.get(row.node.revision)).toBe(i);
  });
  expect(layout.index.size).toBe(nodes.length);
  expectLaneInvariants(
    nodes.map((n) => ({ id: n.revision, parents: n.downRevisions })),
    layout.rows.map((r) => r.lanes),
  );
}

describe('layoutGraph', () => {
  it('empty: no rows, one lane of gutter', () => {
    const layout = layoutGraph([]);
    expect(layout.rows).toEqual([]);
    expect(layout.laneCount).toBe(1);
    expect(layout.index.size).toBe(0);
  });

  it('linear: every revision in lane 0', () => {
    const nodes = [node('c: b'), node('b: a'), node('a:')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(lanesOf(layout)).toEqual([
      { id: 'c', lane: 0, after: ['b'] },
      { id: 'b', lane: 0, after: ['a'] },
      { id: 'a', lane: 0, after: [] },
    ]);
    expect(layout.laneCount).toBe(1);
  });

  it('diamond: the merge opens a lane for its second parent, the branch point joins both', () => {
    const nodes = [node('d: b c'), node('c: a'), node('b: a'), node('a:')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(lanesOf(layout)).toEqual([
      { id: 'd', lane: 0, after: ['b', 'c'] },
      { id: 'c', lane: 1, after: ['b', 'a'] },
      { id: 'b', lane: 0, after: ['a', 'a'] },
      { id: 'a', lane: 0, after: [] },
    ]);
    expect(layout.rows[0]!.lanes.opened).toEqual([1]);
    expect(layout.rows[3]!.lanes.joined).toEqual([1]);
    expect(layout.laneCount).toBe(2);
  });

  it('two heads: the second head takes a new lane and joins at the common parent', () => {
    const nodes = [node('h1: a'), node('h2: a'), node('a:')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(lanesOf(layout)).toEqual([
      { id: 'h1', lane: 0, after: ['a'] },
      { id: 'h2', lane: 1, after: ['a', 'a'] },
      { id: 'a', lane: 0, after: [] },
    ]);
    expect(layout.rows[2]!.lanes.joined).toEqual([1]);
    expect(layout.laneCount).toBe(2);
  });

  it('two heads, two bases: unrelated lines keep their own lanes', () => {
    const nodes = [node('y2: y1'), node('x2: x1'), node('y1:'), node('x1:')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(lanesOf(layout)).toEqual([
      { id: 'y2', lane: 0, after: ['y1'] },
      { id: 'x2', lane: 1, after: ['y1', 'x1'] },
      { id: 'y1', lane: 0, after: [null, 'x1'] },
      { id: 'x1', lane: 1, after: [] },
    ]);
  });

  it('labeled branch: a labelled side branch runs in its own lane back to its fork', () => {
    const nodes = [
      node('f2: f1', { memberOf: ['feature'] }),
      node('c: b'),
      node('f1: b', { branchLabels: ['feature'], memberOf: ['feature'] }),
      node('b: a'),
      node('a:'),
    ];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(lanesOf(layout)).toEqual([
      { id: 'f2', lane: 0, after: ['f1'] },
      { id: 'c', lane: 1, after: ['f1', 'b'] },
      { id: 'f1', lane: 0, after: ['b', 'b'] },
      { id: 'b', lane: 0, after: ['a'] },
      { id: 'a', lane: 0, after: [] },
    ]);
    expect(layout.laneCount).toBe(2);
  });

  it('octopus merge: one lane per parent, reused once the parents are reached', () => {
    const nodes = [node('m: a b c'), node('c: r'), node('b: r'), node('a: r'), node('r:')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(layout.rows[0]!.lanes.after).toEqual(['a', 'b', 'c']);
    expect(layout.rows[4]!.lanes.joined).toEqual([1, 2]);
    expect(layout.laneCount).toBe(3);
  });

  it('a window of the graph: parents outside it stay open at the bottom', () => {
    const nodes = [node('c: b'), node('b: a')];
    const layout = layoutGraph(nodes);
    expectConsistent(nodes, layout);
    expect(layout.rows[1]!.lanes.after).toEqual(['a']);
  });

  it('10,000 revisions with branches, merges and labels lay out in a few lanes', () => {
    const nodes = branchyNodes(10_000);
    const layout = layoutGraph(nodes);
    expect(layout.rows).toHaveLength(10_000);
    expectConsistent(nodes, layout);
    expect(layout.laneCount).toBeGreaterThanOrEqual(2);
    expect(layout.laneCount).toBeLessThanOrEqual(6);
  });
});

/**
 * The shape of bench/generate-projects.ts `branchyGraph` in memory (that one writes files): a trunk
 * where every ~50 revisions a labelled or plain side branch of 3–10 revisions forks off and merges
 * back a few trunk revisions later. Deterministic; returned newest first.
 */
function branchyNodes(count: number): RevisionNode[] {
  let seed = 0x5eed;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const nodes: RevisionNode[] = [];
  let tip: string | null = null;
  const add = (parents: readonly string[], extra: Partial<RevisionNode> = {}): string => {
    const id = `r${nodes.length.toString().padStart(5, '0')}`;
    nodes.push(node(`${id}: ${parents.join(' ')}`, extra));
    return id;
  };
  while (nodes.length < count) {
    const run = Math.min(40 + Math.floor(random() * 20), count - nodes.length);
    for (let k = 0; k < run; k++) tip = add(tip === null ? [] : [tip]);
    const branchLength = 3 + Math.floor(random() * 8);
    const trunkBeside = 2 + Math.floor(random() * 4);
    if (count - nodes.length < branchLength + trunkBeside + 1) continue;
    const fork = tip!;
    const label = nodes.length % 3 === 0 ? `feature_${nodes.length}` : null;
    let branchTip = fork;
    for (let k = 0; k < branchLength; k++) {
      branchTip = add([branchTip], k === 0 && label !== null ? { branchLabels: [label] } : {});
    }
    for (let k = 0; k < trunkBeside; k++) tip = add([tip!]);
    tip = add([tip!, branchTip]);
  }
  return nodes.reverse();
}

/**
 * A random DAG, newest first: row k's parents are rows below it (so the order is topological), and
 * with `dangling` some parents are outside the input (a window of a larger graph).
 */
const dag = (dangling: boolean): fc.Arbitrary<LaneInput[]> =>
  fc.array(fc.array(fc.nat({ max: 1000 }), { maxLength: 4 }), { minLength: 1, maxLength: 40 }).map((picks) =>
    picks.map((choices, k) => {
      const below = picks.length - k - 1;
      const parents = choices.flatMap((c) => {
        if (dangling && c % 7 === 0) return [`x${c % 3}`];
        return below === 0 ? [] : [`r${k + 1 + (c % below)}`];
      });
      return { id: `r${k}`, parents: [...new Set(parents)] };
    }),
  );

describe('layoutLanes (property)', () => {
  it('keeps its invariants for random DAGs given newest first', () => {
    fc.assert(
      fc.property(dag(false), (inputs) => expectLaneInvariants(inputs, layoutLanes(inputs))),
      { numRuns: 500 },
    );
  });
  it('keeps its invariants when some parents are outside the input', () => {
    fc.assert(
      fc.property(dag(true), (inputs) => expectLaneInvariants(inputs, layoutLanes(inputs))),
      { numRuns: 300 },
    );
  });
  it('keeps its invariants for parents listed twice', () => {
    const inputs = [
      { id: 'm', parents: ['a', 'b', 'b', 'a'] },
      { id: 'b', parents: ['a'] },
      { id: 'a', parents: [] },
    ];
    const rows = layoutLanes(inputs);
    expectLaneInvariants(inputs, rows);
    expect(rows[0]!.after).toEqual(['a', 'b']);
  });
});

function state(partial: Partial<DatabaseState>): DatabaseState {
  return {
    connectionId: 'local',
    exists: true,
    current: [],
    applied: [],
    pending: [],
    modified: [],
    missing: [],
    dirty: [],
    ...partial,
  };
}

function journal(revision: string): JournalEntry {
  return {
    id: 1,
    stepId: 's1',
    runId: 'run_1',
    revision,
    direction: 'up',
    fromHeads: [],
    toHeads: [revision],
    checksum: null,
    appliedText: null,
    status: 'dirty',
    statementsDone: 1,
    statementsTotal: 2,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    durationMs: null,
    dbUser: null,
    osUser: null,
    host: null,
    toolVersion: null,
    error: 'boom',
  };
}

describe('indexState / rowStatus', () => {
  const index = indexState(
    state({
      current: ['b'],
      applied: ['a', 'b'],
      pending: ['c', 'd'],
      modified: [
        { revision: 'a', file: 'migrations/a.sql', diff: '-x\n+y', appliedText: 'x', currentText: 'y' },
      ],
      dirty: [journal('c')],
    }),
  );

  it('indexes every list of the state by revision id', () => {
    expect([...index.applied]).toEqual(['a', 'b']);
    expect([...index.current]).toEqual(['b']);
    expect([...index.pending]).toEqual(['c', 'd']);
    expect([...index.modified]).toEqual(['a']);
    expect([...index.dirty]).toEqual(['c']);
  });

  it('answers per row', () => {
    const none = { applied: false, current: false, pending: false, dirty: false, modified: false };
    expect(rowStatus(index, 'a')).toEqual({ ...none, applied: true, modified: true });
    expect(rowStatus(index, 'b')).toEqual({ ...none, applied: true, current: true });
    expect(rowStatus(index, 'c')).toEqual({ ...none, pending: true, dirty: true });
    expect(rowStatus(index, 'd')).toEqual({ ...none, pending: true });
    expect(rowStatus(index, 'zzz')).toEqual(none);
  });

  it('is null when the state is not known', () => {
    expect(rowStatus(null, 'a')).toBeNull();
  });
});

describe('matchesSearch', () => {
  const n = node('3f2a9c1b7d4e: 1a2b3c4d5e6f', {
    message: 'Add Users table',
    branchLabels: ['Billing'],
    memberOf: ['billing', 'payments'],
  });

  it.each([
    ['id prefix', '3f2a', true],
    ['id prefix, any case', '3F2A9C', true],
    ['whole id', '3f2a9c1b7d4e', true],
    ['id infix', '2a9c', false],
    ['parent id', '1a2b', false],
    ['message words, any case', 'users TABLE', true],
    ['message infix', 'd use', true],
    ['declared label prefix, any case', 'bill', true],
    ['label infix', 'ling', false],
    ['inherited label only', 'payments', false],
    ['surrounding spaces', '  users  ', true],
    ['empty query', '', false],
    ['blank query', '   ', false],
    ['no match', 'orders', false],
  ])('%s: %j → %s', (_, query, expected) => {
    expect(matchesSearch(n, query)).toBe(expected);
  });
});
