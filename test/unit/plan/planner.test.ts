import { describe, expect, it } from 'vitest';
import { RevisionGraph } from '../../../electron/engine/graph/revision-graph.ts';
import { parseRevisionTarget } from '../../../electron/engine/graph/revision-target.ts';
import type { Plan } from '../../../electron/engine/plan/plan.ts';
import { planDowngrade, planStamp, planUpgrade } from '../../../electron/engine/plan/planner.ts';
import type { Revision } from '../../../electron/engine/revision/revision.ts';
import { chain, makeRevision } from '../graph/make-revision.ts';

const up = (graph: RevisionGraph, current: string[], text: string): Plan =>
  planUpgrade(graph, current, parseRevisionTarget(text), text);
const down = (graph: RevisionGraph, current: string[], text: string): Plan =>
  planDowngrade(graph, current, parseRevisionTarget(text), text, 'sqlite');
const stamp = (graph: RevisionGraph, current: string[], text: string): Plan =>
  planStamp(graph, current, parseRevisionTarget(text), text);
const ids = (plan: Plan): (string | null)[] => plan.steps.map((s) => s.revision?.id ?? null);
const heads = (plan: Plan): [readonly string[], readonly string[]][] =>
  plan.steps.map((s) => [s.fromHeads, s.toHeads]);

describe('linear', () => {
  const graph = RevisionGraph.build(chain(['a:', 'b: a', 'c: b']));

  it('upgrades base → head one revision at a time', () => {
    const plan = up(graph, [], 'head');
    expect(plan).toMatchObject({ kind: 'upgrade', target: 'head', fromHeads: [], toHeads: ['c'] });
    expect(ids(plan)).toEqual(['a', 'b', 'c']);
    expect(plan.steps.every((s) => s.direction === 'up')).toBe(true);
    expect(heads(plan)).toEqual([
      [[], ['a']],
      [['a'], ['b']],
      [['b'], ['c']],
    ]);
  });
  it('upgrades +1 from current', () => {
    expect(ids(up(graph, ['a'], '+1'))).toEqual(['b']);
  });
  it('downgrades children first', () => {
    const plan = down(graph, ['c'], 'a');
    expect(plan).toMatchObject({ kind: 'downgrade', fromHeads: ['c'], toHeads: ['a'] });
    expect(ids(plan)).toEqual(['c', 'b']);
    expect(plan.steps.every((s) => s.direction === 'down')).toBe(true);
    expect(heads(plan)).toEqual([
      [['c'], ['b']],
      [['b'], ['a']],
    ]);
  });
  it('downgrades to base and by -1', () => {
    expect(ids(down(graph, ['c'], 'base'))).toEqual(['c', 'b', 'a']);
    expect(down(graph, ['c'], 'base').toHeads).toEqual([]);
    expect(ids(down(graph, ['c'], '-1'))).toEqual(['c']);
    expect(ids(down(graph, ['a'], '-1'))).toEqual(['a']);
  });
  it('refuses to downgrade to a revision that is not applied', () => {
    expect(() => down(graph, ['a'], 'c')).toThrow(
      expect.objectContaining({ code: 'NOT_APPLIED', details: { target: 'c', revision: 'c' } }),
    );
  });
});

describe('already at target', () => {
  const graph = RevisionGraph.build(chain(['a:', 'b: a', 'c: b']));
  it('gives an empty plan for the current head', () => {
    const plan = up(graph, ['c'], 'head');
    expect(plan.steps).toEqual([]);
    expect(plan.fromHeads).toEqual(['c']);
    expect(plan.toHeads).toEqual(['c']);
  });
  it('never downgrades on upgrade to an ancestor', () => {
    expect(up(graph, ['c'], 'a').steps).toEqual([]);
    expect(up(graph, ['c'], 'base').steps).toEqual([]);
  });
  it('gives an empty downgrade plan to the current revision', () => {
    expect(down(graph, ['b'], 'b').steps).toEqual([]);
    expect(down(graph, [], 'base').steps).toEqual([]);
  });
});

