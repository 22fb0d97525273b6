import { describe, expect, it } from 'vitest';
import { parseRevisionFile } from '../../../electron/engine/revision/revision-file-parser.ts';
import type { SplitterSyntax } from '../../../electron/engine/revision/revision.ts';
import { isReversible, statementsFor } from '../../../electron/engine/revision/revision-statements.ts';

const SYNTAX: SplitterSyntax = {
  dollarQuotes: false,
  delimiterDirective: false,
  beginEndBlocks: true,
  backslashEscapes: false,
  backtickIdentifiers: true,
};

const TEXT = [
  '-- revision: 3f2a9c1b7d4e', // 1
  '-- parents:', // 2
  '-- migrate:up', // 3
  'CREATE TABLE t (id int);', // 4
  'CREATE INDEX i ON t (id);', // 5
  '-- migrate:up postgres', // 6
  'CREATE TABLE t (id bigserial);', // 7
  '-- migrate:down mysql', // 8
  'DROP TABLE t;', // 9
].join('\n');

describe('statementsFor', () => {
  const { revision } = parseRevisionFile(TEXT, 'a.sql');

  it('splits the plain up section with file lines', () => {
    expect(statementsFor(revision, 'up', 'sqlite', SYNTAX)).toEqual([
      { sql: 'CREATE TABLE t (id int)', line: 4, index: 0 },
      { sql: 'CREATE INDEX i ON t (id)', line: 5, index: 1 },
    ]);
  });

  it('uses the dialect override', () => {
    expect(statementsFor(revision, 'up', 'postgres', SYNTAX)).toEqual([
      { sql: 'CREATE TABLE t (id bigserial)', line: 7, index: 0 },
    ]);
    expect(statementsFor(revision, 'down', 'mysql', SYNTAX)).toEqual([
      { sql: 'DROP TABLE t', line: 9, index: 0 },
    ]);
  });

  it('gives no statements for a missing down section, and isReversible tells why', () => {
    expect(statementsFor(revision, 'down', 'sqlite', SYNTAX)).toEqual([]);
    expect(isReversible(revision, 'sqlite')).toBe(false);
    expect(isReversible(revision, 'mysql')).toBe(true);
  });

  it('treats an empty down section as reversible', () => {
    const { revision: empty } = parseRevisionFile(`${TEXT}\n-- migrate:down\n`, 'a.sql');
    expect(isReversible(empty, 'sqlite')).toBe(true);
    expect(statementsFor(empty, 'down', 'sqlite', SYNTAX)).toEqual([]);
  });
});
