/**
 * An in-memory database for run-engine unit tests (STYLE.md §F.1: Umzug `memoryStorage`, Alembic
 * `HeadMaintainer(mock.Mock())`). A {@link fakeAdapter} renders bookkeeping as tiny JSON commands
 * that {@link FakeSession} interprets, so tests can read back version rows and journal rows, and
 * every executed statement is recorded.
 */
import type {
  BookkeepingTables,
  Clock,
  DatabaseConnection,
  DatabaseSession,
  DialectAdapter,
  Hasher,
  IdSource,
  JournalStart,
  Lock,
  LockOptions,
  RunIdentity,
} from '../../../electron/engine/ports.ts';
import { DatabaseError } from '../../../electron/engine/ports.ts';
import type { JournalStatus } from '../../../shared/model/journal-entry.ts';
import type { Dialect } from '../../../shared/model/dialect.ts';

export const TABLES: BookkeepingTables = { version: 'stratum_version', journal: 'stratum_journal' };

/** A bookkeeping "SQL" that is JSON the fake session understands. */
export function fakeAdapter(options: { dialect?: Dialect; transactionalDdl?: boolean } = {}): DialectAdapter {
  const cmd = (op: string, data: unknown): string => `#${op} ${JSON.stringify(data)}`;
  return {
    dialect: options.dialect ?? 'sqlite',
    capabilities: { supportsTransactionalDdl: options.transactionalDdl ?? true },
    syntax: {
      dollarQuotes: false,
      delimiterDirective: false,
      beginEndBlocks: true,
      backslashEscapes: false,
      backtickIdentifiers: true,
    },
    script: { prelude: [], runWith: 'fake' },
    serverVersionSql: '#version {}',
    tableSizesSql: (tables) => `#sizes ${JSON.stringify(tables)}`,
    bookkeeping: {
      createTables: () => ['#create {}'],
      selectHeads: () => '#heads {}',
      selectJournal: () => '#journal {}',
      versionTransition: (_t, from, to) => [cmd('version', { from, to })],
      journalStart: (_t, row: JournalStart, status: JournalStatus) => cmd('start', { ...row, status }),
      journalProgress: (_t, stepId, statementsDone) => cmd('progress', { stepId, statementsDone }),
      journalFinish: (_t, stepId, status, statementsDone, error) =>
        cmd('finish', { stepId, status, statementsDone, error }),
      beginTransaction: () => 'BEGIN',
      commitTransaction: () => 'COMMIT',
      rollbackTransaction: () => 'ROLLBACK',
    },
    renderScriptStatement: (sql) => `${sql};`,
  };
}

interface State {
  tables: boolean;
  heads: string[];
  journal: Record<string, unknown>[];
}

const copy = (state: State): State => structuredClone(state);

/** Records every `execute`, keeps version and journal rows, fails where told. */
export class FakeSession implements DatabaseSession {
  readonly dialect: Dialect = 'sqlite';
  readonly description = 'fake.db';
  /** Every SQL text passed to `execute`, in order. */
  readonly executed: string[] = [];
  /** Throws a DatabaseError for statements matching this (checked before running). */
  failOn: ((sql: string) => string | null) | null = null;
  /** Statements starting with this prefix commit implicitly (MySQL DDL), when set. */
  implicitCommitPrefix: string | null = null;
  /** Called before each execute (e.g. to abort a signal mid-run). */
  beforeExecute: ((sql: string) => void) | null = null;
  state: State = { tables: false, heads: [], journal: [] };
  #snapshot: State | null = null;
  #nextId = 1;

