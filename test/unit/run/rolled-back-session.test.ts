/** RolledBackSession: step transactions become savepoints inside one transaction that is undone. */
import { describe, expect, it } from 'vitest';
import { RolledBackSession } from '../../../electron/engine/run/rolled-back-session.ts';
import type { DatabaseSession } from '../../../electron/engine/ports.ts';

function recorder(): { session: DatabaseSession; sent: string[] } {
  const sent: string[] = [];
  const session: DatabaseSession = {
    dialect: 'postgres',
    description: 'postgres://127.0.0.1/shop',
    execute: async (sql) => void sent.push(sql),
    query: async (sql) => (sent.push(sql), [{ one: 1 }]),
    tableExists: async () => true,
    databaseUser: async () => 'postgres',
    close: async () => void sent.push('<close>'),
  };
  return { session, sent };
}

const SQL = {
  beginTransaction: () => 'BEGIN',
  commitTransaction: () => 'COMMIT',
  rollbackTransaction: () => 'ROLLBACK',
};

describe('RolledBackSession', () => {
  it('wraps the run in one transaction and rolls it back; steps use a savepoint', async () => {
    const { session, sent } = recorder();
    const wrapped = new RolledBackSession(session, SQL);
    await wrapped.begin();
    await wrapped.execute('BEGIN');
    await wrapped.execute('CREATE TABLE t (id int)');
    await wrapped.execute('COMMIT');
    await wrapped.execute('BEGIN');
    await wrapped.execute('ALTER TABLE nope ADD x int');
    await wrapped.execute('ROLLBACK');
    expect(await wrapped.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await wrapped.finish();
    await wrapped.close();
    expect(sent).toEqual([
      'BEGIN',
      'SAVEPOINT stratum_rehearsal_step',
      'CREATE TABLE t (id int)',
      'RELEASE SAVEPOINT stratum_rehearsal_step',
      'SAVEPOINT stratum_rehearsal_step',
      'ALTER TABLE nope ADD x int',
      'ROLLBACK TO SAVEPOINT stratum_rehearsal_step',
      'SELECT 1 AS one',
      'ROLLBACK',
      '<close>',
    ]);
    expect(wrapped.description).toBe('postgres://127.0.0.1/shop');
  });

  it('refuses a migration’s own transaction control, which would end the rolled-back transaction', async () => {
    const { session, sent } = recorder();
    const wrapped = new RolledBackSession(session, SQL);
    for (const sql of [
      'commit',
      'END',
      'COMMIT WORK',
      '  rollback',
      'START TRANSACTION',
      'begin isolation level serializable',
    ]) {
      await expect(wrapped.execute(sql), sql).rejects.toThrow(
        /controls the transaction.*leave out --in-transaction/,
      );
    }
    await wrapped.execute("SELECT 'COMMIT'");
    await wrapped.execute('UPDATE ends SET endpoint = 1');
    expect(sent).toEqual(["SELECT 'COMMIT'", 'UPDATE ends SET endpoint = 1']);
  });
});
