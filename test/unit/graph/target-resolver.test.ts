import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import { RevisionGraph } from '../../../electron/engine/graph/revision-graph.ts';
import { parseRevisionTarget } from '../../../electron/engine/graph/revision-target.ts';
import { resolveRevisionTarget } from '../../../electron/engine/graph/target-resolver.ts';
import { makeRevision } from './make-revision.ts';

// base1 → trunk2 ┬→ auth1 (auth) → auth2
//                └→ bill1 (billing) → bill2 ┬→ bill3a
//                                           └→ bill3b
const R = {
  base1: '1a2b3c4d5e6f',
  trunk2: '2b3c4d5e6f70',
  auth1: '3c4d5e6f7081',
  auth2: '3c4dffff0000',
  bill1: '5e6f70819203',
  bill2: '6f7081920314',
  bill3a: '70819203a425',
  bill3b: '7081aaaa0000',
};
const graph = RevisionGraph.build([
  makeRevision({ id: R.base1 }),
  makeRevision({ id: R.trunk2, parents: [R.base1] }),
  makeRevision({ id: R.auth1, parents: [R.trunk2], labels: ['auth'] }),
  makeRevision({ id: R.auth2, parents: [R.auth1] }),
  makeRevision({ id: R.bill1, parents: [R.trunk2], labels: ['billing'] }),
  makeRevision({ id: R.bill2, parents: [R.bill1] }),
  makeRevision({ id: R.bill3a, parents: [R.bill2] }),
  makeRevision({ id: R.bill3b, parents: [R.bill2] }),
]);

const resolve = (text: string, current: readonly string[] = [R.auth1]): string[] =>
  resolveRevisionTarget(graph, parseRevisionTarget(text), { current, text });

