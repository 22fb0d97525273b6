import { EngineError } from '../engine-error.ts';

/**
 * The shape of a revision id: exactly 12 lowercase hexadecimal characters (DESIGN.md §2). Being hex,
 * an id can never contain Alembic's banned target characters `@ - + :`.
 */
export const REVISION_ID_PATTERN = /^[0-9a-f]{12}$/;

/** The number of random bytes behind one revision id (6 bytes → 12 hex characters). */
export const REVISION_ID_BYTES = 6;

/** Whether `value` is a well-formed revision id (see {@link REVISION_ID_PATTERN}). */
export function isValidRevisionId(value: unknown): value is string {
  return typeof value === 'string' && REVISION_ID_PATTERN.test(value);
}

/**
 * A new random revision id, from injected randomness so the engine stays free of I/O and tests can
 * be deterministic (production passes `node:crypto`'s `randomBytes`).
 *
 * @throws EngineError `INTERNAL` when `randomBytes` returns fewer bytes than asked for.
 * @example
 * newRevisionId(() => new Uint8Array([0x3f, 0x2a, 0x9c, 0x1b, 0x7d, 0x4e])); // '3f2a9c1b7d4e'
 */
export function newRevisionId(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(REVISION_ID_BYTES);
  if (bytes.length < REVISION_ID_BYTES) {
    throw new EngineError(
      'INTERNAL',
      `The random source returned ${bytes.length} bytes where ${REVISION_ID_BYTES} were asked for; ` +
        'pass a function that returns exactly n random bytes.',
      {},
    );
  }
  let id = '';
  for (let i = 0; i < REVISION_ID_BYTES; i++) id += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return id;
}
