import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../../electron/engine/engine-error.ts';
import { RevisionGraph } from '../../../electron/engine/graph/revision-graph.ts';
import { chain, makeRevision } from './make-revision.ts';

const ids = (graph: RevisionGraph): string[] => graph.revisions.map((r) => r.id);

describe('linear', () => {
  const graph = RevisionGraph.build(chain(['c: b', 'a:', 'b: a']));

  it('orders parents before children whatever the input order', () => {
    expect(ids(graph)).toEqual(['a', 'b', 'c']);
  });
  it('has one head and one base', () => {
    expect(graph.heads).toEqual(['c']);
    expect(graph.bases).toEqual(['a']);
    expect(graph.problems).toEqual([]);
    expect(() => graph.assertValid()).not.toThrow();
  });
  it('answers get/has/children', () => {
    expect(graph.get('b')?.id).toBe('b');
    expect(graph.has('z')).toBe(false);
    expect(graph.children('a')).toEqual(['b']);
    expect(graph.children('c')).toEqual([]);
  });
  it('walks ancestors and descendants, inclusive', () => {
    expect([...graph.ancestors(['b'])].sort()).toEqual(['a', 'b']);
    expect([...graph.descendants(['b'])].sort()).toEqual(['b', 'c']);
  });
  it('throws REVISION_NOT_FOUND when a walk starts from an unknown id', () => {
    expect(() => graph.ancestors(['zz'])).toThrow(expect.objectContaining({ code: 'REVISION_NOT_FOUND' }));
  });
});

describe('diamond', () => {
  // a → b, a → c, (b, c) → d; c is older than b so it sorts first.
  const graph = RevisionGraph.build([
    makeRevision({ id: 'd', parents: ['b', 'c'], created: '2026-01-04T00:00:00Z' }),
    makeRevision({ id: 'b', parents: ['a'], created: '2026-01-03T00:00:00Z' }),
    makeRevision({ id: 'c', parents: ['a'], created: '2026-01-02T00:00:00Z' }),
    makeRevision({ id: 'a', created: '2026-01-01T00:00:00Z' }),
  ]);

  it('breaks ties by created, then id', () => {
    expect(ids(graph)).toEqual(['a', 'c', 'b', 'd']);
  });
  it('knows the branch point and the merge point', () => {
    expect(graph.isBranchPoint('a')).toBe(true);
    expect(graph.isMergePoint('d')).toBe(true);
    expect(graph.isBranchPoint('b')).toBe(false);
    expect(graph.isMergePoint('b')).toBe(false);
    expect(graph.heads).toEqual(['d']);
  });
  it('builds nodes with their flags and reversibility', () => {
    const nodes = RevisionGraph.build([
      makeRevision({ id: 'a' }),
      makeRevision({ id: 'b', parents: ['a'], down: false }),
    ]).toNodes('postgres');
    expect(nodes.map((n) => [n.revision, n.isBase, n.isHead, n.reversible])).toEqual([
      ['a', true, false, true],
      ['b', false, true, false],
    ]);
    const diamond = graph.toNodes('sqlite');
    expect(diamond.find((n) => n.revision === 'a')).toMatchObject({
      isBranchPoint: true,
      isMergePoint: false,
    });
    expect(diamond.find((n) => n.revision === 'd')).toMatchObject({ isMergePoint: true, isHead: true });
  });
  it('reports dialect overrides and uses them for reversibility', () => {
    const base = makeRevision({ id: 'a', down: false });
    const rev = { ...base, down: { plain: null, byDialect: { mysql: { text: 'SELECT 1;', line: 3 } } } };
    const [node] = RevisionGraph.build([rev]).toNodes('mysql');
    expect(node).toMatchObject({ reversible: true, dialectOverrides: ['mysql'] });
    expect(RevisionGraph.build([rev]).toNodes('postgres')[0]?.reversible).toBe(false);
  });
});

