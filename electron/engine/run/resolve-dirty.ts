/**
 * `stratum resolve`: settles a dirty journal row (DESIGN.md §4), under the migration lock like a run.
 * Resuming reuses {@link stepScript} and {@link runStep}, so it executes and journals exactly like
 * the runner's `transaction: none` steps; marking writes the same bookkeeping SQL by hand.
 */
import type { JournalEntry, JournalStatus } from '../../../shared/model/journal-entry.ts';
import type { ResolveAction, ResolveReport, ResolveStatement } from '../../../shared/model/resolve-report.ts';
import type { RunEvent } from '../../../shared/model/run-event.ts';
import type { DatabaseSession, DialectAdapter, JournalStart } from '../ports.ts';
import type { Revision } from '../revision/revision.ts';
import { EngineError } from '../engine-error.ts';
import { findDirtyRow, type DirtyRow } from './dirty-row.ts';
import { guard, markInterrupted } from './executor.ts';
import { runStep } from './step-runner.ts';
import { auditRowSql, stepScript } from './step-script.ts';
import { readJournal, readVersionRows, resolveVersionColumn } from './version-reader.ts';
import { withRunLock, type RunContext } from './run-context.ts';

/** Everything {@link resolveDirty} needs. */
export interface ResolveDirtyOptions extends RunContext {
  /** The project's revisions: the dirty step's statements are listed from its current file. */
  readonly revisions: readonly Revision[];
  /** REV as the user wrote it: the id, or a unique prefix (4+ characters), of a dirty row's revision. */
  readonly target: string;
  readonly action: ResolveAction;
}

/**
 * Resolves the dirty journal row of one revision:
 * - `resume` runs the statements that did not run (statements_done..total-1 of the current file),
 *   journaling progress on the same row, then the version transition from_heads→to_heads, and
 *   finishes the row `succeeded`. A failure leaves the row dirty with the new count: the report
 *   then has `ok: false` and the error (never a throw, STYLE.md §D.3).
 * - `markApplied` (finished by hand): the version transition, and the row `succeeded`.
 * - `markRolledBack` (undone by hand): the version table stays, and the row becomes `failed`, so
 *   the next upgrade runs the revision again from its first statement.
 *
 * The row keeps its id, started_at and who ran it; its `error` column gets a note such as
 * `resolved by hand: marked as applied (3 of 5 statements had run)`. Each resolve also writes a
 * `stamp` row (same revision, the version-table change it made, the resolver's identity) in the same
 * transaction, so the journal shows who resolved what, and when. Any `running` row of a dead run is
 * first marked dirty, as the runner does. A dry run writes nothing and takes no lock; without the
 * lock a `running` row cannot be told from a live run, so only `dirty` rows count then.
 *
 * @throws EngineError `REVISION_NOT_FOUND` when `target` matches no dirty row and no revision;
 * `AMBIGUOUS_REVISION` when it is a prefix of several dirty revisions; `NOT_DIRTY` when the
 * revision has no dirty row; `HISTORY_CHANGED` on `resume` when the file changed since the step ran
 * (`REVISION_NOT_FOUND` when it is gone); `VERSION_TABLE_CHANGED` on `resume`/`markApplied` when the
 * version table no longer holds the step's from_heads; `LOCKED`; `DATABASE_UNAVAILABLE`.
 */
