/**
 * Executes one {@link StepScript} on a session, item by item, and turns a failure, a cancel or a
 * changed version table into a {@link StepReport} (never a throw: STYLE.md §D.3).
 */
import type { CancelSignal } from '../../../shared/model/cancel-signal.ts';
import type { ErrorPayload, RunEvent, StepReport, StepStatus } from '../../../shared/model/run-event.ts';
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';
import { resolveCommand } from '../../../shared/model/resolve-report.ts';
import type { BookkeepingTables, Clock, DatabaseSession, DialectAdapter } from '../ports.ts';
import { DatabaseError } from '../ports.ts';
import { EngineError, toErrorPayload } from '../engine-error.ts';
import type { ScriptItem, StepScript } from './step-script.ts';
import { readJournal, readVersionRows } from './version-reader.ts';

/** What {@link runStep} needs: where to run, how to report, when to stop. */
export interface StepRunContext {
  readonly session: DatabaseSession;
  readonly adapter: DialectAdapter;
  readonly tables: BookkeepingTables;
  readonly clock: Clock;
  readonly signal?: CancelSignal;
  readonly emit: (event: RunEvent) => void;
  /** 0-based index of the step in the plan, and the plan's step count (for events). */
  readonly stepIndex: number;
  readonly stepsTotal: number;
  /** The heads the version table must hold when the step starts (the step's `fromHeads`). */
  readonly expectedHeads: readonly string[];
}

/** The result of one step: its report, and whether the run was cancelled during it. */
export interface StepOutcome {
  readonly report: StepReport;
  readonly cancelled: boolean;
}

/** Why a step stopped early. */
type Stop =
  | {
      readonly kind: 'statement';
      readonly item: Extract<ScriptItem, { kind: 'statement' }>;
      readonly error: unknown;
    }
  | { readonly kind: 'headsChanged'; readonly found: readonly string[] }
  | { readonly kind: 'bookkeeping'; readonly error: unknown }
  | { readonly kind: 'cancelled' };

class StepStopped extends Error {
  readonly stop: Stop;
  constructor(stop: Stop) {
    super(stop.kind);
    this.stop = stop;
  }
}

/**
 * Runs one step. Per-migration: verifies, right after `begin`, that the version table still holds
 * `expectedHeads`. On a failing statement the transaction is rolled back and the failure is
 * journaled in autocommit (`failed`, or `dirty` when statements of a non-transactional step, or
 * implicitly committed MySQL DDL, stayed applied). Cancel is checked before every statement.
 */
export async function runStep(script: StepScript, ctx: StepRunContext): Promise<StepOutcome> {
  const started = ctx.clock.now().getTime();
  const total = script.statements.length;
  ctx.emit({
    kind: 'stepStarted',
    index: ctx.stepIndex,
    total: ctx.stepsTotal,
    revision: script.revision,
    direction: script.direction,
    message: script.message,
    statements: total,
    transaction: script.transaction,
    phase: script.phase,
  });
  let inTransaction = false;
  // A resumed script (`stratum resolve --resume`) counts on from the statements that ran before.
  let done = script.resumeFrom ?? 0;
  try {
    if (script.transaction === 'none') await verifyHeads(ctx);
    for (const item of script.items) {
      if (item.kind === 'statement') {
        if (ctx.signal?.aborted === true) throw new StepStopped({ kind: 'cancelled' });
        await runStatement(item, ctx);
        done += 1;
        continue;
      }
      await execBookkeeping(ctx.session, item.sql);
      if (item.kind === 'begin') {
        inTransaction = true;
        await verifyHeads(ctx);
      } else if (item.kind === 'commit') {
        inTransaction = false;
      }
    }
  } catch (error) {
    const stop = error instanceof StepStopped ? error.stop : ({ kind: 'bookkeeping', error } as const);
    return stopStep(script, ctx, stop, { inTransaction, done, started });
  }
  const report = stepReport(script, 'applied', total, elapsed(ctx, started), {
    rolledBack: false,
    dirty: false,
  });
  ctx.emit(stepFinished(script, ctx, report));
  return { report, cancelled: false };
}