  async execute(sql: string): Promise<void> {
    this.beforeExecute?.(sql);
    const failure = this.failOn?.(sql) ?? null;
    if (failure !== null) throw new DatabaseError(failure, 'FAKE_ERROR');
    if (this.implicitCommitPrefix !== null && sql.startsWith(this.implicitCommitPrefix))
      this.#snapshot &&= copy(this.state);
    this.executed.push(sql);
    if (sql === 'BEGIN') {
      if (this.#snapshot !== null) throw new DatabaseError('nested transaction', 'FAKE_NESTED');
      this.#snapshot = copy(this.state);
    } else if (sql === 'COMMIT') {
      this.#snapshot = null;
    } else if (sql === 'ROLLBACK') {
      if (this.#snapshot !== null) this.state = this.#snapshot;
      this.#snapshot = null;
    } else if (sql.startsWith('#')) {
      this.#bookkeeping(sql);
    }
  }

  #bookkeeping(sql: string): void {
    const space = sql.indexOf(' ');
    const op = sql.slice(1, space);
    const data = JSON.parse(sql.slice(space + 1)) as Record<string, unknown>;
    if (op === 'create') {
      this.state.tables = true;
    } else if (op === 'version') {
      const from = data.from as string[];
      const to = data.to as string[];
      this.state.heads = [
        ...this.state.heads.filter((h) => !from.includes(h)),
        ...to.filter((h) => !from.includes(h)),
      ];
    } else if (op === 'start') {
      const row = data as unknown as JournalStart & { status: string };
      this.state.journal.push({
        id: this.#nextId++,
        step_id: row.stepId,
        run_id: row.runId,
        revision: row.revision,
        direction: row.direction,
        from_heads: row.fromHeads.join(' '),
        to_heads: row.toHeads.join(' '),
        checksum: row.checksum,
        applied_text: row.appliedText,
        status: row.status,
        statements_done: 0,
        statements_total: row.statementsTotal,
        started_at: '2026-01-01 00:00:00',
        finished_at: null,
        duration_ms: null,
        db_user: null,
        os_user: row.osUser,
        host: row.host,
        tool_version: row.toolVersion,
        error: null,
      });
    } else if (op === 'progress' || op === 'finish') {
      const row = this.state.journal.find((r) => r.step_id === data.stepId);
      if (row === undefined) return;
      row.statements_done = data.statementsDone;
      if (op === 'finish') Object.assign(row, { status: data.status, error: data.error, finished_at: 'x' });
    }
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    if (sql === '#heads {}') return this.state.heads.map((revision) => ({ revision }));
    if (sql === '#journal {}') return this.state.journal.map((row) => ({ ...row }));
    throw new DatabaseError(`unexpected query ${sql}`, null);
  }

  async tableExists(): Promise<boolean> {
    return this.state.tables;
  }

  async databaseUser(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {}

  /** Whether a transaction is open. */
  get inTransaction(): boolean {
    return this.#snapshot !== null;
  }

  /** The migration statements executed (neither bookkeeping nor transaction control). */
  get statements(): string[] {
    return this.executed.filter(
      (sql) => !sql.startsWith('#') && !['BEGIN', 'COMMIT', 'ROLLBACK'].includes(sql),
    );
  }
}

/** A connection whose locker records when it is held. */
export class FakeConnection implements DatabaseConnection {
  readonly session: FakeSession;
  readonly log: string[] = [];
  locked = false;
  readonly locker = {
    acquire: async (options: LockOptions): Promise<Lock> => {
      options.onWait?.(null, 0);
      this.locked = true;
      this.log.push('lock');
      return {
        release: async () => {
          this.locked = false;
          this.log.push('release');
        },
      };
    },
  };

  constructor(session = new FakeSession()) {
    this.session = session;
  }
}

/** Deterministic ids: `run-1`, `step-2`, … share one counter. */
export function sequentialIds(): IdSource {
  let n = 0;
  return { newId: () => `id-${++n}` };
}

/** A clock that advances 5 ms on every read. */
export function steppingClock(): Clock {
  let t = Date.UTC(2026, 10, 21, 10, 30);
  return {
    now: () => {
      t += 5;
      return new Date(t);
    },
  };
}

/** A hasher good enough for tests (not SHA-256). */
export const fakeHasher: Hasher = {
  sha256Hex: (text) => `hash:${text.length}`,
};

export const IDENTITY: RunIdentity = { osUser: 'ada', host: 'box', pid: 42, toolVersion: 'stratum 0.1.0' };
