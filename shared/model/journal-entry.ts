import type { Direction } from './revision-node.ts';

/** Status of a journal row (DESIGN.md §4). */
export type JournalStatus = 'running' | 'succeeded' | 'failed' | 'dirty';

/** One row of `stratum_journal`: one step ever run against a database. */
export interface JournalEntry {
  readonly id: number;
  readonly stepId: string;
  readonly runId: string;
  readonly revision: string;
  readonly direction: Direction;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  readonly checksum: string | null;
  readonly appliedText: string | null;
  readonly status: JournalStatus;
  readonly statementsDone: number;
  readonly statementsTotal: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly dbUser: string | null;
  readonly osUser: string | null;
  readonly host: string | null;
  readonly toolVersion: string | null;
  readonly error: string | null;
}