async function runStatement(
  item: Extract<ScriptItem, { kind: 'statement' }>,
  ctx: StepRunContext,
): Promise<void> {
  const base = { step: ctx.stepIndex, index: item.index };
  ctx.emit({ kind: 'statementStarted', ...base, total: item.total, location: item.location, sql: item.sql });
  const started = ctx.clock.now().getTime();
  try {
    await ctx.session.execute(item.sql);
  } catch (error) {
    throw new StepStopped({ kind: 'statement', item, error });
  }
  ctx.emit({ kind: 'statementFinished', ...base, durationMs: elapsed(ctx, started) });
}

async function execBookkeeping(session: DatabaseSession, sql: string): Promise<void> {
  try {
    await session.execute(sql);
  } catch (error) {
    throw new StepStopped({ kind: 'bookkeeping', error });
  }
}

/** Someone changed the version table behind the lock: the plan no longer applies. */
async function verifyHeads(ctx: StepRunContext): Promise<void> {
  let found: string[];
  try {
    found = await readVersionRows(ctx.session, ctx.adapter, ctx.tables);
  } catch (error) {
    throw new StepStopped({ kind: 'bookkeeping', error });
  }
  const expected = [...ctx.expectedHeads].sort();
  if (found.length !== expected.length || found.some((h, i) => h !== expected[i])) {
    throw new StepStopped({ kind: 'headsChanged', found });
  }
}

interface StopState {
  readonly inTransaction: boolean;
  /** Statements that completed before the stop. */
  readonly done: number;
  readonly started: number;
}

async function stopStep(
  script: StepScript,
  ctx: StepRunContext,
  stop: Stop,
  state: StopState,
): Promise<StepOutcome> {
  const { session, adapter, tables } = ctx;
  const sql = adapter.bookkeeping;
  const stepId = script.journal.stepId;
  if (state.inTransaction) await quietly(session, sql.rollbackTransaction());
  // Whether the journal row survived the rollback tells what stayed: it exists when it was written
  // in autocommit (`transaction: none`) or committed implicitly by MySQL DDL. In both cases the
  // statements that ran may have stayed (DML after the last implicit commit rolls back, but which
  // ran is what `stratum resolve` needs), so the step is dirty once any statement ran.
  const read = await surviving(ctx, stepId);
  const row = read === 'unreadable' ? null : read;
  // Connection lost: a transactional-DDL server rolled the open transaction back; otherwise (MySQL,
  // or statements already run outside a transaction) what stayed cannot be checked from here, so
  // the statements that ran count as possibly applied and the next run finds the row dirty.
  const unknown =
    read === 'unreadable' && (!ctx.adapter.capabilities.supportsTransactionalDdl || !state.inTransaction);
  const survived =
    row !== null || script.transaction === 'none' || unknown
      ? Math.max(state.done, row?.statementsDone ?? 0)
      : 0;
  // A resumed row stays dirty whatever this attempt ran: what ran before it is still applied.
  const dirty = survived > 0 || script.resumeFrom !== undefined;
  const cancelled = stop.kind === 'cancelled';
  const failedAt = stop.kind === 'statement' ? stop.item.index : state.done;
  const error = withUnknownOutcome(stopError(script, ctx, stop, dirty ? survived : 0), unknown);
  const journalText = stop.kind === 'statement' ? statementJournalText(stop) : error.message;
  const journalStatus = dirty ? 'dirty' : 'failed';
  // Locked out by another program before anything ran: the journal is just as locked, and trying
  // to write to it would only wait out the busy timeout twice more.
  const lockedOut = stop.kind === 'bookkeeping' && isLockTimeout(stop.error) && !dirty;
  if (row !== null) {
    await quietly(session, sql.journalFinish(tables, stepId, journalStatus, survived, journalText));
  } else if ((!cancelled || dirty) && !lockedOut) {
    // Written as `failed` from the start: a crash between the two writes must not leave `running`.
    await quietly(session, sql.journalStart(tables, script.journal, journalStatus));
    await quietly(
      session,
      sql.journalFinish(tables, stepId, journalStatus, dirty ? survived : failedAt, journalText),
    );
  }
  const status: StepStatus = cancelled && !dirty ? 'notRun' : 'failed';
  const rolledBack = state.inTransaction && row === null && !unknown;
  const report = stepReport(script, status, dirty ? survived : failedAt, elapsed(ctx, state.started), {
    rolledBack,
    dirty,
    error: cancelled && !dirty ? undefined : error,
  });
  ctx.emit(stepFinished(script, ctx, report));
  return { report, cancelled };
}

