import { describe, expect, it } from 'vitest';
import { formatByteSize } from '../../../shared/format/byte-size.ts';

describe('formatByteSize', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1024, '1.0 kB'],
    [8192, '8.0 kB'],
    [1.5 * 1024 * 1024, '1.5 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
    [5 * 1024 ** 5, '5120.0 TB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });
});
