import type { LockHolder } from '../model/run-event.ts';

/** A problem found in one revision file or in the graph, naming the files involved. */
export interface GraphProblem {
  readonly kind:
    | 'duplicateRevision'
    | 'unknownParent'
    | 'unknownDependency'
    | 'cycle'
    | 'labelClash'
    | 'duplicateLabel'
    | 'invalidFile';
  readonly message: string;
  readonly revisions: readonly string[];
  readonly files: readonly string[];
  readonly line?: number;
}

/**
 * Typed details of every error code. The renderer and the CLI word messages from `code` and
 * these fields (STYLE.md §D.1–D.2).
 */
export interface ErrorDetails {
  USAGE: { readonly argument?: string };
  PROJECT_NOT_FOUND: { readonly searchedFrom: string };
  CONFIG_INVALID: { readonly file: string; readonly problems: readonly string[] };
  ENVIRONMENT_NOT_FOUND: { readonly name: string; readonly available: readonly string[] };
  URL_INVALID: { readonly url: string; readonly reason: string };
  REVISION_FILE_INVALID: { readonly file: string; readonly line: number; readonly reason: string };
  GRAPH_INVALID: { readonly problems: readonly GraphProblem[] };
  TARGET_INVALID: { readonly target: string; readonly reason: string };
  REVISION_NOT_FOUND: { readonly target: string };
  AMBIGUOUS_REVISION: { readonly target: string; readonly candidates: readonly string[] };
  MULTIPLE_HEADS: { readonly target: string; readonly heads: readonly string[] };
  RELATIVE_OUT_OF_RANGE: { readonly target: string; readonly available: number };
  NOT_APPLIED: { readonly target: string; readonly revision: string };
  IRREVERSIBLE: { readonly revision: string; readonly file: string };
  RANGE_INVALID: { readonly range: string; readonly reason: string };
  DATABASE_UNAVAILABLE: { readonly database: string; readonly reason: string };
  LOCKED: { readonly database: string; readonly waitedMs: number; readonly holder: LockHolder | null };
  STATEMENT_FAILED: {
    readonly file: string;
    readonly line: number;
    readonly index: number;
    readonly sql: string;
    readonly dialect: string;
    readonly nativeCode: string | null;
    readonly nativeMessage: string;
  };
  HISTORY_CHANGED: { readonly revisions: readonly string[] };
  /** The version table changed during a run, written by something that did not take the lock. */
  VERSION_TABLE_CHANGED: { readonly expected: readonly string[]; readonly found: readonly string[] };
  UNKNOWN_APPLIED_REVISION: { readonly revisions: readonly string[] };
  DIRTY: {
    readonly revision: string;
    readonly statementsDone: number;
    readonly statementsTotal: number;
    readonly journalId: number;
  };
  /** `stratum resolve` named a revision without a dirty journal row; `dirty` lists those that have one. */
  NOT_DIRTY: { readonly revision: string; readonly dirty: readonly string[] };
  PENDING: { readonly revisions: readonly string[] };
  CANCELLED: Record<string, never>;
  FILE_EXISTS: { readonly file: string };
  /** A save found the file changed on disk since the editor read it. */
  FILE_CHANGED: { readonly file: string; readonly diskHash: string };
  CONFIRMATION_REQUIRED: { readonly environment: string; readonly reasons: readonly string[] };
  /** A contract call's input failed validation (app transports). */
  INVALID_INPUT: {
    readonly method: string;
    readonly issues: readonly { readonly path: string; readonly message: string }[];
  };
  /** The app named a connection it does not have. */
  CONNECTION_NOT_FOUND: { readonly id: string };
  /** The app tried to change a connection that comes from stratum.json. */
  CONNECTION_READ_ONLY: { readonly id: string; readonly file: string };
  INTERNAL: Record<string, never>;
}

/** Every error code Stratum reports. */
export type ErrorCode = keyof ErrorDetails;

/** Process exit codes (DESIGN.md §6). Stable: CI pipelines depend on them. */
export const EXIT_CODES = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  PENDING: 3,
  MULTIPLE_HEADS: 4,
  CHECKSUM_MISMATCH: 5,
  DRIFT: 6,
  LOCK_TIMEOUT: 7,
  LINT_ERRORS: 8,
  DIRTY: 9,
} as const;

/** One of the values of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code a failure with this error code ends the CLI with. */
export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'USAGE':
    case 'INVALID_INPUT':
    case 'TARGET_INVALID':
    case 'RANGE_INVALID':
    case 'CONFIRMATION_REQUIRED':
      return EXIT_CODES.USAGE;
    case 'PENDING':
      return EXIT_CODES.PENDING;
    case 'MULTIPLE_HEADS':
      return EXIT_CODES.MULTIPLE_HEADS;
    case 'HISTORY_CHANGED':
      return EXIT_CODES.CHECKSUM_MISMATCH;
    case 'LOCKED':
      return EXIT_CODES.LOCK_TIMEOUT;
    case 'DIRTY':
      return EXIT_CODES.DIRTY;
    default:
      return EXIT_CODES.ERROR;
  }
}