describe('diamond', () => {
  // a → b, a → c, (b, c) → d; c is older, so it comes first.
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a', created: '2026-01-01T00:00:00Z' }),
    makeRevision({ id: 'b', parents: ['a'], created: '2026-01-03T00:00:00Z' }),
    makeRevision({ id: 'c', parents: ['a'], created: '2026-01-02T00:00:00Z' }),
    makeRevision({ id: 'd', parents: ['b', 'c'], created: '2026-01-04T00:00:00Z' }),
  ]);

  it('upgrades in deterministic order with per-step heads', () => {
    const plan = up(graph, [], 'head');
    expect(ids(plan)).toEqual(['a', 'c', 'b', 'd']);
    expect(heads(plan)).toEqual([
      [[], ['a']],
      [['a'], ['c']],
      [['c'], ['b', 'c']],
      [['b', 'c'], ['d']],
    ]);
  });
  it('downgrades to the branch point, removing both branches', () => {
    const plan = down(graph, ['d'], 'a');
    expect(ids(plan)).toEqual(['d', 'b', 'c']);
    expect(heads(plan)).toEqual([
      [['d'], ['b', 'c']],
      [['b', 'c'], ['c']],
      [['c'], ['a']],
    ]);
  });
  it('downgrades to one side of the diamond, keeping it', () => {
    const plan = down(graph, ['d'], 'b');
    expect(ids(plan)).toEqual(['d']);
    expect(plan.toHeads).toEqual(['b', 'c']);
  });
});

describe('labeled branch', () => {
  // a ┬→ b (auth) → c
  //   └→ x (billing) → y
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'], labels: ['auth'] }),
    makeRevision({ id: 'c', parents: ['b'] }),
    makeRevision({ id: 'x', parents: ['a'], labels: ['billing'] }),
    makeRevision({ id: 'y', parents: ['x'] }),
  ]);

  it('upgrades label@head and leaves the other branch alone', () => {
    const plan = up(graph, ['a'], 'auth@head');
    expect(ids(plan)).toEqual(['b', 'c']);
    expect(plan.toHeads).toEqual(['c']);
    const other = up(graph, ['y'], 'auth@head');
    expect(ids(other)).toEqual(['b', 'c']);
    expect(other.toHeads).toEqual(['c', 'y']);
  });
  it('refuses head with two heads', () => {
    expect(() => up(graph, ['a'], 'head')).toThrow(expect.objectContaining({ code: 'MULTIPLE_HEADS' }));
    expect(up(graph, ['a'], 'heads').toHeads).toEqual(['c', 'y']);
  });
  it('downgrades label@base: the whole branch, not the other one', () => {
    const plan = down(graph, ['c', 'y'], 'auth@base');
    expect(ids(plan)).toEqual(['c', 'b']);
    expect(heads(plan)).toEqual([
      [
        ['c', 'y'],
        ['b', 'y'],
      ],
      [['b', 'y'], ['y']],
    ]);
  });
  it('downgrades within one branch and leaves the other', () => {
    const plan = down(graph, ['c', 'y'], 'b');
    expect(ids(plan)).toEqual(['c']);
    expect(plan.toHeads).toEqual(['b', 'y']);
    expect(ids(down(graph, ['c', 'y'], 'billing@head-1'))).toEqual(['y']);
  });
  it('downgrades to the branch point, removing both branches', () => {
    expect(ids(down(graph, ['c', 'y'], 'a'))).toEqual(['y', 'x', 'c', 'b']);
  });
  it('downgrading label@base when the branch is not applied does nothing', () => {
    expect(down(graph, ['y'], 'auth@base').steps).toEqual([]);
  });
});

describe('depends-on', () => {
  // a → b ; x → y, and y depends on b
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'] }),
    makeRevision({ id: 'x' }),
    makeRevision({ id: 'y', parents: ['x'], dependsOn: ['b'] }),
  ]);

  it('pulls the dependency in on upgrade; the dependency stays a row', () => {
    const plan = up(graph, [], 'y');
    expect(ids(plan)).toEqual(['a', 'b', 'x', 'y']);
    expect(heads(plan)).toEqual([
      [[], ['a']],
      [['a'], ['b']],
      [['b'], ['b', 'x']],
      [
        ['b', 'x'],
        ['b', 'y'],
      ],
    ]);
  });
  it('removes dependents on downgrade of the dependency', () => {
    const plan = down(graph, ['b', 'y'], 'a');
    expect(ids(plan)).toEqual(['y', 'b']);
    expect(heads(plan)).toEqual([
      [
        ['b', 'y'],
        ['b', 'x'],
      ],
      [
        ['b', 'x'],
        ['a', 'x'],
      ],
    ]);
  });
});

describe('merge of three heads', () => {
  const graph = RevisionGraph.build(chain(['a:', 'b: a', 'c: a', 'd: a', 'm: b c d']));

  it('upgrades the merge in one step', () => {
    const plan = up(graph, ['b', 'c', 'd'], 'head');
    expect(ids(plan)).toEqual(['m']);
    expect(heads(plan)).toEqual([[['b', 'c', 'd'], ['m']]]);
  });
  it('upgrades from the branch point through all three branches', () => {
    expect(ids(up(graph, ['a'], 'head'))).toEqual(['b', 'c', 'd', 'm']);
  });
  it('downgrades the merge back to three heads', () => {
    const plan = down(graph, ['m'], 'c');
    expect(ids(plan)).toEqual(['m']);
    expect(plan.toHeads).toEqual(['b', 'c', 'd']);
  });
  it('refuses -1 from a merge: three ways down', () => {
    expect(() => down(graph, ['m'], '-1')).toThrow(
      expect.objectContaining({
        code: 'AMBIGUOUS_REVISION',
        details: { target: '-1', candidates: ['b', 'c', 'd'] },
      }),
    );
  });
});

