/**
 * `database.state`, `journal.list`, `plan.preview`, `migrations.run`, `run.cancel` and
 * `dirty.resolve`: what a connection has applied and running plans on it, streaming run events.
 */
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type {
  DatabaseState,
  PlanPreview,
  RunKind,
  RunResult,
} from '../../../shared/contract/plan-schemas.ts';
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';
import type { ResolveAction, ResolveReport } from '../../../shared/model/resolve-report.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { readJournal } from '../../engine/run/version-reader.ts';
import { status } from '../database-status.ts';
import { openDatabase } from '../open-database.ts';
import { openProject } from '../project-state.ts';
import { resolveDirty } from '../resolve-dirty.ts';
import { rehearse, type RehearsalMode } from '../rehearse.ts';
import type { EngineOutput } from '../../../shared/contract/engine-contract.ts';
import { RUN_COMMANDS, type MigrationRunOptions } from '../run-migrations.ts';
import type { AppSession } from './app-session.ts';
import { toPlanPreview } from './plan-preview.ts';

/** How a handler pushes events to the client that called it. */
export interface CallContext {
  emit(event: EngineEvent): void;
}

/** What the connection's database has applied, against the project's files. */
export async function databaseState(session: AppSession, connectionId: string): Promise<DatabaseState> {
  const report = await status(await session.connectionOptions(connectionId));
  return {
    connectionId,
    exists: report.database.exists,
    current: [...report.current],
    applied: [...report.applied],
    pending: report.pending.map((n) => n.revision),
    modified: report.modified.map((m) => ({
      revision: m.revision,
      file: m.file,
      diff: m.diff,
      appliedText: m.appliedText,
      currentText: m.currentText,
    })),
    missing: report.missing.map((m) => m.revision),
    dirty: [...report.dirty],
  };
}

/** Journal rows of the connection's database, newest first; only `revision`'s when given. */
export async function listJournal(
  session: AppSession,
  input: { connectionId: string; revision?: string | undefined; limit?: number | undefined },
): Promise<{ entries: JournalEntry[] }> {
  const options = await session.connectionOptions(input.connectionId);
  const state = await openProject(options, { saveCache: false });
  const db = await openDatabase(state, options, { create: false, emptyIfMissing: true });
  try {
    const rows = await readJournal(db.connection.session, state.adapter, db.tables);
    const wanted = input.revision;
    const entries = rows.filter((e) => wanted === undefined || e.revision === wanted).reverse();
    return { entries: entries.slice(0, input.limit ?? 500) };
  } finally {
    await db.close();
  }
}

/** The exact plan a run would execute now, without writing anything (a dry run). */
export async function previewPlan(
  session: AppSession,
  input: { connectionId: string; kind: RunKind; target: string },
): Promise<PlanPreview> {
  const connection = await session.connectionInfo(input.connectionId);
  const options = await session.connectionOptions(input.connectionId);
  const result = await RUN_COMMANDS[input.kind]({ ...options, target: input.target, dryRun: true });
  const state = await openProject(options);
  const sizes = new Map(result.tables.map((t) => [t.name, t]));
  // The statements come from the dry run of the executor itself, from the same step scripts.
  const sqlByStep = new Map(result.statements.map((list, i) => [i, [...list]]));
  return toPlanPreview(result.plan!, input.connectionId, connection, state, sqlByStep, sizes);
}

/**
 * Runs a plan on the connection, streaming its events under `runId`. On a production connection
 * the user must have typed the database's name (`confirmation`), whatever the plan does: the app
 * is stricter than the CLI's `--yes`, which only guards destructive runs.
 */
