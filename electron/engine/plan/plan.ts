import type { Direction } from '../../../shared/model/revision-node.ts';
import type { Revision } from '../revision/revision.ts';

/**
 * One step of a plan: apply (`up`), revert (`down`) or record (`stamp`) one revision, moving the
 * version table from `fromHeads` to `toHeads`.
 */
export interface PlanStep {
  readonly direction: Direction;
  /** The revision the step runs; null only for a stamp to `base`. */
  readonly revision: Revision | null;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
}

/** What kind of command produced a plan. */
export type PlanKind = 'upgrade' | 'downgrade' | 'stamp';

/** An ordered list of steps from the database's current heads to the target's heads. */
export interface Plan {
  readonly kind: PlanKind;
  /** The target as the user wrote it. */
  readonly target: string;
  readonly fromHeads: readonly string[];
  readonly toHeads: readonly string[];
  readonly steps: readonly PlanStep[];
}
