import type { Dialect } from './dialect.ts';

/** How a revision runs: inside one transaction with its bookkeeping, or statement by statement. */
export const TRANSACTION_MODES = ['per-migration', 'none'] as const;
/** One of {@link TRANSACTION_MODES}. */
export type TransactionMode = (typeof TRANSACTION_MODES)[number];

/** When a revision runs relative to the deploy of new application code (expand/contract). */
export const PHASES = ['pre-deploy', 'post-deploy'] as const;
/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** Direction of a migration step, as recorded in the journal. */
export type Direction = 'up' | 'down' | 'stamp';

/** Serializable view of one revision and its place in the graph (CLI `--json`, the app). */
export interface RevisionNode {
  readonly revision: string;
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  /** Labels this revision declares (`branch-labels:`). */
  readonly branchLabels: readonly string[];
  /** Labels of the branches this revision belongs to: declared or inherited from ancestors. */
  readonly memberOf: readonly string[];
  readonly message: string;
  readonly created: string | null;
  readonly transaction: TransactionMode;
  readonly phase: Phase;
  /** Project-relative path of the revision file. */
  readonly file: string;
  readonly isHead: boolean;
  readonly isBase: boolean;
  readonly isBranchPoint: boolean;
  readonly isMergePoint: boolean;
  /** False when the file has no `migrate:down` section for the dialect. */
  readonly reversible: boolean;
  readonly dialectOverrides: readonly Dialect[];
}
