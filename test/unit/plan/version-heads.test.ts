import { describe, expect, it } from 'vitest';
import { RevisionGraph } from '../../../electron/engine/graph/revision-graph.ts';
import { appliedFrom, headsOf } from '../../../electron/engine/plan/version-heads.ts';
import { chain, makeRevision } from '../graph/make-revision.ts';

describe('headsOf', () => {
  const diamond = RevisionGraph.build(chain(['a:', 'b: a', 'c: a', 'd: b c']));

  it('is empty at base', () => {
    expect(headsOf(diamond, new Set())).toEqual([]);
  });
  it('keeps only applied revisions without an applied child', () => {
    expect(headsOf(diamond, new Set(['a']))).toEqual(['a']);
    expect(headsOf(diamond, new Set(['a', 'b']))).toEqual(['b']);
    expect(headsOf(diamond, new Set(['a', 'b', 'c']))).toEqual(['b', 'c']);
    expect(headsOf(diamond, new Set(['a', 'b', 'c', 'd']))).toEqual(['d']);
  });
  it('keeps a depends-on target as a row (Alembic)', () => {
    const graph = RevisionGraph.build([
      makeRevision({ id: 'a' }),
      makeRevision({ id: 'b', parents: ['a'] }),
      makeRevision({ id: 'x', dependsOn: ['b'] }),
    ]);
    expect(headsOf(graph, new Set(['a', 'b', 'x']))).toEqual(['b', 'x']);
  });
});

describe('appliedFrom', () => {
  const graph = RevisionGraph.build([
    makeRevision({ id: 'a' }),
    makeRevision({ id: 'b', parents: ['a'] }),
    makeRevision({ id: 'c', parents: ['a'] }),
    makeRevision({ id: 'x' }),
    makeRevision({ id: 'y', parents: ['x'], dependsOn: ['b'] }),
  ]);

  it('closes the rows under parents and depends-on', () => {
    expect([...appliedFrom(graph, ['y'])].sort()).toEqual(['a', 'b', 'x', 'y']);
    expect([...appliedFrom(graph, ['c', 'b'])].sort()).toEqual(['a', 'b', 'c']);
    expect(appliedFrom(graph, []).size).toBe(0);
  });
  it('round-trips with headsOf', () => {
    expect(headsOf(graph, appliedFrom(graph, ['y', 'c']))).toEqual(['b', 'c', 'y']);
  });
  it('throws UNKNOWN_APPLIED_REVISION listing every unknown row', () => {
    expect(() => appliedFrom(graph, ['a', 'zz', 'qq', 'zz'])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_APPLIED_REVISION', details: { revisions: ['qq', 'zz'] } }),
    );
  });
});
