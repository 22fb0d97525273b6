import { describe, expect, it } from 'vitest';
import { touchedTables } from '../../../electron/engine/plan/touched-tables.ts';

describe('touchedTables', () => {
  it.each([
    ['CREATE TABLE users (id int)', ['users']],
    ['CREATE TABLE IF NOT EXISTS "Order Items" (id int)', ['Order Items']],
    ['CREATE UNLOGGED TABLE audit.events (id int)', ['audit.events']],
    ['ALTER TABLE ONLY orders ADD COLUMN x int', ['orders']],
    ['ALTER TABLE IF EXISTS `shop`.`orders` DROP COLUMN x', ['shop.orders']],
    ['DROP TABLE IF EXISTS legacy', ['legacy']],
    ['TRUNCATE TABLE sessions', ['sessions']],
    ['INSERT INTO users (id) SELECT id FROM staging_users', ['users']],
    ['INSERT OR IGNORE INTO tags VALUES (1)', ['tags']],
    ["UPDATE orders SET total = 1 WHERE note = 'UPDATE x SET'", ['orders']],
    ['DELETE FROM carts WHERE id < 10', ['carts']],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email)', ['users']],
    ['CREATE INDEX ON ONLY measurements (ts)', ['measurements']],
    ['RENAME TABLE a TO b', ['a']],
    ['DROP INDEX users_email ON users', ['users']],
    ['DROP INDEX users_email', []],
    ['-- ALTER TABLE ghosts ADD x int\nSELECT 1', []],
    ['CREATE VIEW v AS SELECT * FROM users', []],
    [
      'CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN INSERT INTO audit_log VALUES (1); END $$ LANGUAGE plpgsql',
      [],
    ],
  ])('%s', (sql, tables) => {
    expect(touchedTables(sql)).toEqual(tables);
  });

  it('lists each table once, in order of first mention', () => {
    expect(touchedTables('UPDATE b SET x = 1; ALTER TABLE a ADD y int; ALTER TABLE b ADD z int')).toEqual([
      'b',
      'a',
    ]);
  });
});