export function runMigrations(
  session: AppSession,
  input: {
    connectionId: string;
    kind: RunKind;
    target: string;
    runId: string;
    confirmation?: string | undefined;
  },
  ctx: CallContext,
): Promise<RunResult> {
  // The run id is taken before the first `await`: a `run.cancel` the client sends right after
  // starting the run (while the project and connection load) must cancel it, not find nothing.
  // It is released as soon as the run ends, so a later cancel says it cancelled nothing.
  const ran = withRun(session, input.runId, async (signal) => {
    const connection = await session.connectionInfo(input.connectionId);
    checkConfirmation(connection, input.confirmation);
    const options = await session.connectionOptions(input.connectionId);
    const result = await RUN_COMMANDS[input.kind]({
      ...options,
      target: input.target,
      confirmed: true,
      signal,
      onEvent: (event) => ctx.emit({ kind: 'run.event', runId: input.runId, event }),
    } satisfies MigrationRunOptions);
    return { connection, options, result };
  });
  return ran.then(async ({ connection, options, result }) => {
    const state = await openProject(options);
    return {
      plan: result.plan === null ? null : toPlanPreview(result.plan, input.connectionId, connection, state),
      report: result.report,
    };
  });
}

/**
 * Rehearses a plan on a scratch copy of the connection's database (commands/rehearse.ts),
 * streaming its events under `runId`. The original is only read, so no confirmation is needed.
 */
export async function rehearsePlan(
  session: AppSession,
  input: {
    connectionId: string;
    kind: 'upgrade' | 'downgrade';
    target: string;
    runId: string;
    mode?: RehearsalMode | undefined;
  },
  ctx: CallContext,
): Promise<EngineOutput<'plan.rehearse'>> {
  const options = await session.connectionOptions(input.connectionId);
  const result = await withRun(session, input.runId, (signal) =>
    rehearse({
      ...options,
      kind: input.kind,
      target: input.target,
      mode: input.mode ?? 'scratch',
      signal,
      onEvent: (event) => ctx.emit({ kind: 'run.event', runId: input.runId, event }),
    }),
  );
  return {
    mode: result.mode,
    scratch: result.scratch,
    from: [...result.from],
    replayed: result.replayed,
    report: result.report,
    statements: [...result.statements],
  };
}

/** Settles a dirty step (DESIGN.md §4), streaming the resumed statements' events under `runId`. */
export function resolveDirtyStep(
  session: AppSession,
  input: {
    connectionId: string;
    revision: string;
    action: ResolveAction;
    runId: string;
    confirmation?: string | undefined;
  },
  ctx: CallContext,
): Promise<ResolveReport> {
  // As in runMigrations: the run id is taken before the first `await`.
  return withRun(session, input.runId, async (signal) => {
    const connection = await session.connectionInfo(input.connectionId);
    checkConfirmation(connection, input.confirmation);
    const options = await session.connectionOptions(input.connectionId);
    const result = await resolveDirty({
      ...options,
      revision: input.revision,
      action: input.action,
      confirmed: true,
      signal,
      onEvent: (event) => ctx.emit({ kind: 'run.event', runId: input.runId, event }),
    });
    return result.report;
  });
}

/** Cancels a run in progress: it stops after the current statement. */
export function cancelRun(session: AppSession, runId: string): { cancelled: boolean } {
  const controller = session.runs.get(runId);
  if (controller === undefined) return { cancelled: false };
  controller.abort();
  return { cancelled: true };
}

async function withRun<T>(
  session: AppSession,
  runId: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (session.runs.has(runId)) {
    throw new EngineError('USAGE', `Run id ${runId} is already in use; start the run with a new id.`, {
      argument: 'runId',
    });
  }
  const controller = new AbortController();
  session.runs.set(runId, controller);
  try {
    return await run(controller.signal);
  } finally {
    session.runs.delete(runId);
  }
}

function checkConfirmation(connection: ConnectionInfo, confirmation: string | undefined): void {
  if (connection.tag !== 'production' || confirmation === connection.databaseName) return;
  throw new EngineError(
    'CONFIRMATION_REQUIRED',
    `${connection.name} is a production database: type its name, ${connection.databaseName}, to confirm.`,
    { environment: connection.name, reasons: ['the connection is tagged production'] },
  );
}
