import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SplitterSyntax, Statement } from '../../electron/engine/revision/revision.ts';
import { splitStatements } from '../../electron/engine/revision/statement-splitter.ts';

const syntaxArb: fc.Arbitrary<SplitterSyntax> = fc.record({
  dollarQuotes: fc.boolean(),
  delimiterDirective: fc.boolean(),
  beginEndBlocks: fc.boolean(),
  backslashEscapes: fc.boolean(),
  backtickIdentifiers: fc.boolean(),
});

/** SQL-ish tokens that exercise every state of the splitter. */
const SQLISH_TOKENS = [
  ';',
  "'",
  "''",
  '"',
  '`',
  '\\',
  '$$',
  '$a$',
  '$1',
  '--',
  '-- ',
  '#',
  '/*',
  '*/',
  '/*!',
  '\n',
  '\r\n',
  ' ',
  'BEGIN',
  'END',
  'END IF',
  'CASE',
  'CREATE',
  'CREATE TRIGGER t',
  'TRIGGER',
  'PROCEDURE',
  'DELIMITER //',
  '\nDELIMITER ;\n',
  '\nDELIMITER $$\n',
  '//',
  'E',
  "E'",
  'SELECT',
  'x',
  '1',
  '(',
  ')',
  'é',
  '🎉',
];
const sqlishText = fc
  .array(fc.constantFrom(...SQLISH_TOKENS), { maxLength: 60 })
  .map((tokens) => tokens.join(''));
const anyText = fc.oneof(
  sqlishText,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function checkShape(text: string, line: number, statements: readonly Statement[]): void {
  const lastLine = line + (text.match(/\n/g)?.length ?? 0);
  let previous = line;
  statements.forEach((statement, index) => {
    expect(statement.index).toBe(index);
    expect(statement.sql).not.toBe('');
    expect(statement.sql).toBe(statement.sql.trim());
    expect(text).toContain(statement.sql);
    expect(statement.line).toBeGreaterThanOrEqual(previous);
    expect(statement.line).toBeLessThanOrEqual(lastLine);
    previous = statement.line;
  });
}

describe('splitStatements (properties)', () => {
  it('never throws, terminates, and keeps statements in order within the section', () => {
    fc.assert(
      fc.property(anyText, syntaxArb, fc.integer({ min: 1, max: 10_000 }), (text, syntax, line) => {
        checkShape(text, line, splitStatements({ text, line }, syntax));
      }),
      { numRuns: 1000 },
    );
  });

  it('loses no character but ; and whitespace when there are no quotes, comments or blocks', () => {
    const plainText = fc
      .array(fc.constantFrom('SELECT', 'a', '1', ' ', '\n', '\t', ';', ';;', '(', ')', ',', '=', '*', 'é'), {
        maxLength: 80,
      })
      .map((tokens) => tokens.join(''));
    fc.assert(
      fc.property(plainText, syntaxArb, (text, syntax) => {
        const statements = splitStatements({ text, line: 1 }, syntax);
        const squash = (value: string): string => value.replace(/[\s;]/g, '');
        expect(statements.map((statement) => squash(statement.sql)).join('')).toBe(squash(text));
        const fragments = text.split(';').filter((fragment) => fragment.trim() !== '');
        expect(statements.map((statement) => statement.sql)).toEqual(
          fragments.map((fragment) => fragment.trim()),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('gives back statements joined with ";\\n", quotes and inner comments included', () => {
    const token = fc.constantFrom(
      'a',
      'SELECT',
      '1',
      "'a;b'",
      '"c;d"',
      "'it''s'",
      '/* ; */',
      '-- x;\nz',
      '\n',
      '(',
      ')',
    );
    const statement = fc
      .tuple(fc.constantFrom('SELECT', 'INSERT', 'UPDATE', 'x'), fc.array(token, { maxLength: 8 }))
      .map(([first, rest]) => [first, ...rest].join(' ').trim());
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 10 }), syntaxArb, (sqls, syntax) => {
        const text = sqls.map((sql) => `${sql};`).join('\n');
        const statements = splitStatements({ text, line: 7 }, syntax);
        expect(statements.map((s) => s.sql)).toEqual(sqls);
        let offset = 0;
        sqls.forEach((sql, index) => {
          const start = text.indexOf(sql, offset);
          expect(statements[index]?.line).toBe(7 + (text.slice(0, start).match(/\n/g)?.length ?? 0));
          offset = start + sql.length + 1;
        });
      }),
      { numRuns: 500 },
    );
  });
});