function stopError(script: StepScript, ctx: StepRunContext, stop: Stop, survived: number): ErrorPayload {
  const total = script.statements.length;
  const database = ctx.session.description;
  const dirtyAdvice =
    survived > 0
      ? ` The database is dirty: ${survived} of ${total} statements of ${script.revision} stayed applied and ` +
        `the revision is not recorded; fix the cause, then run \`${resolveCommand(script.revision)}\`.`
      : '';
  switch (stop.kind) {
    case 'statement': {
      const { item, error } = stop;
      // The statement waited out the lock timeout for a lock another session holds (PostgreSQL
      // lock_timeout, MySQL lock_wait_timeout): nothing of the step stayed, so it is `LOCKED`.
      if (error instanceof DatabaseError && error.lockWaitedMs !== null && survived === 0) {
        return lockedStatement(database, item, error).toPayload();
      }
      const nativeMessage = error instanceof Error ? error.message : String(error);
      const nativeCode = error instanceof DatabaseError ? error.nativeCode : null;
      const message =
        `${item.location.file}:${item.location.line}: statement ${item.index + 1} of ${item.total} failed on ` +
        `${ctx.adapter.dialect}: ${nativeMessage}${nativeCode === null ? '' : ` (${nativeCode})`}` +
        (dirtyAdvice === '' ? '' : `.${dirtyAdvice}`);
      return new EngineError('STATEMENT_FAILED', message, {
        file: item.location.file,
        line: item.location.line,
        index: item.index,
        sql: item.sql,
        dialect: ctx.adapter.dialect,
        nativeCode,
        nativeMessage,
      }).toPayload();
    }
    case 'headsChanged': {
      const show = (heads: readonly string[]): string => (heads.length === 0 ? '(none)' : heads.join(' '));
      const message =
        `The version table of ${database} changed during the run: ${script.revision} expected heads ` +
        `${show(ctx.expectedHeads)} but found ${show(stop.found)}. Something wrote to it without taking ` +
        `Stratum's lock; check \`stratum current\` and run the command again.${dirtyAdvice}`;
      return new EngineError('VERSION_TABLE_CHANGED', message, {
        expected: [...ctx.expectedHeads],
        found: [...stop.found],
      }).toPayload();
    }
    case 'cancelled':
      return new EngineError(
        'CANCELLED',
        `Cancelled during ${script.revision} after ${survived} of ${total} statements.${dirtyAdvice}`,
        {},
      ).toPayload();
    case 'bookkeeping': {
      if (!(stop.error instanceof DatabaseError)) return toErrorPayload(stop.error);
      if (stop.error.lockWaitedMs !== null && survived === 0) {
        return lockedByOther(database, stop.error).toPayload();
      }
      const reason = stop.error.message;
      return new EngineError(
        'DATABASE_UNAVAILABLE',
        `Stratum's bookkeeping for ${script.revision} failed on ${database}: ${reason}.${dirtyAdvice}`,
        { database, reason },
      ).toPayload();
    }
  }
}

function isLockTimeout(error: unknown): boolean {
  return error instanceof DatabaseError && error.lockWaitedMs !== null;
}

