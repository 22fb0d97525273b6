/**
 * The run engine: takes the lock, reads where the database is, asks for a plan, and executes each
 * step's {@link stepScript} on the session, streaming {@link RunEvent}s (DESIGN.md §5).
 */
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';
import { resolveCommand } from '../../../shared/model/resolve-report.ts';
import type { RunEvent, RunReport, StepReport } from '../../../shared/model/run-event.ts';
import type { BookkeepingTables, DatabaseSession, DialectAdapter } from '../ports.ts';
import { DatabaseError } from '../ports.ts';
import type { Plan } from '../plan/plan.ts';
import { EngineError, isEngineError } from '../engine-error.ts';
import { stepScript, type StepScript } from './step-script.ts';
import { lockedByOther, runStep, stepReport } from './step-runner.ts';
import { readJournal, readVersionRows, resolveVersionColumn } from './version-reader.ts';
import { withRunLock, type RunContext } from './run-context.ts';

/** Everything {@link runPlan} needs; the plan itself is made once the lock is held. */
export interface RunPlanOptions extends RunContext {
  /**
   * Makes the plan from the database's current heads. Called after the lock is held, so two
   * concurrent runners see each other's work. May throw (graph, target errors): the run then
   * throws that error.
   */
  readonly makePlan: (currentRows: string[]) => Plan;
}

/**
 * Runs a plan against a database.
 *
 * With `dryRun` it reads the database but writes nothing (no tables created, no lock, no statement,
 * no journal): every step is reported `skipped`, and `stepStarted`/`statementStarted`/`stepFinished`
 * events are emitted for each step and statement, so the CLI can print what would run; `headsAfter`
 * is then the heads the run would leave.
 *
 * Never throws for a failed step: the {@link RunReport} says which step failed, whether it was
 * rolled back or left the database dirty, and which steps did not run (STYLE.md §D.3).
 *
 * @throws EngineError `DATABASE_UNAVAILABLE` when Stratum's tables cannot be created or read;
 * `LOCKED` (from the locker) when another run holds the lock past `lockTimeoutMs`; `DIRTY` when
 * the journal holds a dirty step, or a `running` step of a run that died (marked dirty first);
 * whatever `makePlan` throws (`GRAPH_INVALID`, `MULTIPLE_HEADS`, …) and `REVISION_FILE_INVALID`
 * from statement splitting. The lock is always released.
 */
export async function runPlan(options: RunPlanOptions): Promise<RunReport> {
  const { connection, adapter, clock, signal } = options;
  const session = connection.session;
  const dryRun = options.dryRun === true;
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  const started = clock.now().getTime();
  const runId = options.ids.newId();

  return withRunLock(options, runId, async () => {
    // Everything below runs once the lock is held: a waiter must not touch the database while
    // another run writes it (on SQLite a long transaction keeps readers out past the busy timeout).
    // The version table's column: Alembic's `version_num` or Stratum's `revision`.
    const tables = await guard(session, () => resolveVersionColumn(session, adapter, options.tables));
    if (!dryRun) await ensureTables(session, adapter, tables);
    const headsBefore = await guard(session, () => readVersionRows(session, adapter, tables));
    const journal = await guard(session, () => readJournal(session, adapter, tables));
    await refuseDirty(journal, options, dryRun);

    const plan = options.makePlan(headsBefore);
    const scripts = plan.steps.map((step) =>
      stepScript(step, {
        adapter,
        tables,
        runId,
        stepId: options.ids.newId(),
        identity: options.identity,
        hasher: options.hasher,
      }),
    );
    emit({ kind: 'runStarted', runId, steps: scripts.length, dryRun });

    const reports: StepReport[] = [];
    let cancelled = false;
    let stopped = false;
    for (const [index, script] of scripts.entries()) {
      if (!stopped && !cancelled && signal?.aborted === true) cancelled = true;
      if (stopped || cancelled) {
        reports.push(stepReport(script, 'notRun', 0, 0, { rolledBack: false, dirty: false }));
        continue;
      }
      if (dryRun) {
        reports.push(previewStep(script, index, scripts.length, emit));
        continue;
      }
      const step = plan.steps[index]!;
      const outcome = await runStep(script, {
        session,
        adapter,
        tables,
        clock,
        ...(signal === undefined ? {} : { signal }),
        emit,
        stepIndex: index,
        stepsTotal: scripts.length,
        expectedHeads: step.fromHeads,
      });
      reports.push(outcome.report);
      if (outcome.cancelled) cancelled = true;
      if (outcome.report.status === 'failed') stopped = true;
    }

    const headsAfter = dryRun
      ? [...plan.toHeads].sort()
      : await headsNow(session, adapter, tables, plan, reports);
    const report: RunReport = {
      runId,
      ok: !cancelled && reports.every((r) => r.status === 'applied' || r.status === 'skipped'),
      cancelled,
      dryRun,
      headsBefore,
      headsAfter,
      steps: reports,
      durationMs: Math.max(0, clock.now().getTime() - started),
    };
    emit({ kind: 'runFinished', report });
    return report;
  });
}

