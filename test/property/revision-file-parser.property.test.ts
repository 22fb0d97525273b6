import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import { parseRevisionFile } from '../../electron/engine/revision/revision-file-parser.ts';
import {
  renderRevisionFile,
  type RevisionFileInput,
} from '../../electron/engine/revision/revision-file-writer.ts';
import type { Revision } from '../../electron/engine/revision/revision.ts';
import { DIALECTS } from '../../shared/model/dialect.ts';

const FILE = 'migrations/p.sql';

/** Header- and section-shaped lines, broken variants included. */
const FILE_TOKENS = [
  '-- revision: 3f2a9c1b7d4e',
  '-- revision: 3F2A',
  '-- revision:',
  '-- parents:',
  '-- parents: 1a2b3c4d5e6f abc',
  '-- parents: a@b',
  '-- message: hi',
  '-- created: 2026-11-21T10:30:00Z',
  '-- created: soon',
  '-- branch-labels: a,b',
  '-- depends-on: x',
  '-- transaction: none',
  '-- transaction: maybe',
  '-- phase: post-deploy',
  '-- phase:',
  '-- other: 1',
  '-- migrate:up',
  '-- migrate:down',
  '-- migrate:up postgres',
  '-- migrate:down mysql',
  '-- migrate:up oracle',
  '-- migrate:',
  '-- migrate: up',
  '--',
  '-- note',
  'SELECT 1;',
  "'",
  '$$',
  '/*',
  'BEGIN',
  'END',
  'DELIMITER //',
  ';',
  ':',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
];
const fileText = fc.oneof(
  fc.array(fc.constantFrom(...FILE_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join('\n')),
  fc.array(fc.constantFrom(...FILE_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join('')),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

describe('parseRevisionFile (properties)', () => {
  it('returns a revision or throws REVISION_FILE_INVALID, nothing else', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        let revision: Revision;
        try {
          revision = parseRevisionFile(text, FILE).revision;
        } catch (error) {
          expect(isEngineError(error, 'REVISION_FILE_INVALID')).toBe(true);
          const details = (error as { details: { file: string; line: number } }).details;
          expect(details.file).toBe(FILE);
          expect(details.line).toBeGreaterThanOrEqual(1);
          return;
        }
        expect(revision.id).toMatch(/^[0-9a-f]{12}$/);
        const ups = [revision.up.plain, ...Object.values(revision.up.byDialect)].filter((s) => s !== null);
        expect(ups.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips rendered files: parse(render(x)) equals x', () => {
    const hexId = fc.stringMatching(/^[0-9a-f]{12}$/);
    const token = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
    const bodyLine = fc
      .string({ maxLength: 40 })
      .map((line) => line.replace(/[\r\n\u2028\u2029]/g, ' '))
      .filter((line) => !/^--\s*migrate:/.test(line.trim()));
    const body = fc.array(bodyLine, { maxLength: 6 }).map((lines) => {
      while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
      return lines.join('\n');
    });
    const bodies = fc.record({
      plain: fc.option(body.map((text) => ({ text }))),
      byDialect: fc.dictionary(
        fc.constantFrom(...DIALECTS),
        body.map((text) => ({ text })),
        { maxKeys: 3 },
      ),
    });
    const input: fc.Arbitrary<RevisionFileInput> = fc.record({
      id: hexId,
      downRevisions: fc.uniqueArray(token, { maxLength: 3 }),
      dependsOn: fc.uniqueArray(token, { maxLength: 2 }),
      branchLabels: fc.uniqueArray(token, { maxLength: 2 }),
      message: fc.string({ maxLength: 60 }).map((message) => message.replace(/\s+/g, ' ').trim()),
      created: fc.option(
        fc
          .date({
            min: new Date('1970-01-01T00:00:00Z'),
            max: new Date('2100-01-01T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString()),
      ),
      transaction: fc.constantFrom('per-migration' as const, 'none' as const),
      phase: fc.constantFrom('pre-deploy' as const, 'post-deploy' as const),
      up: bodies.filter((set) => set.plain !== null || Object.keys(set.byDialect).length > 0),
      down: bodies,
    });
    fc.assert(
      fc.property(input, (x) => {
        const { revision } = parseRevisionFile(renderRevisionFile(x), FILE);
        const texts = (set: Revision['up']) => ({
          plain: set.plain?.text ?? null,
          byDialect: Object.fromEntries(Object.entries(set.byDialect).map(([d, s]) => [d, s.text])),
        });
        expect({ ...revision, file: undefined, up: texts(revision.up), down: texts(revision.down) }).toEqual({
          ...x,
          file: undefined,
          up: texts({
            plain: x.up.plain ? { ...x.up.plain, line: 0 } : null,
            byDialect: x.up.byDialect as Revision['up']['byDialect'],
          }),
          down: texts({
            plain: x.down.plain ? { ...x.down.plain, line: 0 } : null,
            byDialect: x.down.byDialect as Revision['down']['byDialect'],
          }),
        });
        expect(parseRevisionFile(renderRevisionFile(revision), FILE).revision).toEqual(revision);
      }),
      { numRuns: 500 },
    );
  });
});
