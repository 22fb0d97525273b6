/**
 * A session whose every change is undone: it opens one transaction around everything the run does
 * and rolls it back at {@link RolledBackSession.finish}. The executor's own per-step transactions
 * become savepoints inside it, so a failing step rolls back to its savepoint exactly as it would
 * roll back its transaction, and the run reports what a real run would. For rehearsing on the real
 * database (PostgreSQL: DDL is transactional); never for steps with `transaction: none`.
 */
import { DatabaseError, type BookkeepingSql, type DatabaseSession } from '../ports.ts';

const SAVEPOINT = 'stratum_rehearsal_step';
/**
 * Statements that end or start a transaction. One in a migration would end the transaction the
 * rehearsal rolls back, and what ran before it would stay: the plan is refused before it runs
 * (run-migrations.ts), and the session refuses them too, as a failing statement, should one slip by.
 */
export const TRANSACTION_CONTROL =
  /^\s*(?:commit|end|abort|rollback|begin|start\s+transaction|release|savepoint)\b/i;

/** Wraps `inner`; call {@link begin} before use and {@link finish} after. */
export class RolledBackSession implements DatabaseSession {
  readonly dialect;
  readonly description;
  readonly #inner: DatabaseSession;
  readonly #map: ReadonlyMap<string, string>;
  readonly #begin: string;
  readonly #rollback: string;

  constructor(
    inner: DatabaseSession,
    sql: Pick<BookkeepingSql, 'beginTransaction' | 'commitTransaction' | 'rollbackTransaction'>,
  ) {
    this.#inner = inner;
    this.dialect = inner.dialect;
    this.description = inner.description;
    this.#begin = sql.beginTransaction();
    this.#rollback = sql.rollbackTransaction();
    this.#map = new Map([
      [sql.beginTransaction(), `SAVEPOINT ${SAVEPOINT}`],
      [sql.commitTransaction(), `RELEASE SAVEPOINT ${SAVEPOINT}`],
      [sql.rollbackTransaction(), `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`],
    ]);
  }

  /** Opens the transaction that {@link finish} rolls back. */
  async begin(): Promise<void> {
    await this.#inner.execute(this.#begin);
  }

  /** Rolls back everything the session did. */
  async finish(): Promise<void> {
    await this.#inner.execute(this.#rollback);
  }

  execute(sql: string): Promise<void> {
    const mapped = this.#map.get(sql);
    if (mapped !== undefined) return this.#inner.execute(mapped);
    if (TRANSACTION_CONTROL.test(sql)) {
      return Promise.reject(
        new DatabaseError(
          `"${sql.trim().split(/\s+/).slice(0, 2).join(' ')}" controls the transaction, and would end the one this ` +
            'rehearsal rolls back: rehearse this plan on a scratch database instead (leave out --in-transaction).',
          null,
        ),
      );
    }
    return this.#inner.execute(sql);
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.#inner.query(sql);
  }

  tableExists(table: string): Promise<boolean> {
    return this.#inner.tableExists(table);
  }

  databaseUser(): Promise<string | null> {
    return this.#inner.databaseUser();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
