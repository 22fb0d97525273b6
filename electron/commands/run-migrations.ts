/** `upgrade`, `downgrade` and `stamp`: plan against the database's heads, then run under the lock. */
import type { Plan } from '../engine/plan/plan.ts';
import type { RunEvent, RunReport } from '../../shared/model/run-event.ts';
import { readTableSizes, type TableSize } from '../engine/plan/table-sizes.ts';
import { touchedTables } from '../engine/plan/touched-tables.ts';
import { parseRevisionTarget } from '../engine/graph/revision-target.ts';
import { planDowngrade, planStamp, planUpgrade } from '../engine/plan/planner.ts';
import { EngineError } from '../engine/engine-error.ts';
import { runPlan } from '../engine/run/executor.ts';
import { statementsFor } from '../engine/revision/revision-statements.ts';
import { RolledBackSession, TRANSACTION_CONTROL } from '../engine/run/rolled-back-session.ts';
import { nodeHasher, randomIds, runIdentity, systemClock, TOOL_VERSION } from '../node/system.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, type RunOptions } from './command-options.ts';
import { openDatabase } from './open-database.ts';
import { requireConfirmation } from './production-guard.ts';
import { assertGraphUsable } from './graph-guard.ts';
import { openProject, type ProjectState } from './project-state.ts';
import type { DatabaseInfo } from './database-info.ts';

/** Options of a run command: `--yes` confirms destructive actions on production databases. */
export interface MigrationRunOptions extends RunOptions {
  readonly confirmed?: boolean;
  /**
   * Run for real inside one transaction that is always rolled back (`stratum rehearse
   * --in-transaction`): the database ends as it began. Only where DDL is transactional, and only
   * for plans whose every step runs in a transaction.
   */
  readonly rolledBack?: boolean;
}

/** What a run command returns: the run report, the plan it ran and where. */
export interface MigrationRunResult {
  readonly database: DatabaseInfo;
  readonly plan: Plan | null;
  readonly report: RunReport;
  /**
   * A dry run only: the tables the plan's statements touch, sized on the database (`exists`
   * false for tables the plan creates). Empty for a real run.
   */
  readonly tables: readonly TableSize[];
  /** A dry run only: per step, the statements it would run with their file:line. Empty otherwise. */
  readonly statements: readonly (readonly DryRunStatement[])[];
}

/** One statement a dry run would execute. */
export interface DryRunStatement {
  readonly sql: string;
  readonly file: string;
  readonly line: number;
}

/** Upgrades the database to `options.target` (DESIGN.md §3). */
export function upgrade(options: MigrationRunOptions): Promise<MigrationRunResult> {
  return runMigrations('upgrade', options);
}

/** Downgrades the database to `options.target`, removing only what depends on it. */
export function downgrade(options: MigrationRunOptions): Promise<MigrationRunResult> {
  return runMigrations('downgrade', options);
}

/** Sets the version table to `options.target` without running any migration. */
export function stamp(options: MigrationRunOptions): Promise<MigrationRunResult> {
  return runMigrations('stamp', options);
}

/** The run commands by plan kind, for callers that take the kind as data (the app, `rehearse`). */
export const RUN_COMMANDS = { upgrade, downgrade, stamp } as const;

async function runMigrations(kind: Plan['kind'], options: MigrationRunOptions): Promise<MigrationRunResult> {
  const state = await openProject(options);
  assertGraphUsable(state);
  const target = parseRevisionTarget(options.target);
  const dryRun = options.dryRun === true;
  if (options.rolledBack === true) assertRollbackPossible(state);
  // `stamp` creates a new SQLite file too: stamping an existing schema is how a project adopts it.
  const db = await openDatabase(state, options, {
    create: kind !== 'downgrade' && !dryRun,
    emptyIfMissing: dryRun,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  });
  let rolledBack: RolledBackSession | null = null;
  let connection = db.connection;
  if (options.rolledBack === true) {
    rolledBack = new RolledBackSession(db.connection.session, state.adapter.bookkeeping);
    connection = { session: rolledBack, locker: db.connection.locker };
  }
  let plan: Plan | null = null;
  // A dry run streams every statement it would run: the tables they touch get sized below.
  const touched = new Set<string>();
  const statements: DryRunStatement[][] = [];
  const onEvent = (event: RunEvent): void => {
    if (dryRun && event.kind === 'statementStarted') {
      for (const t of touchedTables(event.sql)) touched.add(t);
      (statements[event.step] ??= []).push({
        sql: event.sql,
        file: event.location.file,
        line: event.location.line,
      });
    }
    options.onEvent?.(event);
  };
  try {
    await rolledBack?.begin();
    const report = await runPlan({
      connection,
      adapter: state.adapter,
      tables: db.tables,
      identity: runIdentity(TOOL_VERSION),
      hasher: nodeHasher,
      ids: randomIds,
      clock: systemClock,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      signal: options.signal,
      onEvent,
      dryRun,
      makePlan: (rows) => {
        plan = makePlan(kind, state, rows, target, options.target);
        if (rolledBack !== null) assertRollbackable(plan, state);
        if (!dryRun) {
          confirmProduction(
            plan,
            db.tag,
            db.envName ?? db.url,
            options.confirmed === true,
            rolledBack !== null,
          );
        }
        return plan;
      },
    });
    const tables =
      !dryRun || touched.size === 0
        ? []
        : db.exists
          ? await readTableSizes(db.connection.session, state.adapter, [...touched])
          : [...touched].map((name) => ({ name, exists: false, rows: null, bytes: null }));
    const steps = plan === null ? 0 : (plan as Plan).steps.length;
    return {
      database: db.info,
      plan,
      report,
      tables,
      statements: dryRun ? Array.from({ length: steps }, (_, i) => statements[i] ?? []) : [],
    };
  } finally {
    // A lost connection cannot roll back, but then the server rolls the open transaction back.
    await rolledBack?.finish().catch(() => undefined);
    await db.close();
  }
}