export async function resolveDirty(options: ResolveDirtyOptions): Promise<ResolveReport> {
  const { connection, adapter, clock, signal } = options;
  const session = connection.session;
  const dryRun = options.dryRun === true;
  const emit = (event: RunEvent): void => options.onEvent?.(event);
  const started = clock.now().getTime();
  const runId = options.ids.newId();
  return withRunLock(options, runId, async () => {
    // The version table's column (Alembic's `version_num` or `revision`), read under the lock too.
    const tables = await guard(session, () => resolveVersionColumn(session, adapter, options.tables));
    let journal = await guard(session, () => readJournal(session, adapter, tables));
    if (!dryRun) {
      const marked = await markInterrupted(session, adapter, tables, journal);
      journal = journal.map((row) => marked.find((m) => m.id === row.id) ?? row);
    }
    const found = findDirtyRow(journal, options, session.description);
    const { row } = found;
    const headsBefore = await guard(session, () => readVersionRows(session, adapter, tables));
    const transition = refuseUnsafe(options.action, found, headsBefore, session.description);
    const headsPlanned = transition ? [...row.toHeads].sort() : headsBefore;
    const note = resolveNote(options.action, row);
    const audit: JournalStart = {
      stepId: options.ids.newId(),
      runId,
      revision: row.revision,
      direction: 'stamp',
      fromHeads: headsBefore,
      toHeads: headsPlanned,
      checksum: null,
      appliedText: null,
      statementsTotal: 0,
      osUser: options.identity.osUser,
      host: options.identity.host,
      toolVersion: options.identity.toolVersion,
    };
    const auditNote = `journal row ${row.id} ${note}`;
    const report = (outcome: Outcome): ResolveReport =>
      toReport(found, options.action, dryRun, headsBefore, outcome, clock.now().getTime() - started);

    if (dryRun) {
      const status = options.action === 'markRolledBack' ? 'failed' : 'succeeded';
      const doneAfter = options.action === 'resume' ? found.statements.length : row.statementsDone;
      return report({ status, doneAfter, note, headsAfter: headsPlanned });
    }
    if (options.action !== 'resume') {
      const status = options.action === 'markApplied' ? 'succeeded' : 'failed';
      const sql = adapter.bookkeeping;
      await inTransaction(session, adapter, [
        ...(transition ? sql.versionTransition(tables, row.fromHeads, row.toHeads) : []),
        sql.journalFinish(tables, row.stepId, status, row.statementsDone, note),
        ...auditRowSql(adapter, tables, audit, auditNote),
      ]);
      const headsAfter = await guard(session, () => readVersionRows(session, adapter, tables));
      return report({ status, doneAfter: row.statementsDone, note, headsAfter });
    }

    const script = stepScript(
      { direction: row.direction, revision: found.revision, fromHeads: row.fromHeads, toHeads: row.toHeads },
      {
        adapter,
        tables,
        runId,
        stepId: row.stepId,
        identity: options.identity,
        hasher: options.hasher,
        resume: { statementsDone: row.statementsDone, note, audit, auditNote },
      },
    );
    const outcome = await runStep(script, {
      session,
      adapter,
      tables,
      clock,
      ...(signal === undefined ? {} : { signal }),
      emit,
      stepIndex: 0,
      stepsTotal: 1,
      expectedHeads: row.fromHeads,
    });
    const step = outcome.report;
    let headsAfter: string[];
    try {
      headsAfter = await readVersionRows(session, adapter, tables);
    } catch {
      headsAfter = step.status === 'applied' ? headsPlanned : headsBefore;
    }
    if (step.status === 'applied') {
      return report({ status: 'succeeded', doneAfter: step.statementsTotal, note, headsAfter });
    }
    const details = step.error?.details as
      { file?: string; line?: number; nativeMessage?: string } | undefined;
    const failure =
      step.error?.code === 'STATEMENT_FAILED' && details !== undefined
        ? `${details.file}:${details.line}: ${details.nativeMessage}`
        : (step.error?.message ?? 'cancelled');
    const failedNote =
      `resolve --resume from statement ${row.statementsDone + 1} stopped after ` +
      `${step.statementsDone} of ${step.statementsTotal} statements: ${failure}`;
    try {
      const failedAudit = { ...audit, toHeads: headsBefore };
      for (const text of auditRowSql(
        adapter,
        tables,
        failedAudit,
        `journal row ${row.id} ${failedNote}`,
        'failed',
      ))
        await session.execute(text);
    } catch {
      // The audit row is best effort here: the failure itself is on the dirty row and in the report.
    }
    return report({
      status: 'dirty',
      doneAfter: step.statementsDone,
      note: failedNote,
      headsAfter,
      ...(step.error === undefined ? {} : { error: step.error }),
    });
  });
}

/** The note for the row's `error` column: what was decided, and how far the step had got. */
export function resolveNote(action: ResolveAction, row: JournalEntry): string {
  const had = `(${row.statementsDone} of ${row.statementsTotal} statements had run)`;
  switch (action) {
    case 'resume':
      return `resolved: resumed from statement ${row.statementsDone + 1} ${had}`;
    case 'markApplied':
      return `resolved by hand: marked as applied ${had}`;
    case 'markRolledBack':
      return `resolved by hand: marked as rolled back ${had}`;
  }
}

