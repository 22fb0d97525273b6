/** checkRevisionText: what the editor marks before a save, with the CLI's messages and file lines. */
import { describe, expect, it } from 'vitest';
import { checkRevisionText } from '../../../electron/engine/graph/check-revision-text.ts';
import { chain, makeRevision } from './make-revision.ts';

const FILE = 'migrations/c.sql';
const others = [
  ...chain(['aaaaaaaaaaaa:', 'bbbbbbbbbbbb: aaaaaaaaaaaa']),
  makeRevision({ id: 'cccccccccccc', parents: ['bbbbbbbbbbbb'], file: FILE }),
];

function text(header: string): string {
  return `${header}\n\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n`;
}

describe('checkRevisionText', () => {
  it('finds nothing in a valid edit, and replaces the file’s previous revision', () => {
    const check = checkRevisionText(
      text('-- revision: cccccccccccc\n-- parents: bbbbbbbbbbbb\n-- message: c'),
      FILE,
      others,
    );
    expect(check).toEqual({ revision: 'cccccccccccc', findings: [] });
  });

  it('marks a header error on its line with the parser’s message', () => {
    const check = checkRevisionText(
      text('-- revision: cccccccccccc\n-- parents: bbbbbbbbbbbb\n-- transaction: sometimes'),
      FILE,
      others,
    );
    expect(check.revision).toBeNull();
    expect(check.findings).toEqual([
      {
        code: 'invalid-file',
        severity: 'error',
        file: FILE,
        line: 3,
        message: expect.stringMatching(/^migrations\/c\.sql:3: .*transaction.*sometimes/),
      },
    ]);
  });

  it('marks an unknown parent on the parents line, as `stratum check` words it', () => {
    const check = checkRevisionText(
      text('-- revision: cccccccccccc\n-- message: c\n-- parents: 0123456789ab'),
      FILE,
      others,
    );
    expect(check.findings).toEqual([
      {
        code: 'unknownParent',
        severity: 'error',
        file: FILE,
        line: 3,
        message:
          "Revision cccccccccccc (migrations/c.sql) names parent 0123456789ab, which no revision file declares. Fix its 'parents:' header or restore the missing file.",
      },
    ]);
  });

  it('marks an id another file declares on the revision line', () => {
    const check = checkRevisionText(
      text('-- message: c\n-- revision: aaaaaaaaaaaa\n-- parents: bbbbbbbbbbbbbbbbbbbbbbb'),
      FILE,
      others,
    );
    expect(check.findings).toMatchObject([{ code: 'duplicateRevision', line: 2, severity: 'error' }]);
    expect(check.findings[0]!.message).toMatch(/Revision id aaaaaaaaaaaa is declared by 2 files/);
  });

  it('marks a cycle through the edited file', () => {
    const withChild = [...others, makeRevision({ id: 'dddddddddddd', parents: ['cccccccccccc'] })];
    const check = checkRevisionText(
      text('-- revision: cccccccccccc\n-- parents: dddddddddddd'),
      FILE,
      withChild,
    );
    expect(check.findings).toMatchObject([{ code: 'cycle', line: 2, severity: 'error' }]);
  });

  it('keeps warnings (unknown header key) as warnings, and ignores problems of other files', () => {
    const broken = [...others, makeRevision({ id: 'eeeeeeeeeeee', parents: ['fedcba987654'] })];
    const check = checkRevisionText(
      text('-- revision: cccccccccccc\n-- parents: bbbbbbbbbbbb\n-- owner: ann'),
      FILE,
      broken,
    );
    expect(check.findings).toEqual([
      expect.objectContaining({ code: 'unknown-header-key', severity: 'warning', line: 3 }),
    ]);
  });
});
