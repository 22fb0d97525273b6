import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../electron/engine/engine-error.ts';
import {
  formatRevisionTarget,
  parseRevisionRange,
  parseRevisionTarget,
} from '../../electron/engine/graph/revision-target.ts';
import type { RevisionTarget } from '../../electron/engine/graph/revision-target.ts';

const KEYWORDS = ['head', 'heads', 'base', 'current'];

/** Strings made of the target syntax's own characters reach the parser's corners more often. */
const syntaxChars = fc.string({
  unit: fc.constantFrom(...'ab0f9_.@+-: \theadsbcurnt'.split(''), 'head', 'base', '@head', '+1', '-1'),
});
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), syntaxChars);

const identifier = fc.stringMatching(/^[A-Za-z0-9_.]{1,14}$/).filter((s) => !KEYWORDS.includes(s));

const absolute: fc.Arbitrary<RevisionTarget> = fc.oneof(
  fc.constant<RevisionTarget>({ kind: 'head' }),
  fc.constant<RevisionTarget>({ kind: 'heads' }),
  fc.constant<RevisionTarget>({ kind: 'base' }),
  fc.constant<RevisionTarget>({ kind: 'current' }),
  identifier.map<RevisionTarget>((prefix) => ({ kind: 'id', prefix })),
  identifier.map<RevisionTarget>((branch) => ({ kind: 'head', branch })),
  identifier.map<RevisionTarget>((branch) => ({ kind: 'base', branch })),
);

const steps = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: -1_000_000, max: -1 }));

const target: fc.Arbitrary<RevisionTarget> = fc.oneof(
  absolute,
  fc.record({ kind: fc.constant('relative' as const), from: fc.option(absolute, { nil: null }), steps }),
);

function parseOrCode(text: string, parse: (t: string) => unknown): unknown {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    return error;
  }
}

describe('parseRevisionTarget (property)', () => {
  it('returns a target or throws TARGET_INVALID, never anything else', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseOrCode(text, parseRevisionTarget);
        if (typeof result === 'string') expect(result).toBe('TARGET_INVALID');
        else expect(result).toMatchObject({ kind: expect.any(String) });
      }),
      { numRuns: 2000 },
    );
  });

  it('what it accepts formats back to the same text (modulo leading zeros)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseOrCode(text, parseRevisionTarget);
        if (typeof result === 'string') return;
        const again = parseRevisionTarget(formatRevisionTarget(result as RevisionTarget));
        expect(again).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('formatted targets re-parse to the same value', () => {
    fc.assert(
      fc.property(target, (t) => {
        expect(parseRevisionTarget(formatRevisionTarget(t))).toEqual(t);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseRevisionRange (property)', () => {
  it('returns a range or throws RANGE_INVALID, never anything else', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseOrCode(text, parseRevisionRange);
        if (typeof result === 'string') expect(result).toBe('RANGE_INVALID');
        else expect(result).toMatchObject({ to: { kind: expect.any(String) } });
      }),
      { numRuns: 2000 },
    );
  });

  it('joins two formatted targets into a range that parses back', () => {
    fc.assert(
      fc.property(target, target, (from, to) => {
        const range = parseRevisionRange(`${formatRevisionTarget(from)}:${formatRevisionTarget(to)}`);
        expect(range.to).toEqual(to);
        expect(range.from).toEqual(from.kind === 'base' && from.branch === undefined ? null : from);
      }),
      { numRuns: 1000 },
    );
  });
});
