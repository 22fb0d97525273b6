import { describe, expect, it } from 'vitest';
import type { SplitterSyntax } from '../../../electron/engine/revision/revision.ts';
import { splitStatements } from '../../../electron/engine/revision/statement-splitter.ts';

const POSTGRES: SplitterSyntax = {
  dollarQuotes: true,
  delimiterDirective: false,
  beginEndBlocks: false,
  backslashEscapes: false,
  backtickIdentifiers: false,
};
const SQLITE: SplitterSyntax = {
  dollarQuotes: false,
  delimiterDirective: false,
  beginEndBlocks: true,
  backslashEscapes: false,
  backtickIdentifiers: true,
};
const MYSQL: SplitterSyntax = {
  dollarQuotes: false,
  delimiterDirective: true,
  beginEndBlocks: true,
  backslashEscapes: true,
  backtickIdentifiers: true,
};
const SYNTAXES = { postgres: POSTGRES, sqlite: SQLITE, mysql: MYSQL };

function sqls(text: string, syntax: SplitterSyntax): string[] {
  return splitStatements({ text, line: 1 }, syntax).map((statement) => statement.sql);
}

interface Case {
  readonly name: string;
  readonly syntax: keyof typeof SYNTAXES;
  readonly text: string;
  readonly expected: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'plain statements',
    syntax: 'sqlite',
    text: 'SELECT 1;\nSELECT 2;',
    expected: ['SELECT 1', 'SELECT 2'],
  },
  {
    name: 'missing final terminator',
    syntax: 'sqlite',
    text: 'SELECT 1;\nSELECT 2',
    expected: ['SELECT 1', 'SELECT 2'],
  },
  { name: 'empty fragments dropped', syntax: 'sqlite', text: ';;\n ;SELECT 1;;', expected: ['SELECT 1'] },
  { name: 'empty text', syntax: 'postgres', text: '', expected: [] },
  {
    name: 'semicolon in a single-quoted string',
    syntax: 'sqlite',
    text: "INSERT INTO t VALUES ('a;b');SELECT 2;",
    expected: ["INSERT INTO t VALUES ('a;b')", 'SELECT 2'],
  },
  {
    name: "doubled quote '' escape",
    syntax: 'postgres',
    text: "SELECT 'it''s; fine';SELECT 2;",
    expected: ["SELECT 'it''s; fine'", 'SELECT 2'],
  },
  {
    name: 'backslash escape (mysql)',
    syntax: 'mysql',
    text: "SELECT 'it\\'s; fine';SELECT 2;",
    expected: ["SELECT 'it\\'s; fine'", 'SELECT 2'],
  },
  {
    name: 'backslash is literal without backslashEscapes (postgres)',
    syntax: 'postgres',
    text: "SELECT 'C:\\';SELECT 2;",
    expected: ["SELECT 'C:\\'", 'SELECT 2'],
  },
  {
    name: "postgres E'' string has backslash escapes",
    syntax: 'postgres',
    text: "SELECT E'a\\';b';SELECT 2;",
    expected: ["SELECT E'a\\';b'", 'SELECT 2'],
  },
  {
    name: 'double-quoted identifier with ; and "" escape',
    syntax: 'postgres',
    text: 'CREATE TABLE "a;""b" (id int);SELECT 2;',
    expected: ['CREATE TABLE "a;""b" (id int)', 'SELECT 2'],
  },
  {
    name: 'backtick identifier',
    syntax: 'mysql',
    text: 'CREATE TABLE `a;b` (id int);SELECT 2;',
    expected: ['CREATE TABLE `a;b` (id int)', 'SELECT 2'],
  },
  {
    name: 'backticks are plain characters in postgres',
    syntax: 'postgres',
    text: 'SELECT `a;b`;',
    expected: ['SELECT `a', 'b`'],
  },
  {
    name: 'line comment containing ;',
    syntax: 'sqlite',
    text: 'SELECT 1 -- not; here\n+ 1;SELECT 2;',
    expected: ['SELECT 1 -- not; here\n+ 1', 'SELECT 2'],
  },
  {
    name: 'block comment containing ;',
    syntax: 'sqlite',
    text: 'SELECT /* a; b */ 1;SELECT 2;',
    expected: ['SELECT /* a; b */ 1', 'SELECT 2'],
  },
  {
    name: 'nested block comment (postgres)',
    syntax: 'postgres',
    text: 'SELECT /* a /* b; */ c; */ 1;SELECT 2;',
    expected: ['SELECT /* a /* b; */ c; */ 1', 'SELECT 2'],
  },
  {
    name: 'comment-only fragments dropped',
    syntax: 'postgres',
    text: '-- leading\nSELECT 1; -- trailing\n/* block */',
    expected: ['SELECT 1'],
  },
  {
    name: 'leading comments are not part of the statement',
    syntax: 'postgres',
    text: '-- note\n/* more */ SELECT 1;',
    expected: ['SELECT 1'],
  },
  {
    name: 'dollar quotes',
    syntax: 'postgres',
    text: 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;SELECT 2;',
    expected: ['CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql', 'SELECT 2'],
  },
  {
    name: 'tagged dollar quotes with a nested different tag',
    syntax: 'postgres',
    text: "DO $outer$ BEGIN EXECUTE $inner$ SELECT ';'; $inner$; END; $outer$;SELECT 2;",
    expected: ["DO $outer$ BEGIN EXECUTE $inner$ SELECT ';'; $inner$; END; $outer$", 'SELECT 2'],
  },
  {
    name: '$1 parameters are not dollar quotes',
    syntax: 'postgres',
    text: 'PREPARE p AS SELECT $1 + $2;EXECUTE p(1, 2);',
    expected: ['PREPARE p AS SELECT $1 + $2', 'EXECUTE p(1, 2)'],
  },
  {
    name: '$ inside an identifier is not a dollar quote',
    syntax: 'postgres',
    text: 'SELECT a$$b FROM t;SELECT 2;',
    expected: ['SELECT a$$b FROM t', 'SELECT 2'],
  },
  {
    name: 'dollar quotes are plain characters in sqlite',
    syntax: 'sqlite',
    text: 'SELECT $$;$$;',
    expected: ['SELECT $$', '$$'],
  },
  {
    name: 'sqlite trigger with BEGIN … END and CASE … END inside',
    syntax: 'sqlite',
    text: [
      'CREATE TEMP TRIGGER trg AFTER INSERT ON t',
      'BEGIN',
      "  UPDATE t SET kind = CASE WHEN new.v > 0 THEN 'pos' ELSE 'neg' END WHERE id = new.id;",
      '  INSERT INTO log VALUES (new.id);',
      'END;',
      'SELECT 2;',
    ].join('\n'),
    expected: [
      [
        'CREATE TEMP TRIGGER trg AFTER INSERT ON t',
        'BEGIN',
        "  UPDATE t SET kind = CASE WHEN new.v > 0 THEN 'pos' ELSE 'neg' END WHERE id = new.id;",
        '  INSERT INTO log VALUES (new.id);',
        'END',
      ].join('\n'),
      'SELECT 2',
    ],
  },
  {
    name: 'BEGIN outside a trigger is an ordinary statement',
    syntax: 'sqlite',
    text: 'BEGIN;CREATE TABLE t (id int);COMMIT;',
    expected: ['BEGIN', 'CREATE TABLE t (id int)', 'COMMIT'],
  },
  {
    name: 'CREATE TABLE with a column named like a keyword is not a block',
    syntax: 'sqlite',
    text: 'CREATE TABLE audit (event text, trigger_name text);INSERT INTO audit VALUES (1, 2);',
    expected: ['CREATE TABLE audit (event text, trigger_name text)', 'INSERT INTO audit VALUES (1, 2)'],
  },
  {
    name: 'mysql trigger without DELIMITER, with END IF',
    syntax: 'mysql',
    text: 'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a < 0 THEN SET NEW.a = 0; END IF; END;SELECT 2;',
    expected: [
      'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a < 0 THEN SET NEW.a = 0; END IF; END',
      'SELECT 2',
    ],
  },
  {
    name: 'mysql DELIMITER // with a trigger, then back to ;',
    syntax: 'mysql',
    text: [
      'DELIMITER //',
      'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW',
      'BEGIN',
      '  SET NEW.a = 1;',
      'END //',
      'DELIMITER ;',
      'SELECT 2;',
    ].join('\n'),
    expected: [
      'CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.a = 1;\nEND',
      'SELECT 2',
    ],
  },
  {
    name: 'mysql DELIMITER $$ with two routines',
    syntax: 'mysql',
    text: 'delimiter $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nCREATE PROCEDURE q() BEGIN SELECT 2; END$$\ndelimiter ;\nCALL p();',
    expected: [
      'CREATE PROCEDURE p() BEGIN SELECT 1; END',
      'CREATE PROCEDURE q() BEGIN SELECT 2; END',
      'CALL p()',
    ],
  },
  {
    name: 'DELIMITER is an ordinary word without delimiterDirective',
    syntax: 'sqlite',
    text: 'DELIMITER //\nSELECT 1;',
    expected: ['DELIMITER //\nSELECT 1'],
  },
  {
    name: 'mysql # comment and executable comment',
    syntax: 'mysql',
    text: '# note; here\n/*!40101 SET NAMES utf8 */;SELECT 1;',
    expected: ['/*!40101 SET NAMES utf8 */', 'SELECT 1'],
  },
  {
    name: 'mysql -- needs a following space to be a comment',
    syntax: 'mysql',
    text: 'SELECT 1--1;SELECT 2;',
    expected: ['SELECT 1--1', 'SELECT 2'],
  },
  {
    name: 'non-ASCII text',
    syntax: 'postgres',
    text: "INSERT INTO t VALUES ('héllo; wörld 🎉');\nSELECT 'ñ' AS \"ç;\";",
    expected: ["INSERT INTO t VALUES ('héllo; wörld 🎉')", 'SELECT \'ñ\' AS "ç;"'],
  },
  {
    name: 'unterminated string',
    syntax: 'sqlite',
    text: "SELECT 1;SELECT 'abc;\ndef",
    expected: ['SELECT 1', "SELECT 'abc;\ndef"],
  },
  { name: 'unterminated identifier', syntax: 'sqlite', text: 'SELECT "abc;', expected: ['SELECT "abc;'] },
  {
    name: 'unterminated block comment',
    syntax: 'sqlite',
    text: 'SELECT 1;/* abc; def',
    expected: ['SELECT 1', '/* abc; def'],
  },
  {
    name: 'unterminated dollar quote',
    syntax: 'postgres',
    text: 'SELECT 1;SELECT $tag$ abc; def',
    expected: ['SELECT 1', 'SELECT $tag$ abc; def'],
  },
  {
    name: 'trailing backslash in a string',
    syntax: 'mysql',
    text: "SELECT 'abc\\",
    expected: ["SELECT 'abc\\"],
  },
  {
    name: 'unterminated trigger body',
    syntax: 'sqlite',
    text: 'CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2;',
    expected: ['CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2;'],
  },
];