describe('labeled branch', () => {
  // a → b(auth) → c ; a → d(billing)
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'], labels: ['auth'] }),
    makeRevision({ id: 'c', parents: ['b'] }),
    makeRevision({ id: 'd', parents: ['a'], labels: ['billing'] }),
  ]);

  it('labels the declaring revision and its descendants, not its ancestors', () => {
    expect(graph.branchLabelsOf('a')).toEqual([]);
    expect(graph.branchLabelsOf('b')).toEqual(['auth']);
    expect(graph.branchLabelsOf('c')).toEqual(['auth']);
    expect(graph.branchLabelsOf('d')).toEqual(['billing']);
    expect(graph.revisionsLabeled('auth')).toEqual(['b']);
  });
  it('has two heads', () => {
    expect(graph.heads).toEqual(['c', 'd']);
    const c = graph.toNodes('sqlite').find((n) => n.revision === 'c');
    expect(c?.branchLabels).toEqual([]);
    expect(c?.memberOf).toEqual(['auth']);
  });
});

describe('multiple bases', () => {
  const graph = RevisionGraph.build(chain(['x:', 'a:', 'y: x', 'b: a']));
  it('lists every base and head', () => {
    expect(graph.bases).toEqual(['a', 'x']);
    expect(graph.heads).toEqual(['b', 'y']);
    expect(ids(graph)).toEqual(['a', 'b', 'x', 'y']);
  });
});

describe('depends-on', () => {
  // a → b ; c (own base) depends on b
  const graph = RevisionGraph.build([
    makeRevision({ id: 'c', dependsOn: ['b'] }),
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'] }),
  ]);
  it('orders dependencies first', () => {
    expect(ids(graph)).toEqual(['a', 'b', 'c']);
  });
  it('does not count a dependent as a child', () => {
    expect(graph.heads).toEqual(['b', 'c']);
    expect(graph.bases).toEqual(['a', 'c']);
    expect(graph.dependents('b')).toEqual(['c']);
  });
  it('follows dependencies only when asked', () => {
    expect([...graph.ancestors(['c'])]).toEqual(['c']);
    expect([...graph.ancestors(['c'], { includeDependencies: true })].sort()).toEqual(['a', 'b', 'c']);
    expect([...graph.descendants(['a'], { includeDependencies: true })].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('merge of three heads', () => {
  const graph = RevisionGraph.build(chain(['a:', 'b: a', 'c: a', 'd: a', 'm: b c d']));
  it('has one head and a three-way merge', () => {
    expect(graph.heads).toEqual(['m']);
    expect(graph.children('a')).toEqual(['b', 'c', 'd']);
    expect(graph.isMergePoint('m')).toBe(true);
    expect(ids(graph)).toEqual(['a', 'b', 'c', 'd', 'm']);
  });
});

describe('validation', () => {
  it('reports duplicate ids with both files and keeps the first', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'a', file: 'm/one.sql' }),
      makeRevision({ id: 'a', file: 'm/two.sql' }),
    ]);
    expect(graph.problems).toEqual([
      expect.objectContaining({
        kind: 'duplicateRevision',
        revisions: ['a'],
        files: ['m/one.sql', 'm/two.sql'],
      }),
    ]);
    expect(graph.get('a')?.file).toBe('m/one.sql');
    expect(graph.revisions).toHaveLength(1);
  });

  it('reports unknown parents and dependencies, still listing the revision', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'b', parents: ['zz'], dependsOn: ['yy'], file: 'm/b.sql' }),
    ]);
    expect(graph.problems.map((p) => [p.kind, p.revisions, p.files])).toEqual([
      ['unknownParent', ['b'], ['m/b.sql']],
      ['unknownDependency', ['b'], ['m/b.sql']],
    ]);
    expect(graph.problems[0]?.message).toContain('zz');
    expect(graph.problems[1]?.message).toContain('yy');
    expect(ids(graph)).toEqual(['b']);
  });

  it('reports each cycle once: a 2-cycle, a 3-cycle and a self-parent', () => {
    const graph = RevisionGraph.build([
      ...chain(['a: b', 'b: a']),
      ...chain(['c: e', 'd: c', 'e: d']),
      makeRevision({ id: 's', parents: ['s'], file: 'm/s.sql' }),
      ...chain(['ok:', 'child: a']),
    ]);
    const cycles = graph.problems.filter((p) => p.kind === 'cycle');
    expect(cycles.map((p) => p.revisions)).toEqual([['a', 'b'], ['c', 'd', 'e'], ['s']]);
    expect(cycles[1]?.files).toEqual(['migrations/c.sql', 'migrations/d.sql', 'migrations/e.sql']);
    expect(cycles[2]?.files).toEqual(['m/s.sql']);
    expect(graph.problems).toHaveLength(3);
    // Everything is still listed, cycle members included.
    expect(ids(graph).sort()).toEqual(['a', 'b', 'c', 'child', 'd', 'e', 'ok', 's']);
    expect(ids(graph)[0]).toBe('ok');
  });

  it('reports a cycle that runs through depends-on', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'a', dependsOn: ['b'] }),
      makeRevision({ id: 'b', parents: ['a'] }),
    ]);
    expect(graph.problems).toEqual([expect.objectContaining({ kind: 'cycle', revisions: ['a', 'b'] })]);
  });

  it('reports a label equal to a revision id, and a label on two revisions', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'a', labels: ['b'], file: 'm/a.sql' }),
      makeRevision({ id: 'b', parents: ['a'], labels: ['auth'], file: 'm/b.sql' }),
      makeRevision({ id: 'c', parents: ['a'], labels: ['auth'], file: 'm/c.sql' }),
    ]);
    expect(graph.problems).toEqual([
      expect.objectContaining({ kind: 'labelClash', revisions: ['a', 'b'], files: ['m/a.sql', 'm/b.sql'] }),
      expect.objectContaining({
        kind: 'duplicateLabel',
        revisions: ['b', 'c'],
        files: ['m/b.sql', 'm/c.sql'],
      }),
    ]);
  });

  it('reports ALL problems at once, and assertValid throws GRAPH_INVALID with them', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'a', file: 'm/a1.sql' }),
      makeRevision({ id: 'a', file: 'm/a2.sql' }),
      makeRevision({ id: 'b', parents: ['nope'] }),
      ...chain(['c: d', 'd: c']),
      makeRevision({ id: 'e', labels: ['a'] }),
    ]);
    expect(graph.problems.map((p) => p.kind).sort()).toEqual([
      'cycle',
      'duplicateRevision',
      'labelClash',
      'unknownParent',
    ]);
    let thrown: unknown;
    try {
      graph.assertValid();
    } catch (error) {
      thrown = error;
    }
    expect(isEngineError(thrown, 'GRAPH_INVALID')).toBe(true);
    if (isEngineError(thrown, 'GRAPH_INVALID')) {
      expect(thrown.details.problems).toHaveLength(4);
      expect(thrown.message).toContain('m/a2.sql');
    }
  });
});

