import type { JournalStatus } from './journal-entry.ts';
import type { Direction } from './revision-node.ts';
import type { ErrorPayload } from './run-event.ts';

/**
 * How `stratum resolve` settles a dirty step (DESIGN.md §4): run the statements that did not run,
 * record that the user finished it by hand, or record that the user undid it by hand.
 */
export type ResolveAction = 'resume' | 'markApplied' | 'markRolledBack';

/** Every {@link ResolveAction}, in the order the CLI lists them. */
export const RESOLVE_ACTIONS: readonly ResolveAction[] = ['resume', 'markApplied', 'markRolledBack'];

/**
 * The command that resolves a dirty step of `revision`, for messages (`status`, the DIRTY error).
 *
 * @example
 * resolveCommand('b2b2b2b2b2b2'); // 'stratum resolve b2b2b2b2b2b2 --resume | --mark-applied | --mark-rolled-back'
 */
export function resolveCommand(revision: string): string {
  return `stratum resolve ${revision} --resume | --mark-applied | --mark-rolled-back`;
}

/** One statement of a dirty step: where it is and its first line of SQL. */
export interface ResolveStatement {
  /** 0-based index within the step's statements. */
  readonly index: number;
  readonly file: string;
  /** 1-based line where the statement starts. */
  readonly line: number;
  /** The statement's first non-blank line. */
  readonly firstLine: string;
}

/** What `stratum resolve` found and did (or, in a dry run, would do). */
export interface ResolveReport {
  readonly action: ResolveAction;
  readonly dryRun: boolean;
  /** False only when `resume` failed again (the row stays dirty; `error` says why). */
  readonly ok: boolean;
  /** The dirty journal row. */
  readonly journalId: number;
  readonly revision: string;
  readonly direction: Direction;
  /** The revision's message, or '' when its file is gone. */
  readonly message: string;
  /** The revision file, or null when the migrations folder no longer has it. */
  readonly file: string | null;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  /** Statements done when the step stopped, of its total (from the journal row). */
  readonly statementsDone: number;
  readonly statementsTotal: number;
  /** Statements 0..done-1 of the current file: they ran. */
  readonly ran: readonly ResolveStatement[];
  /** Statements done..total-1 of the current file: they did not run. */
  readonly notRun: readonly ResolveStatement[];
  /** The current file's checksum differs from the journal row's: the lists may not be what ran. */
  readonly fileChanged: boolean;
  /** The journal row's status afterwards: `succeeded`, `failed`, or `dirty` when a resume failed. */
  readonly status: JournalStatus;
  /** The journal row's statements done afterwards. */
  readonly statementsDoneAfter: number;
  /** The note written to the row's `error` column (or the failure text of a failed resume). */
  readonly note: string;
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  /** Why a resume failed. */
  readonly error?: ErrorPayload;
  /** Dirty rows of other revisions that still block runs. */
  readonly otherDirty: readonly { readonly revision: string; readonly journalId: number }[];
  readonly durationMs: number;
}
