import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import {
  isValidRevisionId,
  newRevisionId,
  REVISION_ID_PATTERN,
} from '../../../electron/engine/revision/revision-id.ts';

describe('revision ids', () => {
  it('makes 12 lowercase hex characters from 6 injected random bytes', () => {
    const asked: number[] = [];
    const id = newRevisionId((n) => {
      asked.push(n);
      return new Uint8Array([0x3f, 0x2a, 0x9c, 0x1b, 0x7d, 0x04]);
    });
    expect(asked).toEqual([6]);
    expect(id).toBe('3f2a9c1b7d04');
    expect(REVISION_ID_PATTERN.test(id)).toBe(true);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => newRevisionId(() => new Uint8Array(3))).toThrow(EngineError);
  });

  it.each([
    ['3f2a9c1b7d4e', true],
    ['000000000000', true],
    ['3F2A9C1B7D4E', false],
    ['3f2a9c1b7d4', false],
    ['3f2a9c1b7d4e0', false],
    ['3f2a9c1b7d4g', false],
    ['3f2a9c1b7d4\n', false],
    [42, false],
  ])('isValidRevisionId(%j) is %s', (value, valid) => {
    expect(isValidRevisionId(value)).toBe(valid);
  });
});