/**
 * Refuses what would make things worse; returns whether the version table moves from_heads→to_heads.
 * `markApplied` on a version table already at to_heads (stamped by hand) only settles the row.
 */
function refuseUnsafe(
  action: ResolveAction,
  found: DirtyRow,
  heads: readonly string[],
  database: string,
): boolean {
  const { row, revision } = found;
  if (action === 'markRolledBack') return false;
  const atFrom = sameHeads(heads, row.fromHeads);
  if (action === 'markApplied' && !atFrom && sameHeads(heads, row.toHeads)) return false;
  const marks = `\`stratum resolve ${row.revision} --mark-applied\` or \`--mark-rolled-back\``;
  if (action === 'resume' && revision === null) {
    throw new EngineError(
      'REVISION_NOT_FOUND',
      `Cannot resume ${row.revision}: its file is not in the migrations folder (or cannot be parsed). Restore it, or ` +
        `finish or undo the step by hand and run ${marks}.`,
      { target: row.revision },
    );
  }
  if (action === 'resume' && found.fileChanged) {
    throw new EngineError(
      'HISTORY_CHANGED',
      `Cannot resume ${row.revision}: ${revision!.file} changed since the step ran (its checksum or ` +
        `statement count differs from journal row ${row.id}), so its remaining statements may not be ` +
        `the ones that did not run. Restore the file as it was and resume, or finish or undo the step ` +
        `by hand and run ${marks}.`,
      { revisions: [row.revision] },
    );
  }
  if (!atFrom) {
    const show = (list: readonly string[]): string => (list.length === 0 ? '(none)' : list.join(' '));
    throw new EngineError(
      'VERSION_TABLE_CHANGED',
      `The version table of ${database} holds ${show(heads)}, but the dirty ${row.direction} of ` +
        `${row.revision} started from ${show(row.fromHeads)}: something changed it since. Check ` +
        `\`stratum current\` and set the version table right before resolving.`,
      { expected: [...row.fromHeads], found: [...heads] },
    );
  }
  return true;
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((h, i) => h === y[i]);
}

/** Runs bookkeeping statements in one transaction; rolls back and throws on failure. */
async function inTransaction(
  session: DatabaseSession,
  adapter: DialectAdapter,
  statements: readonly string[],
): Promise<void> {
  const sql = adapter.bookkeeping;
  await guard(session, async () => {
    await session.execute(sql.beginTransaction());
    try {
      for (const text of statements) await session.execute(text);
      await session.execute(sql.commitTransaction());
    } catch (error) {
      try {
        await session.execute(sql.rollbackTransaction());
      } catch {
        // The original failure is what matters.
      }
      throw error;
    }
  });
}

interface Outcome {
  readonly status: JournalStatus;
  readonly doneAfter: number;
  readonly note: string;
  readonly headsAfter: readonly string[];
  readonly error?: ResolveReport['error'];
}

function toReport(
  found: DirtyRow,
  action: ResolveAction,
  dryRun: boolean,
  headsBefore: readonly string[],
  outcome: Outcome,
  durationMs: number,
): ResolveReport {
  const { row, revision } = found;
  const listed: ResolveStatement[] = found.statements.map((s) => ({
    index: s.index,
    file: revision?.file ?? '',
    line: s.line,
    firstLine:
      s.sql
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim() ?? '',
  }));
  const report: ResolveReport = {
    action,
    dryRun,
    ok: outcome.status !== 'dirty',
    journalId: row.id,
    revision: row.revision,
    direction: row.direction,
    message: revision?.message ?? '',
    file: revision?.file ?? null,
    fromHeads: row.fromHeads,
    toHeads: row.toHeads,
    statementsDone: row.statementsDone,
    statementsTotal: row.statementsTotal,
    ran: listed.filter((s) => s.index < row.statementsDone),
    notRun: listed.filter((s) => s.index >= row.statementsDone),
    fileChanged: found.fileChanged,
    status: outcome.status,
    statementsDoneAfter: outcome.doneAfter,
    note: outcome.note,
    headsBefore,
    headsAfter: outcome.headsAfter,
    otherDirty: found.others.map((r) => ({ revision: r.revision, journalId: r.id })),
    durationMs: Math.max(0, durationMs),
  };
  return outcome.error === undefined ? report : { ...report, error: outcome.error };
}