const failure = (text: string, current?: readonly string[]): EngineError => {
  try {
    resolve(text, current);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error(`'${text}' resolved`);
};

describe('resolveRevisionTarget: each form', () => {
  it.each<[string, readonly string[], string[]]>([
    ['heads', [], [R.auth2, R.bill3a, R.bill3b]],
    ['base', [R.auth1], []],
    ['current', [R.bill2, R.auth1], [R.auth1, R.bill2]],
    ['current', [], []],
    [R.base1, [], [R.base1]],
    ['1a2b', [], [R.base1]],
    ['2b3c4', [], [R.trunk2]],
    ['2B3C', [], [R.trunk2]],
    ['auth', [], [R.auth1]],
    ['billing', [], [R.bill1]],
    ['auth@head', [], [R.auth2]],
    [`${R.bill3a}@head`, [], [R.bill3a]],
    ['auth@base', [], [R.trunk2]],
    [`${R.base1}@base`, [], []],
    ['+1', [R.auth1], [R.auth2]],
    ['-1', [R.auth1], [R.trunk2]],
    ['-2', [R.auth1], [R.base1]],
    ['-3', [R.auth1], []],
    ['+1', [], [R.base1]],
    ['+2', [], [R.trunk2]],
    ['base+1', [R.auth2], [R.base1]],
    ['current-1', [R.auth2], [R.auth1]],
    ['auth@head-1', [], [R.auth1]],
    ['auth+1', [], [R.auth2]],
    ['1a2b+1', [], [R.trunk2]],
    ['billing+1', [], [R.bill2]],
    [`${R.bill3a}-2`, [], [R.bill1]],
  ])('%s (current %j) → %j', (text, current, expected) => {
    expect(resolve(text, current)).toEqual(expected);
  });
});

describe('resolveRevisionTarget: errors', () => {
  it('head with several heads lists them and suggests label@head or heads', () => {
    const error = failure('head');
    expect(error.code).toBe('MULTIPLE_HEADS');
    expect(error.details).toEqual({ target: 'head', heads: [R.auth2, R.bill3a, R.bill3b] });
    expect(error.message).toContain(`${R.auth2}, ${R.bill3a}, ${R.bill3b}`);
    expect(error.message).toContain("'label@head'");
    expect(error.message).toContain("'heads'");
  });

  it('label@head on a branch with two heads', () => {
    const error = failure('billing@head');
    expect(error.code).toBe('MULTIPLE_HEADS');
    expect(error.details).toEqual({ target: 'billing@head', heads: [R.bill3a, R.bill3b] });
  });

  it('head-1 inherits the MULTIPLE_HEADS of head', () => {
    expect(failure('head-1').code).toBe('MULTIPLE_HEADS');
  });

  it.each<[string, string[]]>([
    ['3c4d', [R.auth1, R.auth2]],
    ['7081', [R.bill3a, R.bill3b]],
  ])('ambiguous prefix %s lists the candidates, sorted', (text, candidates) => {
    const error = failure(text);
    expect(error.code).toBe('AMBIGUOUS_REVISION');
    expect(error.details).toEqual({ target: text, candidates });
    expect(error.message).toContain(candidates.join(', '));
  });

  it('unknown revision suggests stratum history', () => {
    const error = failure('ffff0000');
    expect(error.code).toBe('REVISION_NOT_FOUND');
    expect(error.details).toEqual({ target: 'ffff0000' });
    expect(error.message).toContain('stratum history');
  });

  it('a prefix of fewer than 4 characters is not looked up', () => {
    const error = failure('1a2');
    expect(error.code).toBe('REVISION_NOT_FOUND');
    expect(error.message).toContain('at least 4 characters');
  });

  it.each<[string, readonly string[], number]>([
    ['-4', [R.auth1], 3],
    ['-1', [], 0],
    ['+2', [R.auth1], 1],
    ['auth@head+1', [], 0],
  ])('relative %s (current %j) is out of range, %d available', (text, current, available) => {
    const error = failure(text, current);
    expect(error.code).toBe('RELATIVE_OUT_OF_RANGE');
    expect(error.details).toEqual({ target: text, available });
  });

  it.each<[string, readonly string[], string[]]>([
    ['1a2b+2', [], [R.auth1, R.bill1]],
    [`${R.bill2}+1`, [], [R.bill3a, R.bill3b]],
    ['+1', [R.auth1, R.bill2], [R.auth1, R.bill2]],
    ['heads-1', [], [R.auth2, R.bill3a, R.bill3b]],
  ])('relative %s with several ways lists the choices', (text, current, candidates) => {
    const error = failure(text, current);
    expect(error.code).toBe('AMBIGUOUS_REVISION');
    expect(error.details).toEqual({ target: text, candidates });
  });

  it('walking down through a merge is ambiguous', () => {
    const merged = RevisionGraph.build([
      makeRevision({ id: 'aaaa00000001' }),
      makeRevision({ id: 'bbbb00000002' }),
      makeRevision({ id: 'cccc00000003', parents: ['aaaa00000001', 'bbbb00000002'] }),
    ]);
    const target = parseRevisionTarget('-1');
    expect(() => resolveRevisionTarget(merged, target, { current: ['cccc00000003'], text: '-1' })).toThrow(
      expect.objectContaining({
        code: 'AMBIGUOUS_REVISION',
        details: { target: '-1', candidates: ['aaaa00000001', 'bbbb00000002'] },
      }),
    );
    // Two bases: +1 from base is ambiguous too.
    expect(() =>
      resolveRevisionTarget(merged, parseRevisionTarget('+1'), { current: [], text: '+1' }),
    ).toThrow(expect.objectContaining({ code: 'AMBIGUOUS_REVISION' }));
  });

  it('current naming an unknown revision is UNKNOWN_APPLIED_REVISION', () => {
    const error = failure('current', ['deadbeef0000']);
    expect(error.code).toBe('UNKNOWN_APPLIED_REVISION');
    expect(error.details).toEqual({ revisions: ['deadbeef0000'] });
  });

  it('a label on two revisions is ambiguous', () => {
    const twice = RevisionGraph.build([
      makeRevision({ id: 'aaaa00000001', labels: ['x'] }),
      makeRevision({ id: 'bbbb00000002', labels: ['x'] }),
    ]);
    expect(() => resolveRevisionTarget(twice, parseRevisionTarget('x'), { current: [], text: 'x' })).toThrow(
      expect.objectContaining({
        code: 'AMBIGUOUS_REVISION',
        details: { target: 'x', candidates: ['aaaa00000001', 'bbbb00000002'] },
      }),
    );
  });
});
