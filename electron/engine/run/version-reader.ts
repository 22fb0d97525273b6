/**
 * Reads Stratum's two tables back (DESIGN.md §4), normalising what each driver returns: bigint or
 * string numbers, `Date` objects or SQL timestamp strings, space-separated head lists.
 */
import type { Direction } from '../../../shared/model/revision-node.ts';
import type { JournalEntry, JournalStatus } from '../../../shared/model/journal-entry.ts';
import {
  DEFAULT_VERSION_COLUMN,
  type BookkeepingTables,
  type DatabaseSession,
  type DialectAdapter,
  type VersionColumn,
} from '../ports.ts';

/** Alembic's version table name: a project configured with it gets Alembic's shape when new. */
export const ALEMBIC_VERSION_TABLE = 'alembic_version';

/**
 * The version column a table of this name has when Stratum creates it, or when it cannot be
 * inspected (offline SQL): Alembic's `version_num` for `alembic_version`, so that a project moving
 * from Alembic keeps a table Alembic itself can still read; `revision` otherwise.
 */
export function versionColumnForName(table: string): VersionColumn {
  return table === ALEMBIC_VERSION_TABLE ? 'version_num' : DEFAULT_VERSION_COLUMN;
}

/**
 * The column of the version table `table` in the database (DESIGN.md §4): `version_num` when the
 * table exists with Alembic's column and without Stratum's `revision`; `revision` when it exists
 * otherwise; {@link versionColumnForName} when it does not exist yet (or the adapter cannot list
 * columns).
 *
 * Throws the session's `DatabaseError` when a query fails.
 */
export async function detectVersionColumn(
  session: DatabaseSession,
  adapter: DialectAdapter,
  table: string,
): Promise<VersionColumn> {
  if (adapter.bookkeeping.selectColumns === undefined || !(await session.tableExists(table))) {
    return versionColumnForName(table);
  }
  return columnOfExistingTable(session, adapter, table);
}

/**
 * `tables` with {@link BookkeepingTables.versionColumn} set: as given when it is, otherwise found by
 * {@link detectVersionColumn}. The run engine calls it once it holds the migration lock, so a run
 * waiting for the lock never reads a database another run is writing (on SQLite a long
 * transaction keeps readers out past the busy timeout); `openDatabase` leaves the column unset.
 *
 * Throws the session's `DatabaseError` when a query fails.
 */
export async function resolveVersionColumn(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
): Promise<BookkeepingTables> {
  if (tables.versionColumn !== undefined) return tables;
  return { ...tables, versionColumn: await detectVersionColumn(session, adapter, tables.version) };
}

/** {@link detectVersionColumn} for a table known to exist. */
async function columnOfExistingTable(
  session: DatabaseSession,
  adapter: DialectAdapter,
  table: string,
): Promise<VersionColumn> {
  const sql = adapter.bookkeeping.selectColumns?.(table);
  if (sql === undefined) return versionColumnForName(table);
  const rows = await session.query(sql);
  const columns = new Set(rows.map((row) => (text(pick(row, 'column_name')) ?? '').toLowerCase()));
  return columns.has('version_num') && !columns.has('revision') ? 'version_num' : DEFAULT_VERSION_COLUMN;
}

/**
 * The applied heads recorded in the version table, sorted; `[]` when the table does not exist yet.
 * When `tables.versionColumn` is unset the table's columns are looked at first (an Alembic-shaped
 * table has `version_num`), so `status` and `current` read either shape.
 *
 * Throws the session's `DatabaseError` when the query fails.
 */
export async function readVersionRows(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
): Promise<string[]> {
  if (!(await session.tableExists(tables.version))) return [];
  const resolved =
    tables.versionColumn === undefined
      ? { ...tables, versionColumn: await columnOfExistingTable(session, adapter, tables.version) }
      : tables;
  const rows = await session.query(adapter.bookkeeping.selectHeads(resolved));
  return rows
    .map((row) => text(pick(row, 'revision')) ?? '')
    .filter((revision) => revision !== '')
    .sort();
}

/**
 * Every journal row, oldest first; `[]` when the journal table does not exist yet.
 *
 * Throws the session's `DatabaseError` when the query fails.
 */
export async function readJournal(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
): Promise<JournalEntry[]> {
  if (!(await session.tableExists(tables.journal))) return [];
  const rows = await session.query(adapter.bookkeeping.selectJournal(tables));
  return rows.map(toJournalEntry);
}

