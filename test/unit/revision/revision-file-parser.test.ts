import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engine-error.ts';
import { parseRevisionFile } from '../../../electron/engine/revision/revision-file-parser.ts';

const FILE = 'migrations/20261121T1030_3f2a9c1b7d4e_add_email_to_users.sql';

const FULL = [
  '-- revision: 3f2a9c1b7d4e', // 1
  '-- parents: 1a2b3c4d5e6f', // 2
  '-- message: add email to users', // 3
  '-- created: 2026-11-21T10:30:00Z', // 4
  '-- branch-labels: auth, accounts', // 5
  '-- depends-on: 9c0d1e2f3a4b', // 6
  '-- transaction: none', // 7
  '-- phase: post-deploy', // 8
  '', // 9
  '-- migrate:up', // 10
  'ALTER TABLE users ADD COLUMN email TEXT;', // 11
  '', // 12
  '-- migrate:down', // 13
  'ALTER TABLE users DROP COLUMN email;', // 14
  '', // 15
].join('\n');

/** The EngineError thrown by parsing `text`. */
function parseError(text: string): EngineError<'REVISION_FILE_INVALID'> {
  try {
    parseRevisionFile(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('REVISION_FILE_INVALID');
    return error as EngineError<'REVISION_FILE_INVALID'>;
  }
  throw new Error('expected parseRevisionFile to throw');
}

function header(...lines: string[]): string {
  return ['-- revision: 3f2a9c1b7d4e', '-- parents: 1a2b3c4d5e6f', ...lines].join('\n');
}

describe('parseRevisionFile', () => {
  it('reads every header key and both sections', () => {
    const { revision, diagnostics } = parseRevisionFile(FULL, FILE);
    expect(diagnostics).toEqual([]);
    expect(revision).toEqual({
      id: '3f2a9c1b7d4e',
      downRevisions: ['1a2b3c4d5e6f'],
      dependsOn: ['9c0d1e2f3a4b'],
      branchLabels: ['auth', 'accounts'],
      message: 'add email to users',
      created: '2026-11-21T10:30:00Z',
      transaction: 'none',
      phase: 'post-deploy',
      file: FILE,
      up: { plain: { text: 'ALTER TABLE users ADD COLUMN email TEXT;', line: 11 }, byDialect: {} },
      down: { plain: { text: 'ALTER TABLE users DROP COLUMN email;', line: 14 }, byDialect: {} },
    });
  });

  it('applies defaults for optional keys', () => {
    const { revision } = parseRevisionFile(header('', '-- migrate:up', 'SELECT 1;', '-- migrate:down'), FILE);
    expect(revision).toMatchObject({
      message: '',
      created: null,
      branchLabels: [],
      dependsOn: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
      down: { plain: { text: '', line: 7 }, byDialect: {} },
    });
  });

  it('reads dialect overrides next to the plain sections', () => {
    const text = header(
      '', // 3
      '-- migrate:up', // 4
      'CREATE TABLE t (id INTEGER);', // 5
      '-- migrate:up postgres', // 6
      'CREATE TABLE t (id bigserial);', // 7
      '-- migrate:down', // 8
      'DROP TABLE t;', // 9
      '-- migrate:down mysql', // 10
      'DROP TABLE IF EXISTS t;', // 11
    );
    const { revision } = parseRevisionFile(text, FILE);
    expect(revision.up).toEqual({
      plain: { text: 'CREATE TABLE t (id INTEGER);', line: 5 },
      byDialect: { postgres: { text: 'CREATE TABLE t (id bigserial);', line: 7 } },
    });
    expect(revision.down).toEqual({
      plain: { text: 'DROP TABLE t;', line: 9 },
      byDialect: { mysql: { text: 'DROP TABLE IF EXISTS t;', line: 11 } },
    });
  });

  it('reads a merge revision (two parents)', () => {
    const text =
      '-- revision: 3f2a9c1b7d4e\n-- parents: 1a2b3c4d5e6f  9c0d1e2f3a4b\n-- migrate:up\n-- migrate:down\n';
    expect(parseRevisionFile(text, FILE).revision.downRevisions).toEqual(['1a2b3c4d5e6f', '9c0d1e2f3a4b']);
  });

  it('reads a base revision (empty or absent parents)', () => {
    const empty = '-- revision: 3f2a9c1b7d4e\n-- parents:\n-- migrate:up\nSELECT 1;\n-- migrate:down\n';
    expect(parseRevisionFile(empty, FILE).revision.downRevisions).toEqual([]);
    const absent = '-- revision: 3f2a9c1b7d4e\n-- migrate:up\nSELECT 1;\n-- migrate:down\n';
    expect(parseRevisionFile(absent, FILE).revision.downRevisions).toEqual([]);
  });

  it('accepts CRLF, a BOM and trailing whitespace like the LF file', () => {
    const messy =
      '\uFEFF' +
      FULL.split('\n')
        .map((line) => `${line}  \t`)
        .join('\r\n');
    const clean = parseRevisionFile(FULL, FILE).revision;
    const parsed = parseRevisionFile(messy, FILE).revision;
    expect({ ...parsed, up: null, down: null }).toEqual({ ...clean, up: null, down: null });
    expect(parsed.up.plain?.line).toBe(11);
    expect(parsed.up.plain?.text.trimEnd()).toBe(clean.up.plain?.text);
    expect(parsed.down.plain?.text.trimEnd()).toBe(clean.down.plain?.text);
  });

  it('allows free comments and blank lines among and after the header', () => {
    const text = header(
      '-- This migration adds a table.',
      '',
      '-- migrate:up',
      'SELECT 1;',
      '-- migrate:down',
    );
    expect(parseRevisionFile(text, FILE).diagnostics).toEqual([]);
  });

  it('keeps comments and blank lines inside a section, without trailing blank lines', () => {
    const text = header(
      '-- migrate:up',
      '',
      '-- first',
      'SELECT 1;',
      '',
      '  ',
      '-- migrate:down',
      'SELECT 2;',
      '',
      '',
    );
    const { revision } = parseRevisionFile(text, FILE);
    expect(revision.up.plain).toEqual({ text: '\n-- first\nSELECT 1;', line: 4 });
    expect(revision.down.plain).toEqual({ text: 'SELECT 2;', line: 10 });
  });

  it('warns about an unknown header key and suggests the right one', () => {
    const text = header('-- branch_labels: x', '-- owner: team', '-- migrate:up', '-- migrate:down');
    const { revision, diagnostics } = parseRevisionFile(text, FILE);
    expect(revision.branchLabels).toEqual([]);
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatchObject({
      code: 'unknown-header-key',
      severity: 'warning',
      file: FILE,
      line: 3,
    });
    expect(diagnostics[0]?.message).toContain('"branch_labels"');
    expect(diagnostics[0]?.message).toContain('Did you mean "branch-labels"?');
    expect(diagnostics[1]).toMatchObject({ code: 'unknown-header-key', line: 4 });
  });

  it('warns that a revision without a down section is irreversible', () => {
    const { revision, diagnostics } = parseRevisionFile(header('', '-- migrate:up', 'SELECT 1;'), FILE);
    expect(revision.down).toEqual({ plain: null, byDialect: {} });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'irreversible', severity: 'warning', file: FILE, line: 4 }),
    ]);
    expect(diagnostics[0]?.message).toContain('migrate:down');
  });

  describe('errors', () => {
    it('no header at all', () => {
      const error = parseError('CREATE TABLE t (id int);\n');
      expect(error.details).toEqual({ file: FILE, line: 1, reason: expect.stringContaining('revision') });
      expect(error.message).toContain(`${FILE}:1`);
      expect(error.message).toContain('-- revision:');
    });

    it('no revision: line', () => {
      const error = parseError('-- parents:\n-- message: x\n-- migrate:up\nSELECT 1;\n');
      expect(error.details.line).toBe(1);
      expect(error.message).toContain('no "-- revision: <id>" header line');
    });

    it.each([
      ['3F2A9C1B7D4E', 'uppercase'],
      ['3f2a9c1b7d', '10 characters'],
      ['3f2a9c1b7d4e5', '13 characters'],
      ['3f2a9c1b7d4g', 'non-hex'],
      ['3f2a-9c1b7d4', 'reserved characters'],
      ['', 'found nothing'],
    ])('revision id %j is not 12 lowercase hex', (id, found) => {
      const error = parseError(`-- message: x\n-- revision: ${id}\n-- migrate:up\n`);
      expect(error.details.line).toBe(2);
      expect(error.message).toContain(`${FILE}:2`);
      expect(error.message).toContain('12 lowercase hexadecimal');
      expect(error.message).toContain(found);
    });

    it('duplicate header key names both lines', () => {
      const error = parseError(header('-- message: a', '-- message: b', '-- migrate:up'));
      expect(error.details.line).toBe(4);
      expect(error.message).toContain('duplicate header key "message"');
      expect(error.message).toContain('line 3');
      expect(error.message).toContain('line 4');
    });

    it('invalid transaction lists the valid values', () => {
      const error = parseError(header('-- transaction: always', '-- migrate:up'));
      expect(error.details.line).toBe(3);
      expect(error.message).toContain('"always"');
      expect(error.message).toContain('"per-migration" and "none"');
    });

    it('invalid phase lists the valid values', () => {
      const error = parseError(header('', '-- phase: later', '-- migrate:up'));
      expect(error.details.line).toBe(4);
      expect(error.message).toContain('"pre-deploy" and "post-deploy"');
    });

    it('invalid created date', () => {
      const error = parseError(header('-- created: yesterday', '-- migrate:up'));
      expect(error.details.line).toBe(3);
      expect(error.message).toContain('ISO-8601');
    });

    it.each([
      ['-- branch-labels: auth@v2', 'auth@v2'],
      ['-- branch-labels: a-b', 'a-b'],
      ['-- parents: 1a2b3c4d5e6f abc+1', 'abc+1'],
      ['-- depends-on: x:y', 'x:y'],
    ])('reserved characters in %j', (line, token) => {
      const error = parseError(['-- revision: 3f2a9c1b7d4e', line, '-- migrate:up'].join('\n'));
      expect(error.details.line).toBe(2);
      expect(error.message).toContain(`"${token}"`);
      expect(error.message).toContain('@ - + :');
    });

    it('no migrate:up section', () => {
      const error = parseError(header('', '-- migrate:down', 'SELECT 1;'));
      expect(error.details.line).toBe(4);
      expect(error.message).toContain('no "-- migrate:up" section');
    });

    it('no sections at all', () => {
      const error = parseError(header('-- message: x'));
      expect(error.message).toContain('no "-- migrate:up" section');
    });

    it('two sections of the same kind and dialect name both lines', () => {
      const error = parseError(header('-- migrate:up', 'SELECT 1;', '-- migrate:up', 'SELECT 2;'));
      expect(error.details.line).toBe(5);
      expect(error.message).toContain('duplicate "-- migrate:up" section');
      expect(error.message).toContain('line 3');
      expect(error.message).toContain('line 5');
    });

    it('two overrides for the same dialect', () => {
      const error = parseError(header('-- migrate:up', '-- migrate:down mysql', '-- migrate:down mysql'));
      expect(error.details.line).toBe(5);
      expect(error.message).toContain('"-- migrate:down mysql"');
      expect(error.message).toContain('line 4');
    });

    it('unknown dialect after a marker lists the valid ones', () => {
      const error = parseError(header('-- migrate:up', 'SELECT 1;', '-- migrate:up postgresql'));
      expect(error.details.line).toBe(5);
      expect(error.message).toContain('unknown dialect "postgresql"');
      expect(error.message).toContain('sqlite, postgres, mysql');
    });

    it('malformed marker in the header area', () => {
      const error = parseError(header('-- migrate: upp', 'SELECT 1;'));
      expect(error.details.line).toBe(3);
      expect(error.message).toContain('malformed section marker');
    });

    it('text other than comments between header and first section', () => {
      const error = parseError(header('', 'CREATE TABLE t (id int);', '-- migrate:up'));
      expect(error.details).toEqual({
        file: FILE,
        line: 4,
        reason: expect.stringContaining('CREATE TABLE t'),
      });
      expect(error.message).toContain('before the first section');
    });
  });
});