describe('splitStatements', () => {
  it.each(CASES)('$name ($syntax)', ({ syntax, text, expected }) => {
    expect(sqls(text, SYNTAXES[syntax])).toEqual(expected);
  });

  it('numbers statements from 0 and reports file lines of the first non-comment character', () => {
    const text = [
      '-- a leading comment', // 20
      '', // 21
      'CREATE TABLE t (', // 22
      '  id int', // 23
      ');', // 24
      '/* block', // 25
      '   comment */', // 26
      '', // 27
      '   INSERT INTO t', // 28
      '   VALUES (1); SELECT 1;', // 29
    ].join('\n');
    const statements = splitStatements({ text, line: 20 }, POSTGRES);
    expect(statements).toEqual([
      { sql: 'CREATE TABLE t (\n  id int\n)', line: 22, index: 0 },
      { sql: 'INSERT INTO t\n   VALUES (1)', line: 28, index: 1 },
      { sql: 'SELECT 1', line: 29, index: 2 },
    ]);
  });

  it('counts lines inside strings, dollar quotes and comments', () => {
    const text = "SELECT 'a\nb';\nSELECT $$\n$$;\n/*\n*/\nSELECT 3;";
    const lines = splitStatements({ text, line: 5 }, POSTGRES).map((statement) => statement.line);
    expect(lines).toEqual([5, 7, 11]);
  });

  it('reports the line after a DELIMITER directive', () => {
    const text = 'DELIMITER //\n\nSELECT 1 //\nDELIMITER ;\nSELECT 2;';
    expect(splitStatements({ text, line: 3 }, MYSQL)).toEqual([
      { sql: 'SELECT 1', line: 5, index: 0 },
      { sql: 'SELECT 2', line: 7, index: 1 },
    ]);
  });

  it('splits 10,000 statements', () => {
    const text = Array.from({ length: 10_000 }, (_, n) => `INSERT INTO t VALUES (${n}, 'x;y');`).join('\n');
    const statements = splitStatements({ text, line: 1 }, MYSQL);
    expect(statements).toHaveLength(10_000);
    expect(statements[9_999]).toEqual({
      sql: "INSERT INTO t VALUES (9999, 'x;y')",
      line: 10_000,
      index: 9_999,
    });
  });
});