describe('scale', () => {
  const N = 10_000;
  const id = (i: number): string => i.toString(16).padStart(12, '0');
  const revisions = Array.from({ length: N }, (_, i) =>
    makeRevision({ id: id(i), parents: i === 0 ? [] : [id(i - 1)] }),
  ).reverse();

  // Speed is measured by bench/, not asserted here (timed unit tests flake on busy machines).
  it('builds a 10,000-deep chain without overflowing the stack', () => {
    const graph = RevisionGraph.build(revisions);
    expect(graph.heads).toEqual([id(N - 1)]);
    expect(graph.revisions[0]?.id).toBe(id(0));
    expect(graph.problems).toEqual([]);
    expect(graph.branchLabelsOf(id(N - 1))).toEqual([]);
    expect(graph.ancestors([id(N - 1)]).size).toBe(N);
  });

  it('finds a 10,000-member cycle iteratively', () => {
    const cyclic = [
      ...revisions.filter((r) => r.id !== id(0)),
      makeRevision({ id: id(0), parents: [id(N - 1)] }),
    ];
    const graph = RevisionGraph.build(cyclic);
    expect(graph.problems).toHaveLength(1);
    expect(graph.problems[0]?.revisions).toHaveLength(N);
    expect(graph.revisions).toHaveLength(N);
  });
});
