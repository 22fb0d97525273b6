/** How big the tables a plan touches are, for the dry run (DESIGN.md §5's "state-aware" preview). */
import type { DatabaseSession, DialectAdapter } from '../ports.ts';

/** One table's size. `exists` is false for a table the plan creates (or a name it got wrong). */
export interface TableSize {
  readonly name: string;
  readonly exists: boolean;
  /** The statistics' row estimate; null when the dialect keeps none (SQLite) or never analyzed. */
  readonly rows: number | null;
  /** Data and indexes, in bytes. */
  readonly bytes: number | null;
}

/**
 * Sizes `tables` (names as statements write them; a schema prefix is ignored, and names compare
 * case-insensitively, as unquoted identifiers do) in the session's current database or schema.
 * Throws the session's `DatabaseError`.
 */
export async function readTableSizes(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: readonly string[],
): Promise<TableSize[]> {
  const keys = [...new Set(tables.map(key))];
  if (keys.length === 0) return [];
  const rows = await session.query(adapter.tableSizesSql(keys));
  const found = new Map(rows.map((r) => [String(r.table_name).toLowerCase(), r]));
  return tables.map((name) => {
    const row = found.get(key(name));
    return {
      name,
      exists: row !== undefined,
      rows: toNumber(row?.row_estimate),
      bytes: toNumber(row?.total_bytes),
    };
  });
}

function key(name: string): string {
  return (name.split('.').pop() ?? name).toLowerCase();
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
