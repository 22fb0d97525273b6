import type { Direction, Phase, TransactionMode } from './revision-node.ts';

/** Where a statement came from: project-relative file and 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** Who holds a migration lock, as far as the dialect can tell. */
export interface LockHolder {
  readonly host: string | null;
  readonly pid: number | null;
  readonly since: string | null;
  readonly detail?: string;
}

/** A progress event streamed by every run (CLI progress line, app progress bar). */
export type RunEvent =
  | { readonly kind: 'lockWaiting'; readonly holder: LockHolder | null; readonly waitedMs: number }
  | { readonly kind: 'lockAcquired' }
  | { readonly kind: 'runStarted'; readonly runId: string; readonly steps: number; readonly dryRun: boolean }
  | {
      readonly kind: 'stepStarted';
      readonly index: number;
      readonly total: number;
      readonly revision: string;
      readonly direction: Direction;
      readonly message: string;
      readonly statements: number;
      readonly transaction: TransactionMode;
      /** Null for a stamp to base. */
      readonly phase: Phase | null;
    }
  | {
      readonly kind: 'statementStarted';
      readonly step: number;
      readonly index: number;
      readonly total: number;
      readonly location: SourceLocation;
      readonly sql: string;
    }
  | {
      readonly kind: 'statementFinished';
      readonly step: number;
      readonly index: number;
      readonly durationMs: number;
    }
  | {
      readonly kind: 'stepFinished';
      readonly index: number;
      readonly revision: string;
      readonly status: StepStatus;
      readonly durationMs: number;
    }
  | { readonly kind: 'runFinished'; readonly report: RunReport };

/** Outcome of one step of a run. */
export type StepStatus = 'applied' | 'failed' | 'notRun' | 'skipped';

/** Outcome of one step, with the error if it failed. */
export interface StepReport {
  readonly revision: string;
  readonly direction: Direction;
  readonly status: StepStatus;
  readonly statementsDone: number;
  readonly statementsTotal: number;
  readonly durationMs: number;
  /** True when a failed step's transaction was rolled back (nothing of it remains). */
  readonly rolledBack: boolean;
  /** True when a failed non-transactional step left part of its statements applied. */
  readonly dirty: boolean;
  readonly error?: ErrorPayload;
}

/** What a run did. Runs never throw for a failed step; they return this (STYLE.md §D.3). */
export interface RunReport {
  readonly runId: string;
  readonly ok: boolean;
  readonly cancelled: boolean;
  readonly dryRun: boolean;
  readonly headsBefore: readonly string[];
  readonly headsAfter: readonly string[];
  readonly steps: readonly StepReport[];
  readonly durationMs: number;
}

/** A serialized error: code, human message and typed details. */
export interface ErrorPayload {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}