/** Creates Stratum's tables when either is missing (the statements are `IF NOT EXISTS`). */
async function ensureTables(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
): Promise<void> {
  await guard(session, async () => {
    const present =
      (await session.tableExists(tables.version)) && (await session.tableExists(tables.journal));
    if (present) return;
    for (const sql of adapter.bookkeeping.createTables(tables)) await session.execute(sql);
  });
}

/**
 * Refuses to run over a dirty database (DESIGN.md §4). A `running` row seen while we hold the lock
 * belongs to a run that died mid-step: its effects are partly applied, so it is marked `dirty`
 * first. A dry run holds no lock, so it cannot tell a dead run from a live one and only refuses on
 * rows already `dirty`.
 */
async function refuseDirty(
  journal: readonly JournalEntry[],
  options: RunPlanOptions,
  dryRun: boolean,
): Promise<void> {
  const { session } = options.connection;
  const running = dryRun ? [] : await markInterrupted(session, options.adapter, options.tables, journal);
  const culprit = running[0] ?? journal.find((row) => row.status === 'dirty');
  if (culprit === undefined) return;
  const where = [culprit.host, culprit.startedAt].filter((part) => part !== null && part !== '').join(' at ');
  const message =
    `The database ${session.description} is dirty: ${culprit.direction} of revision ${culprit.revision} ` +
    `stopped after ${culprit.statementsDone} of ${culprit.statementsTotal} statements ` +
    `(journal row ${culprit.id}${where === '' ? '' : `, ${where}`}) and is partly applied. ` +
    `Resume it from statement ${culprit.statementsDone + 1}, or mark it applied or rolled back once you ` +
    `have finished or undone it by hand: \`${resolveCommand(culprit.revision)}\`.`;
  throw new EngineError('DIRTY', message, {
    revision: culprit.revision,
    statementsDone: culprit.statementsDone,
    statementsTotal: culprit.statementsTotal,
    journalId: culprit.id,
  });
}

/**
 * Marks the `running` rows of `journal` `dirty`, and returns them as they now are. Only for a caller
 * holding the migration lock: a `running` row is then from a run that died mid-step, whose effects
 * are partly applied (the runner and `stratum resolve` both do this first).
 *
 * @throws EngineError `DATABASE_UNAVAILABLE` when the journal cannot be written.
 */
export async function markInterrupted(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
  journal: readonly JournalEntry[],
): Promise<JournalEntry[]> {
  const marked: JournalEntry[] = [];
  for (const row of journal.filter((entry) => entry.status === 'running')) {
    const text =
      `Interrupted: run ${row.runId} stopped during this step after ${row.statementsDone} of ` +
      `${row.statementsTotal} statements.`;
    await guard(session, () =>
      session.execute(
        adapter.bookkeeping.journalFinish(tables, row.stepId, 'dirty', row.statementsDone, text),
      ),
    );
    marked.push({ ...row, status: 'dirty', error: text });
  }
  return marked;
}

/** The steps of a dry run: reported `skipped`, with the events of what would run. */
function previewStep(
  script: StepScript,
  index: number,
  total: number,
  emit: (event: RunEvent) => void,
): StepReport {
  emit({
    kind: 'stepStarted',
    index,
    total,
    revision: script.revision,
    direction: script.direction,
    message: script.message,
    statements: script.statements.length,
    transaction: script.transaction,
    phase: script.phase,
  });
  for (const item of script.items) {
    if (item.kind !== 'statement') continue;
    const { index: statement, total: count, location, sql } = item;
    emit({ kind: 'statementStarted', step: index, index: statement, total: count, location, sql });
  }
  const report = stepReport(script, 'skipped', 0, 0, { rolledBack: false, dirty: false });
  emit({ kind: 'stepFinished', index, revision: script.revision, status: 'skipped', durationMs: 0 });
  return report;
}

/** The heads after the run, read back; computed from the last applied step if the read fails. */
async function headsNow(
  session: DatabaseSession,
  adapter: DialectAdapter,
  tables: BookkeepingTables,
  plan: Plan,
  reports: readonly StepReport[],
): Promise<string[]> {
  try {
    return await readVersionRows(session, adapter, tables);
  } catch {
    const applied = reports.findLastIndex((r) => r.status === 'applied');
    return [...(applied < 0 ? plan.fromHeads : plan.steps[applied]!.toHeads)].sort();
  }
}

/**
 * Runs bookkeeping outside a step: the database's own failures mean Stratum cannot work here
 * (`DATABASE_UNAVAILABLE`, or `LOCKED` when another program kept the database locked).
 */
export async function guard<T>(session: DatabaseSession, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    // Only the database's own failures mean "unavailable"; anything else is a bug to surface as is.
    if (isEngineError(error) || !(error instanceof DatabaseError)) throw error;
    if (error.lockWaitedMs !== null) throw lockedByOther(session.description, error);
    const code = error.nativeCode === null ? '' : ` (${error.nativeCode})`;
    const reason = `${error.message}${code}`;
    throw new EngineError(
      'DATABASE_UNAVAILABLE',
      `Cannot read or create Stratum's tables in ${session.description}: ${reason}. ` +
        `Check the connection and the user's privileges.`,
      { database: session.description, reason },
      { cause: error },
    );
  }
}
