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
  /**
   * Set when the script resumes a dirty journal row: the statements before this index ran in an
   * earlier run, and `items` holds only the rest.
   */
  readonly resumeFrom?: number;
}

/**
 * What resuming a dirty journal row needs (`stratum resolve --resume`): where to start, the note for
 * the row's `error` column, and the audit row recording who resolved it.
 */
export interface ResumeSpec {
  /** The row's `statements_done`: statements 0..statementsDone-1 already ran. */
  readonly statementsDone: number;
  readonly note: string;
  readonly audit: JournalStart;
  readonly auditNote: string;
}

/** What {@link stepScript} needs besides the step. */
export interface StepScriptContext {
  readonly adapter: DialectAdapter;
  readonly tables: BookkeepingTables;
  readonly runId: string;
  readonly stepId: string;
  readonly identity: RunIdentity;
  readonly hasher: Hasher;
  /**
   * Resumes the dirty row `stepId` instead of starting a new one: no journal start; only the
   * statements from `resume.statementsDone` on, each followed by a progress update whatever the
   * revision's transaction mode (what ran before is committed, so the rest cannot join it in one
   * transaction); then, in one transaction, the version transition, the row finished `succeeded`
   * with the note, and the audit row.
   */
  readonly resume?: ResumeSpec;
}

/**
 * The audit row of a `stratum resolve`: a `stamp` row written with its final `status` and finished
 * at once with `note` (journalStart has no error column), so it records who resolved what, and when.
 */
export function auditRowSql(
  adapter: DialectAdapter,
  tables: BookkeepingTables,
  audit: JournalStart,
  note: string,
  status: 'succeeded' | 'failed' = 'succeeded',
): string[] {
  const sql = adapter.bookkeeping;
  return [sql.journalStart(tables, audit, status), sql.journalFinish(tables, audit.stepId, status, 0, note)];
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
 * - resuming a dirty row (`ctx.resume`): like `none` from the first statement that did not run, with
 *   no journal start, and the resolve's audit row in the final transaction.
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
  const resume = ctx.resume;
  const transaction: TransactionMode =
    resume !== undefined
      ? 'none'
      : step.direction === 'stamp' || revision === null
        ? 'per-migration'
        : revision.transaction;
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
    keep('journalFinish', sql.journalFinish(tables, ctx.stepId, 'succeeded', total, resume?.note ?? null));
  };
  const runStatements = (progress: boolean, from = 0): void => {
    statements.forEach((statement, index) => {
      if (index < from) return;
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

  if (resume !== undefined) {
    runStatements(true, resume.statementsDone);
    begin();
    finish();
    const [auditStart, auditFinish] = auditRowSql(adapter, tables, resume.audit, resume.auditNote);
    keep('journalStart', auditStart!);
    keep('journalFinish', auditFinish!);
    commit();
  } else if (transaction === 'none') {
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
    ...(resume === undefined ? {} : { resumeFrom: resume.statementsDone }),
  };
}
