import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import { parseRevisionFile } from '../../../electron/engine/revision/revision-file-parser.ts';
import {
  renderRevisionFile,
  revisionFileName,
  type RevisionFileInput,
} from '../../../electron/engine/revision/revision-file-writer.ts';

const FILE = 'migrations/x.sql';

const INPUT: RevisionFileInput = {
  id: '3f2a9c1b7d4e',
  downRevisions: ['1a2b3c4d5e6f'],
  dependsOn: ['9c0d1e2f3a4b'],
  branchLabels: ['auth'],
  message: 'add email to users',
  created: '2026-11-21T10:30:00Z',
  transaction: 'per-migration',
  phase: 'pre-deploy',
  up: { plain: { text: 'ALTER TABLE users ADD COLUMN email TEXT;' }, byDialect: {} },
  down: { plain: { text: 'ALTER TABLE users DROP COLUMN email;' }, byDialect: {} },
};

describe('renderRevisionFile', () => {
  it('writes the canonical form of DESIGN.md §2', () => {
    expect(renderRevisionFile(INPUT)).toBe(
      [
        '-- revision: 3f2a9c1b7d4e',
        '-- parents: 1a2b3c4d5e6f',
        '-- message: add email to users',
        '-- created: 2026-11-21T10:30:00Z',
        '-- branch-labels: auth',
        '-- depends-on: 9c0d1e2f3a4b',
        '-- transaction: per-migration',
        '-- phase: pre-deploy',
        '',
        '-- migrate:up',
        'ALTER TABLE users ADD COLUMN email TEXT;',
        '',
        '-- migrate:down',
        'ALTER TABLE users DROP COLUMN email;',
        '',
      ].join('\n'),
    );
  });

  it('writes a base revision with empty parents and no optional keys', () => {
    const text = renderRevisionFile({
      ...INPUT,
      downRevisions: [],
      dependsOn: [],
      branchLabels: [],
      created: null,
      message: '',
    });
    expect(text.split('\n').slice(0, 5)).toEqual([
      '-- revision: 3f2a9c1b7d4e',
      '-- parents:',
      '-- message:',
      '-- transaction: per-migration',
      '-- phase: pre-deploy',
    ]);
  });

  it('round-trips: parse(render(x)) equals x', () => {
    const { revision } = parseRevisionFile(
      renderRevisionFile({
        ...INPUT,
        downRevisions: ['1a2b3c4d5e6f', '9c0d1e2f3a4b'],
        transaction: 'none',
        phase: 'post-deploy',
        up: {
          plain: { text: '-- note\nCREATE TABLE t (\n  id int\n);' },
          byDialect: { postgres: { text: 'CREATE TABLE t (id bigserial);' } },
        },
        down: { plain: { text: '' }, byDialect: { mysql: { text: 'DROP TABLE t;' } } },
      }),
      FILE,
    );
    expect(renderRevisionFile(revision)).toBe(
      renderRevisionFile(parseRevisionFile(renderRevisionFile(revision), FILE).revision),
    );
    expect(parseRevisionFile(renderRevisionFile(revision), FILE).revision).toEqual(revision);
    expect(revision).toMatchObject({
      downRevisions: ['1a2b3c4d5e6f', '9c0d1e2f3a4b'],
      transaction: 'none',
      phase: 'post-deploy',
      up: {
        plain: { text: '-- note\nCREATE TABLE t (\n  id int\n);' },
        byDialect: { postgres: { text: 'CREATE TABLE t (id bigserial);' } },
      },
      down: { plain: { text: '' }, byDialect: { mysql: { text: 'DROP TABLE t;' } } },
    });
  });

  it('round-trips a parsed file with every key', () => {
    const parsed = parseRevisionFile(renderRevisionFile(INPUT), FILE);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.revision).toMatchObject({
      ...INPUT,
      up: { plain: INPUT.up.plain },
      down: { plain: INPUT.down.plain },
    });
    expect(parseRevisionFile(renderRevisionFile(parsed.revision), FILE).revision).toEqual(parsed.revision);
  });

  it('leaves out a missing down section (irreversible) and keeps messages on one line', () => {
    const text = renderRevisionFile({
      ...INPUT,
      message: 'two\nlines',
      down: { plain: null, byDialect: {} },
    });
    expect(text).not.toContain('migrate:down');
    expect(text).toContain('-- message: two lines\n');
    expect(parseRevisionFile(text, FILE).diagnostics.map((d) => d.code)).toEqual(['irreversible']);
  });

  it('drops trailing blank lines and CRLF from bodies', () => {
    const text = renderRevisionFile({
      ...INPUT,
      up: { plain: { text: 'SELECT 1;\r\n\r\n  \n' }, byDialect: {} },
    });
    expect(text).toContain('-- migrate:up\nSELECT 1;\n\n-- migrate:down');
  });
});

describe('revisionFileName', () => {
  it('names the file <created>_<id>_<slug>.sql', () => {
    expect(revisionFileName('2026-11-21T10:30:00Z', '3f2a9c1b7d4e', 'Add email to users')).toBe(
      '20261121T1030_3f2a9c1b7d4e_add_email_to_users.sql',
    );
  });

  it('uses UTC for a Date and for a string with an offset', () => {
    expect(revisionFileName(new Date(Date.UTC(2026, 0, 2, 3, 4, 59)), '3f2a9c1b7d4e', 'x')).toBe(
      '20260102T0304_3f2a9c1b7d4e_x.sql',
    );
    expect(revisionFileName('2026-11-21T10:30:00+02:00', '3f2a9c1b7d4e', 'x')).toBe(
      '20261121T0830_3f2a9c1b7d4e_x.sql',
    );
  });

  it('makes an ASCII slug of at most 40 characters, cut at a word boundary', () => {
    expect(
      revisionFileName('2026-11-21T10:30:00Z', 'aaaaaaaaaaaa', "Crème brûlée: users' e-mail (v2)!"),
    ).toBe('20261121T1030_aaaaaaaaaaaa_creme_brulee_users_e_mail_v2.sql');
    const name = revisionFileName(
      '2026-11-21T10:30:00Z',
      'aaaaaaaaaaaa',
      'one two three four five six seven eight nine ten',
    );
    expect(name).toBe('20261121T1030_aaaaaaaaaaaa_one_two_three_four_five_six_seven_eight.sql');
    const long = revisionFileName('2026-11-21T10:30:00Z', 'aaaaaaaaaaaa', 'x'.repeat(50));
    expect(long).toBe(`20261121T1030_aaaaaaaaaaaa_${'x'.repeat(40)}.sql`);
  });

  it('leaves out an empty slug', () => {
    expect(revisionFileName('2026-11-21T10:30:00Z', '3f2a9c1b7d4e', '日本語 !!')).toBe(
      '20261121T1030_3f2a9c1b7d4e.sql',
    );
  });

  it('refuses an invalid date', () => {
    expect(() => revisionFileName('not a date', '3f2a9c1b7d4e', 'x')).toThrow(EngineError);
  });
});
