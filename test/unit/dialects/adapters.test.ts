import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../shared/model/dialect.ts';
import { adapterFor } from '../../../electron/dialects/registry.ts';

describe('registry', () => {
  it.each(DIALECTS)('has an adapter for %s', (dialect) => {
    expect(adapterFor(dialect).dialect).toBe(dialect);
  });

  it('opens connections for every dialect', () => {
    expect(typeof adapterFor('sqlite').open).toBe('function');
    expect(typeof adapterFor('postgres').open).toBe('function');
    expect(typeof adapterFor('mysql').open).toBe('function');
  });
});

describe('capabilities and splitter syntax', () => {
  it('marks DDL transactional except on MySQL', () => {
    expect(adapterFor('sqlite').capabilities.supportsTransactionalDdl).toBe(true);
    expect(adapterFor('postgres').capabilities.supportsTransactionalDdl).toBe(true);
    expect(adapterFor('mysql').capabilities.supportsTransactionalDdl).toBe(false);
  });

  it('describes each dialect syntax', () => {
    const on = (d: 'sqlite' | 'postgres' | 'mysql') =>
      Object.entries(adapterFor(d).syntax)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .sort();
    expect(on('sqlite')).toEqual(['backtickIdentifiers', 'beginEndBlocks']);
    expect(on('postgres')).toEqual(['dollarQuotes']);
    expect(on('mysql')).toEqual([
      'backslashEscapes',
      'backtickIdentifiers',
      'beginEndBlocks',
      'delimiterDirective',
    ]);
  });
});

describe('renderScriptStatement', () => {
  const trigger = 'CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND';

  it('terminates SQLite and PostgreSQL statements with a semicolon', () => {
    for (const d of ['sqlite', 'postgres'] as const) {
      expect(adapterFor(d).renderScriptStatement('CREATE TABLE a (x int)')).toBe('CREATE TABLE a (x int);');
      expect(adapterFor(d).renderScriptStatement(trigger)).toBe(`${trigger};`);
    }
    const fn = 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql';
    expect(adapterFor('postgres').renderScriptStatement(fn)).toBe(`${fn};`);
  });

  it('puts the terminator after a trailing line comment on its own line', () => {
    expect(adapterFor('sqlite').renderScriptStatement('SELECT 1 -- one')).toBe('SELECT 1 -- one\n;');
    expect(adapterFor('mysql').renderScriptStatement('SELECT 1 # one')).toBe('SELECT 1 # one\n;');
  });

  it('wraps MySQL statements with inner semicolons in DELIMITER directives', () => {
    const mysql = adapterFor('mysql');
    expect(mysql.renderScriptStatement('CREATE TABLE a (x int)')).toBe('CREATE TABLE a (x int);');
    expect(mysql.renderScriptStatement(trigger)).toBe(`DELIMITER $$\n${trigger}$$\nDELIMITER ;`);
    const withDollars = "CREATE PROCEDURE p() BEGIN SELECT '$$'; END";
    expect(mysql.renderScriptStatement(withDollars)).toBe(`DELIMITER //\n${withDollars}//\nDELIMITER ;`);
  });
});