/** The journal's error text for a failed statement: `<file>:<line>: <database message>`. */
function statementJournalText(stop: Extract<Stop, { kind: 'statement' }>): string {
  const message = stop.error instanceof Error ? stop.error.message : String(stop.error);
  return `${stop.item.location.file}:${stop.item.location.line}: ${message}`;
}

/** Adds to a failure's message that the connection was lost before what stayed could be checked. */
function withUnknownOutcome(error: ErrorPayload, unknown: boolean): ErrorPayload {
  if (!unknown) return error;
  const note =
    ' The connection was lost, so Stratum could not check which of its statements stayed applied; ' +
    'run `stratum status` before anything else.';
  return { ...error, message: `${error.message}${note}` };
}

/** The step's journal row after a failure; `unreadable` when the connection no longer answers. */
async function surviving(ctx: StepRunContext, stepId: string): Promise<JournalEntry | null | 'unreadable'> {
  try {
    const rows = await readJournal(ctx.session, ctx.adapter, ctx.tables);
    return rows.find((row) => row.stepId === stepId) ?? null;
  } catch {
    return 'unreadable';
  }
}

/** Best-effort cleanup after a failure: the original failure is what the report must show. */
async function quietly(session: DatabaseSession, sql: string): Promise<void> {
  try {
    await session.execute(sql);
  } catch {
    // Ignored on purpose: see above.
  }
}

function elapsed(ctx: StepRunContext, started: number): number {
  return Math.max(0, ctx.clock.now().getTime() - started);
}

/** A step report; exported for the executor's `notRun`/`skipped` steps. */
export function stepReport(
  script: StepScript,
  status: StepStatus,
  statementsDone: number,
  durationMs: number,
  extra: { rolledBack: boolean; dirty: boolean; error?: ErrorPayload | undefined },
): StepReport {
  const report: StepReport = {
    revision: script.revision,
    direction: script.direction,
    status,
    statementsDone,
    statementsTotal: script.statements.length,
    durationMs,
    rolledBack: extra.rolledBack,
    dirty: extra.dirty,
  };
  return extra.error === undefined ? report : { ...report, error: extra.error };
}

function stepFinished(script: StepScript, ctx: StepRunContext, report: StepReport): RunEvent {
  return {
    kind: 'stepFinished',
    index: ctx.stepIndex,
    revision: script.revision,
    status: report.status,
    durationMs: report.durationMs,
  };
}

/**
 * A statement of a step gave up waiting for a lock another session holds on a table or row it
 * needs (the server's lock timeout, which Stratum sets from `--lock-timeout`): `LOCKED`, exit 7.
 */
function lockedStatement(
  database: string,
  item: Extract<ScriptItem, { kind: 'statement' }>,
  error: DatabaseError,
): EngineError<'LOCKED'> {
  const code = error.nativeCode === null ? '' : ` (${error.nativeCode})`;
  return new EngineError(
    'LOCKED',
    `${item.location.file}:${item.location.line}: statement ${item.index + 1} of ${item.total} could not ` +
      `get a lock on ${database}: ${error.message}${code}. Nothing of the revision was applied; finish ` +
      `or end the other session's transaction, then run again.`,
    { database, waitedMs: error.lockWaitedMs ?? 0, holder: null },
    { cause: error },
  );
}

/**
 * The database itself stayed locked by another program or connection (not by a Stratum run, which
 * waits on the migration lock instead): `LOCKED`, exit 7.
 */
export function lockedByOther(database: string, error: DatabaseError): EngineError<'LOCKED'> {
  const waitedMs = error.lockWaitedMs ?? 0;
  return new EngineError(
    'LOCKED',
    `The database ${database} is locked: another program holds a lock on it (${error.message}). ` +
      `Finish or close what has it open (an open transaction in a database browser, another ` +
      `application or process), then run again.`,
    { database, waitedMs, holder: null },
    { cause: error },
  );
}