/** A rolled-back run needs a dialect whose schema changes roll back (not MySQL). */
function assertRollbackPossible(state: ProjectState): void {
  if (state.adapter.capabilities.supportsTransactionalDdl) return;
  throw new EngineError(
    'USAGE',
    `${state.adapter.dialect} commits schema changes at once, so a transaction cannot undo them: ` +
      'rehearse on a scratch database instead (leave out --in-transaction).',
    { argument: '--in-transaction' },
  );
}

/**
 * A rolled-back run cannot include a step that must run outside a transaction, nor a statement
 * that ends or starts one (a migration's own COMMIT would end the transaction that is rolled back).
 */
function assertRollbackable(plan: Plan, state: ProjectState): void {
  const outside = plan.steps.filter((s) => s.revision?.transaction === 'none').map((s) => s.revision!.id);
  const instead = 'rehearse on a scratch database instead (leave out --in-transaction).';
  if (outside.length > 0) {
    throw new EngineError(
      'USAGE',
      `${outside.join(', ')} ${outside.length === 1 ? 'has' : 'have'} "transaction: none" and cannot run inside the ` +
        `transaction a rehearsal rolls back: ${instead}`,
      { argument: '--in-transaction' },
    );
  }
  const { dialect, syntax } = state.adapter;
  for (const step of plan.steps) {
    if (step.revision === null || (step.direction !== 'up' && step.direction !== 'down')) continue;
    const control = statementsFor(step.revision, step.direction, dialect, syntax).find((s) =>
      TRANSACTION_CONTROL.test(s.sql),
    );
    if (control === undefined) continue;
    throw new EngineError(
      'USAGE',
      `${step.revision.file}:${control.line}: "${control.sql.trim().split(/\s+/).slice(0, 2).join(' ')}" controls the ` +
        `transaction, and would end the one the rehearsal rolls back: ${instead}`,
      { argument: '--in-transaction' },
    );
  }
}

function makePlan(
  kind: Plan['kind'],
  state: ProjectState,
  rows: string[],
  target: ReturnType<typeof parseRevisionTarget>,
  text: string,
): Plan {
  switch (kind) {
    case 'upgrade':
      return planUpgrade(state.graph, rows, target, text);
    case 'downgrade':
      return planDowngrade(state.graph, rows, target, text, state.adapter.dialect);
    case 'stamp':
      return planStamp(state.graph, rows, target, text);
  }
}

/** DESIGN.md §5: destructive actions on a production database need `--yes`. */
function confirmProduction(
  plan: Plan,
  tag: string,
  environment: string,
  confirmed: boolean,
  rolledBack: boolean,
): void {
  if (tag !== 'production' || confirmed || plan.steps.length === 0) return;
  if (rolledBack) {
    // Nothing stays, but the statements lock what they touch until the rollback.
    const reason = "it rehearses on the real tables, holding the run's locks until it rolls back";
    return requireConfirmation(environment, 'production', false, 'rehearsal', [reason]);
  }
  const reasons: string[] = [];
  if (plan.kind === 'downgrade') reasons.push('it downgrades');
  if (plan.kind === 'stamp') reasons.push('it rewrites the version table');
  const noTx = plan.steps.filter((s) => s.revision?.transaction === 'none').map((s) => s.revision!.id);
  if (noTx.length > 0) reasons.push(`it runs without a transaction (${noTx.join(', ')})`);
  requireConfirmation(environment, 'production', false, plan.kind, reasons);
}