describe('irreversible', () => {
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'], down: false, file: 'migrations/b.sql' }),
    makeRevision({ id: 'c', parents: ['b'] }),
  ]);

  it('refuses before any step, naming the revision and file', () => {
    expect(() => down(graph, ['c'], 'base')).toThrow(
      expect.objectContaining({ code: 'IRREVERSIBLE', details: { revision: 'b', file: 'migrations/b.sql' } }),
    );
  });
  it('allows a downgrade that stops above the irreversible revision', () => {
    expect(ids(down(graph, ['c'], 'b'))).toEqual(['c']);
  });
  it('uses the dialect override of the down section', () => {
    const plain = makeRevision({ id: 'b', parents: ['a'], down: false });
    const b: Revision = {
      ...plain,
      down: { plain: null, byDialect: { postgres: { text: 'SELECT 1;', line: 4 } } },
    };
    const g = RevisionGraph.build([makeRevision({ id: 'a' }), b]);
    expect(ids(planDowngrade(g, ['b'], { kind: 'base' }, 'base', 'postgres'))).toEqual(['b', 'a']);
    expect(() => planDowngrade(g, ['b'], { kind: 'base' }, 'base', 'mysql')).toThrow(
      expect.objectContaining({ code: 'IRREVERSIBLE' }),
    );
  });
});

describe('stamp', () => {
  const graph = RevisionGraph.build(chain(['a:', 'b: a', 'c: b', 'x: a']));

  it('sets the rows without running anything', () => {
    const plan = stamp(graph, [], 'c');
    expect(plan).toMatchObject({ kind: 'stamp', fromHeads: [], toHeads: ['c'] });
    expect(plan.steps).toMatchObject([
      { direction: 'stamp', revision: { id: 'c' }, fromHeads: [], toHeads: ['c'] },
    ]);
  });
  it('stamps base as one step with a null revision', () => {
    const plan = stamp(graph, ['c'], 'base');
    expect(plan.steps).toEqual([{ direction: 'stamp', revision: null, fromHeads: ['c'], toHeads: [] }]);
  });
  it('stamps heads one row at a time, dropping rows outside the target', () => {
    const plan = stamp(graph, ['a'], 'heads');
    expect(ids(plan)).toEqual(['c', 'x']);
    expect(heads(plan)).toEqual([
      [['a'], ['c']],
      [['c'], ['c', 'x']],
    ]);
  });
  it('does not check ancestry, and accepts rows the graph does not know', () => {
    expect(stamp(graph, ['c'], 'a').toHeads).toEqual(['a']);
    expect(heads(stamp(graph, ['gone'], 'b'))).toEqual([[['gone'], ['b']]]);
  });
  it('drops extra rows when the target is already among them', () => {
    expect(heads(stamp(graph, ['c', 'x'], 'c'))).toEqual([[['c', 'x'], ['c']]]);
  });
  it('is empty when the database is already there', () => {
    expect(stamp(graph, ['c'], 'c').steps).toEqual([]);
    expect(stamp(graph, [], 'base').steps).toEqual([]);
  });
});

describe('broken graphs', () => {
  const graph = RevisionGraph.build([
    ...chain(['a:', 'b: a']),
    makeRevision({ id: 'orphan', parents: ['missing'] }),
    ...chain(['p: q', 'q: p']),
  ]);

  it('plans what does not touch a problem', () => {
    expect(ids(up(graph, [], 'b'))).toEqual(['a', 'b']);
  });
  it('refuses with GRAPH_INVALID through an unknown parent or a cycle', () => {
    expect(() => up(graph, [], 'orphan')).toThrow(expect.objectContaining({ code: 'GRAPH_INVALID' }));
    expect(() => up(graph, [], 'p')).toThrow(expect.objectContaining({ code: 'GRAPH_INVALID' }));
    expect(() => stamp(graph, [], 'orphan')).toThrow(expect.objectContaining({ code: 'GRAPH_INVALID' }));
  });
  it('only lists the problems that touch the plan', () => {
    try {
      up(graph, [], 'p');
      expect.unreachable();
    } catch (error) {
      expect(
        (error as { details: { problems: { kind: string }[] } }).details.problems.map((p) => p.kind),
      ).toEqual(['cycle']);
    }
  });
  it('refuses rows the graph does not know', () => {
    expect(() => up(graph, ['zz'], 'head')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_APPLIED_REVISION' }),
    );
  });
});
