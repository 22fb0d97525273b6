import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import {
  formatRevisionTarget,
  parseRevisionRange,
  parseRevisionTarget,
} from '../../../electron/engine/graph/revision-target.ts';
import type { RevisionTarget } from '../../../electron/engine/graph/revision-target.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof EngineError ? error.code : 'not an EngineError';
  }
  return undefined;
};

describe('parseRevisionTarget: valid', () => {
  it.each<[string, RevisionTarget]>([
    ['head', { kind: 'head' }],
    ['heads', { kind: 'heads' }],
    ['base', { kind: 'base' }],
    ['current', { kind: 'current' }],
    ['3f2a9c1b7d4e', { kind: 'id', prefix: '3f2a9c1b7d4e' }],
    ['3f2a', { kind: 'id', prefix: '3f2a' }],
    ['ab', { kind: 'id', prefix: 'ab' }], // too short for a prefix, but may be a label: the resolver decides
    ['auth', { kind: 'id', prefix: 'auth' }],
    ['my_branch.v2', { kind: 'id', prefix: 'my_branch.v2' }],
    ['auth@head', { kind: 'head', branch: 'auth' }],
    ['auth@base', { kind: 'base', branch: 'auth' }],
    ['3f2a@head', { kind: 'head', branch: '3f2a' }],
    ['+2', { kind: 'relative', from: null, steps: 2 }],
    ['-1', { kind: 'relative', from: null, steps: -1 }],
    ['+02', { kind: 'relative', from: null, steps: 2 }],
    ['3f2a+1', { kind: 'relative', from: { kind: 'id', prefix: '3f2a' }, steps: 1 }],
    ['3f2a-3', { kind: 'relative', from: { kind: 'id', prefix: '3f2a' }, steps: -3 }],
    ['head-1', { kind: 'relative', from: { kind: 'head' }, steps: -1 }],
    ['heads-1', { kind: 'relative', from: { kind: 'heads' }, steps: -1 }],
    ['base+1', { kind: 'relative', from: { kind: 'base' }, steps: 1 }],
    ['current+1', { kind: 'relative', from: { kind: 'current' }, steps: 1 }],
    ['auth@head-1', { kind: 'relative', from: { kind: 'head', branch: 'auth' }, steps: -1 }],
    ['auth@base+2', { kind: 'relative', from: { kind: 'base', branch: 'auth' }, steps: 2 }],
  ])('%s', (text, expected) => {
    expect(parseRevisionTarget(text)).toEqual(expected);
  });
});

describe('parseRevisionTarget: invalid (TARGET_INVALID)', () => {
  it.each([
    ['', 'empty'],
    [' ', 'whitespace'],
    [' head', 'whitespace'],
    ['head\n', 'whitespace'],
    ['a b', 'whitespace'],
    ['+0', 'zero'],
    ['-0', 'zero'],
    ['head+0', 'zero'],
    ['+', 'sign alone'],
    ['-', 'sign alone'],
    ['+x', 'not a number'],
    ['+1.5', 'not an integer'],
    ['+99999999999999999999', 'too large'],
    ['a+1+2', 'two steps'],
    ['a+-1', 'two signs'],
    ['a-b', 'dash in id'],
    ['@head', 'no label'],
    ['@base', 'no label'],
    ['auth@', 'nothing after @'],
    ['auth@heads', 'only head/base after @'],
    ['auth@3f2a', 'only head/base after @'],
    ['a@b@c', 'two @'],
    ['head@head', 'keyword as label'],
    ['current@head', 'keyword as label'],
    ['a:b', 'range'],
    ['a/b', 'bad character'],
    ['ré', 'bad character'],
    ["'head'", 'quotes'],
    ['head*', 'bad character'],
  ])('%j (%s)', (text) => {
    expect(codeOf(() => parseRevisionTarget(text))).toBe('TARGET_INVALID');
  });

  it('says what is wrong and what to write instead', () => {
    try {
      parseRevisionTarget('@head');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      const e = error as EngineError<'TARGET_INVALID'>;
      expect(e.details).toEqual({ target: '@head', reason: expect.stringContaining('branch label') });
      expect(e.message).toContain('label@head');
    }
  });
});

describe('formatRevisionTarget', () => {
  it.each([
    'head',
    'heads',
    'base',
    'current',
    '3f2a',
    'auth@head',
    'auth@base',
    '+2',
    '-1',
    'head-1',
    'auth@head-1',
    'current+3',
  ])('%s round-trips', (text) => {
    expect(formatRevisionTarget(parseRevisionTarget(text))).toBe(text);
  });
});

describe('parseRevisionRange', () => {
  it.each<[string, { from: RevisionTarget | null; to: RevisionTarget }]>([
    ['3f2a:head', { from: { kind: 'id', prefix: '3f2a' }, to: { kind: 'head' } }],
    [':head', { from: null, to: { kind: 'head' } }],
    ['base:3f2a', { from: null, to: { kind: 'id', prefix: '3f2a' } }],
    ['auth@base:auth@head', { from: { kind: 'base', branch: 'auth' }, to: { kind: 'head', branch: 'auth' } }],
    ['head-2:head', { from: { kind: 'relative', from: { kind: 'head' }, steps: -2 }, to: { kind: 'head' } }],
  ])('%s', (text, expected) => {
    expect(parseRevisionRange(text)).toEqual(expected);
  });

  it.each(['3f2a:', 'head', '', ':', 'a:b:c', 'a b:head', '@head:head', 'head:+0'])(
    '%j is RANGE_INVALID',
    (text) => {
      expect(codeOf(() => parseRevisionRange(text))).toBe('RANGE_INVALID');
    },
  );

  it('names the bad side in the reason', () => {
    try {
      parseRevisionRange('a@b@c:head');
      expect.unreachable();
    } catch (error) {
      expect((error as EngineError<'RANGE_INVALID'>).details.reason).toContain("'a@b@c'");
    }
  });
});
