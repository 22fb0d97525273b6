/**
 * The one description of what a plan step executes. The online executor and the offline script
 * (`stratum sql`) both walk these items, so dry-run/offline SQL equals executed SQL by
 * construction (STYLE.md §F.4; Atlas `dryRunDriver`, drizzle-kit `diff` vs `push`).
 */
import type { SourceLocation } from '../../../shared/model/run-event.ts';
import type { Phase, TransactionMode } from '../../../shared/model/revision-node.ts';
import type { BookkeepingTables, DialectAdapter, Hasher, JournalStart, RunIdentity } from '../ports.ts';
import type { PlanStep } from '../plan/plan.ts';
import type { Statement } from '../revision/revision.ts';
import { statementsFor } from '../revision/revision-statements.ts';
import { appliedText, revisionChecksum } from '../revision/revision-checksum.ts';

/** The revision id journaled for a stamp to `base` (a step without a revision). */
export const BASE_REVISION = 'base';

/** Which piece of Stratum's own bookkeeping a {@link ScriptItem} of kind `bookkeeping` is. */
export type BookkeepingRole = 'journalStart' | 'journalProgress' | 'versionTransition' | 'journalFinish';

/** One thing a step executes, in order. */
export type ScriptItem =
  | { readonly kind: 'begin'; readonly sql: string }
  | { readonly kind: 'commit'; readonly sql: string }
  | { readonly kind: 'bookkeeping'; readonly role: BookkeepingRole; readonly sql: string }
  | {
      readonly kind: 'statement';
      readonly sql: string;
      readonly location: SourceLocation;
      /** 0-based index within the step's statements. */
      readonly index: number;
      readonly total: number;
    };

/** Everything one plan step executes, plus what the executor needs to journal a failure. */
export interface StepScript {
  /** Revision id, or {@link BASE_REVISION} for a stamp to base. */
  readonly revision: string;
  readonly direction: PlanStep['direction'];
  /** The revision's message, or '' for a stamp to base. */
  readonly message: string;
  /** How the step runs; stamps always run in one transaction. */
  readonly transaction: TransactionMode;
  /** The revision's deploy phase; null for a stamp to base. */
  readonly phase: Phase | null;
  /** The journal row the step writes when it starts (also used to record a failure). */
  readonly journal: JournalStart;
  /** The migration statements of the step (empty for a stamp). */
  readonly statements: readonly Statement[];
  readonly items: readonly ScriptItem[];
}

/** What {@link stepScript} needs besides the step. */
export interface StepScriptContext {
  readonly adapter: DialectAdapter;
  readonly tables: BookkeepingTables;
  readonly runId: string;
  readonly stepId: string;
  readonly identity: RunIdentity;
  readonly hasher: Hasher;
}

/**
 * Builds the script of one plan step.
 *
 * - `per-migration` (and every stamp): `begin`, journal start (`running`), the statements, the
 *   version transition, journal finish (`succeeded`), `commit`: schema and bookkeeping commit together.
 *   On a dialect without transactional DDL (MySQL) each statement is also followed by a journal
 *   progress update, because DDL commits implicitly there (DESIGN.md §5 "always journal statement
 *   progress"): the progress that survives a crash or a rollback is the truth.
 * - `none`: journal start in autocommit, each statement followed by a journal progress update,
 *   then `begin`, the version transition, journal finish, `commit`.
 *
 * Up and down rows carry the revision's checksum and applied text for the adapter's dialect; a down
 * step runs the down section.
 */
export function stepScript(step: PlanStep, ctx: StepScriptContext): StepScript {
  const { adapter, tables } = ctx;
  const sql = adapter.bookkeeping;
  const revision = step.revision;
  const statements =
    revision === null || step.direction === 'stamp'
      ? []
      : statementsFor(revision, step.direction, adapter.dialect, adapter.syntax);
  const withBodies = revision !== null && step.direction !== 'stamp';
  const journal: JournalStart = {
    stepId: ctx.stepId,
    runId: ctx.runId,
    revision: revision?.id ?? BASE_REVISION,
    direction: step.direction,
    fromHeads: step.fromHeads,
    toHeads: step.toHeads,
    checksum: withBodies ? revisionChecksum(revision, adapter.dialect, ctx.hasher) : null,
    appliedText: withBodies ? appliedText(revision, adapter.dialect) : null,
    statementsTotal: statements.length,
    osUser: ctx.identity.osUser,
    host: ctx.identity.host,
    toolVersion: ctx.identity.toolVersion,
  };
  const total = statements.length;
  const transaction: TransactionMode =
    step.direction === 'stamp' || revision === null ? 'per-migration' : revision.transaction;
  const file = revision?.file ?? '';

  const items: ScriptItem[] = [];
  const begin = (): void => void items.push({ kind: 'begin', sql: sql.beginTransaction() });
  const commit = (): void => void items.push({ kind: 'commit', sql: sql.commitTransaction() });
  const keep = (role: BookkeepingRole, text: string): void =>
    void items.push({ kind: 'bookkeeping', role, sql: text });
  const start = (): void => keep('journalStart', sql.journalStart(tables, journal, 'running'));
  const finish = (): void => {
    for (const text of sql.versionTransition(tables, step.fromHeads, step.toHeads))
      keep('versionTransition', text);
    keep('journalFinish', sql.journalFinish(tables, ctx.stepId, 'succeeded', total, null));
  };
  const runStatements = (progress: boolean): void => {
    statements.forEach((statement, index) => {
      items.push({
        kind: 'statement',
        sql: statement.sql,
        location: { file, line: statement.line },
        index,
        total,
      });
      if (progress) keep('journalProgress', sql.journalProgress(tables, ctx.stepId, index + 1));
    });
  };

  if (transaction === 'none') {
    start();
    runStatements(true);
    begin();
    finish();
    commit();
  } else {
    begin();
    start();
    runStatements(!adapter.capabilities.supportsTransactionalDdl);
    finish();
    commit();
  }
  return {
    revision: journal.revision,
    direction: step.direction,
    message: revision?.message ?? '',
    transaction,
    phase: revision?.phase ?? null,
    journal,
    statements,
    items,
  };
}
