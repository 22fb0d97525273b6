import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeSql, type SqlToken } from '../../../renderer/ui/sql-tokens.ts';

/** The tokens as `kind:text`, with runs of plain text split at whitespace (which is dropped). */
const significant = (sql: string): string[] =>
  tokenizeSql(sql).flatMap((t) =>
    t.kind === 'text'
      ? t.text.split(/\s+/).flatMap((w) => (w === '' ? [] : [`text:${w}`]))
      : [`${t.kind}:${t.text}`],
  );

const joined = (tokens: readonly SqlToken[]): string => tokens.map((t) => t.text).join('');

/** Strings made of SQL's own delimiters reach the tokenizer's corners more often than random text. */
const sqlish = fc.string({
  unit: fc.constantFrom(
    ...["'", '"', '`', '$', '$$', '$fn$', '--', '/*', '*/', '\n', ' ', '1', '1.5', '.', '_', 'a', 'select'],
  ),
});

describe('tokenizeSql', () => {
  it('classifies keywords, identifiers, numbers and punctuation', () => {
    expect(significant('SELECT id, name FROM users WHERE id = 42 AND score > 1.5;')).toEqual([
      'keyword:SELECT',
      'text:id',
      'text:,',
      'text:name',
      'keyword:FROM',
      'text:users',
      'keyword:WHERE',
      'text:id',
      'text:=',
      'number:42',
      'keyword:AND',
      'text:score',
      'text:>',
      'number:1.5',
      'text:;',
    ]);
  });

  it('matches keywords in any case, but not inside identifiers', () => {
    expect(significant('create Table selection t1 from_date')).toEqual([
      'keyword:create',
      'keyword:Table',
      'text:selection',
      'text:t1',
      'text:from_date',
    ]);
  });

  it('reads quoted strings and identifiers, with doubled quotes inside', () => {
    expect(significant(`'it''s' "my ""col""" \`tick\``)).toEqual([
      "string:'it''s'",
      'string:"my ""col"""',
      'string:`tick`',
    ]);
  });

  it('does not read keywords or comments inside strings', () => {
    expect(significant("'select -- not a comment'")).toEqual(["string:'select -- not a comment'"]);
  });

  it('reads line and block comments', () => {
    expect(significant('SELECT 1; -- one\n/* two\nlines */ SELECT')).toEqual([
      'keyword:SELECT',
      'number:1',
      'text:;',
      'comment:-- one',
      'comment:/* two\nlines */',
      'keyword:SELECT',
    ]);
  });

  it('reads dollar-quoted bodies as one string', () => {
    const sql = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN 'x'; END $$ LANGUAGE plpgsql;";
    expect(significant(sql)).toContain("string:$$ BEGIN RETURN 'x'; END $$");
    expect(significant('$body$ SELECT 1 $body$')).toEqual(['string:$body$ SELECT 1 $body$']);
  });

  it('ends a dollar-quoted body only at its own tag', () => {
    const sql = "$fn$ EXECUTE $q$ SELECT 'a' $q$; SELECT '$$' $fn$ SELECT 1";
    expect(significant(sql)).toEqual([
      "string:$fn$ EXECUTE $q$ SELECT 'a' $q$; SELECT '$$' $fn$",
      'keyword:SELECT',
      'number:1',
    ]);
  });

  it('does not take positional parameters for dollar quotes', () => {
    expect(significant('WHERE id = $1 AND name = $2')).toEqual([
      'keyword:WHERE',
      'text:id',
      'text:=',
      'text:$',
      'number:1',
      'keyword:AND',
      'text:name',
      'text:=',
      'text:$',
      'number:2',
    ]);
  });

  it.each([
    ["SELECT 'unterminated", "string:'unterminated"],
    ['SELECT "unterminated', 'string:"unterminated'],
    ['SELECT `unterminated', 'string:`unterminated'],
    ['SELECT /* unterminated\ncomment', 'comment:/* unterminated\ncomment'],
    ['SELECT $$ unterminated body', 'string:$$ unterminated body'],
    ['SELECT -- to the end', 'comment:-- to the end'],
  ])('runs an unterminated token to the end: %j', (sql, last) => {
    const tokens = significant(sql);
    expect(tokens).toEqual(['keyword:SELECT', last]);
  });

  it('gives no tokens for an empty string, one text token for plain spaces', () => {
    expect(tokenizeSql('')).toEqual([]);
    expect(tokenizeSql(' \n\t')).toEqual([{ kind: 'text', text: ' \n\t' }]);
  });

  it('gives tokens that concatenate back to the input, none empty (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), sqlish), (sql) => {
        const tokens = tokenizeSql(sql);
        expect(joined(tokens)).toBe(sql);
        for (const t of tokens) expect(t.text).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});