/** The journal fields `status` looks at for every row (see {@link readJournalSummary}). */
export type JournalSummary = Pick<
  JournalEntry,
  'id' | 'revision' | 'direction' | 'fromHeads' | 'toHeads' | 'checksum' | 'status'
>;

/** The columns of {@link JournalSummary}, as named in the journal table. */
const SUMMARY_COLUMNS = 'id, revision, direction, from_heads, to_heads, checksum, status';

/**
 * Every journal row, oldest first, without the columns only a few rows are ever shown with
 * (applied text, timestamps, users, error): at thousands of rows, reading and converting those is
 * most of the cost of {@link readJournal}. `[]` when the journal table does not exist yet. The
 * fields it has are converted exactly as {@link toJournalEntry} converts them.
 *
 * Throws the session's `DatabaseError` when the query fails.
 */
export async function readJournalSummary(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
): Promise<JournalSummary[]> {
  if (!(await session.tableExists(tables.journal))) return [];
  // The dialect's own journal query as a derived table, so quoting and column names stay its own;
  // the columns left out are never computed.
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM (${adapter.bookkeeping.selectJournal(tables)}) journal ORDER BY id`;
  const rows = await session.query(sql);
  return rows.map(toJournalSummary);
}

function toJournalSummary(row: Record<string, unknown>): JournalSummary {
  return {
    id: num(pick(row, 'id')) ?? 0,
    revision: text(pick(row, 'revision')) ?? '',
    direction: (text(pick(row, 'direction')) ?? 'up') as Direction,
    fromHeads: heads(pick(row, 'from_heads')),
    toHeads: heads(pick(row, 'to_heads')),
    checksum: text(pick(row, 'checksum')),
    status: (text(pick(row, 'status')) ?? 'running') as JournalStatus,
  };
}

/** Converts one raw journal row (snake_case or camelCase columns) to a {@link JournalEntry}. */
export function toJournalEntry(row: Record<string, unknown>): JournalEntry {
  const get = (name: string): unknown => pick(row, name);
  return {
    id: num(get('id')) ?? 0,
    stepId: text(get('step_id')) ?? '',
    runId: text(get('run_id')) ?? '',
    revision: text(get('revision')) ?? '',
    direction: (text(get('direction')) ?? 'up') as Direction,
    fromHeads: heads(get('from_heads')),
    toHeads: heads(get('to_heads')),
    checksum: text(get('checksum')),
    appliedText: text(get('applied_text')),
    status: (text(get('status')) ?? 'running') as JournalStatus,
    statementsDone: num(get('statements_done')) ?? 0,
    statementsTotal: num(get('statements_total')) ?? 0,
    startedAt: isoDate(get('started_at')) ?? '',
    finishedAt: isoDate(get('finished_at')),
    durationMs: num(get('duration_ms')),
    dbUser: text(get('db_user')),
    osUser: text(get('os_user')),
    host: text(get('host')),
    toolVersion: text(get('tool_version')),
    error: text(get('error')),
  };
}

/** A column by its snake_case name, falling back to camelCase and to any letter case. */
function pick(row: Record<string, unknown>, snake: string): unknown {
  if (snake in row) return row[snake];
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (camel in row) return row[camel];
  const wanted = snake.replaceAll('_', '').toLowerCase();
  const key = Object.keys(row).find((k) => k.replaceAll('_', '').toLowerCase() === wanted);
  return key === undefined ? undefined : row[key];
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return null;
}

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** Heads stored as a space-separated list (or, from some drivers, an array). */
function heads(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((h) => h !== '');
  const raw = text(value);
  if (raw === null || raw === '') return [];
  return isOneHead(raw) ? [raw] : raw.split(/[\s,]+/).filter((h) => h !== '');
}

const NON_ASCII_SPACE = /\s/;

/** Whether `raw` (not empty) has no `[\s,]`, so that splitting it gives `[raw]`: one head, the usual case. */
function isOneHead(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 44 || c === 32 || (c >= 9 && c <= 13)) return false;
    if (c >= 128 && NON_ASCII_SPACE.test(String.fromCharCode(c))) return false;
  }
  return true;
}

/**
 * A timestamp as ISO-8601 UTC. SQL strings without a zone (`2026-11-21 10:30:00.123`, what SQLite's
 * `CURRENT_TIMESTAMP`/`strftime` and MySQL `DATETIME` give as text) are read as UTC.
 */
function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value)).toISOString();
  const raw = text(value);
  if (raw === null || raw.trim() === '') return null;
  const trimmed = raw.trim();
  const local = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
  const parsed = new Date(local ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  return Number.isNaN(parsed.getTime()) ? trimmed : parsed.toISOString();
}
