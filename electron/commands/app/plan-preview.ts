/** Turns an engine plan into what the confirmation dialog lists: steps in order and warnings. */
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { PlanPreview, PlanStepView, PlanWarning } from '../../../shared/contract/plan-schemas.ts';
import type { Plan } from '../../engine/plan/plan.ts';
import { isReversible, statementsFor } from '../../engine/revision/revision-statements.ts';
import type { ProjectState } from '../project-state.ts';
import { touchedTables } from '../../engine/plan/touched-tables.ts';
import type { TableSize } from '../../engine/plan/table-sizes.ts';

/** The preview of `plan` on `connection`. */
export function toPlanPreview(
  plan: Plan,
  connectionId: string,
  connection: ConnectionInfo,
  state: ProjectState,
  /** Per step, the statements a dry run streamed (empty when the preview comes from a real run). */
  sqlByStep: ReadonlyMap<number, PlanStepView['sql']> = new Map(),
  /** Sizes of the tables the statements touch, by name as written. */
  sizes: ReadonlyMap<string, TableSize> = new Map(),
): PlanPreview {
  const { dialect, syntax } = state.adapter;
  const steps = plan.steps.map((step, index): PlanStepView => {
    const revision = step.revision;
    const statements =
      revision === null || step.direction === 'stamp'
        ? 0
        : statementsFor(revision, step.direction === 'down' ? 'down' : 'up', dialect, syntax).length;
    return {
      revision: revision?.id ?? null,
      message: revision?.message ?? '(base)',
      direction: step.direction,
      transaction: revision?.transaction ?? 'per-migration',
      phase: revision?.phase ?? 'pre-deploy',
      reversible: revision === null ? true : isReversible(revision, dialect),
      statements,
      sql: sqlByStep.get(index) ?? [],
      tables: tablesOf(sqlByStep.get(index) ?? []).flatMap((name) => {
        const size = sizes.get(name);
        return size === undefined ? [] : [size];
      }),
      file: revision?.file ?? null,
      fromHeads: [...step.fromHeads],
      toHeads: [...step.toHeads],
    };
  });
  return {
    kind: plan.kind,
    target: plan.target,
    connectionId,
    tag: connection.tag,
    fromHeads: [...plan.fromHeads],
    toHeads: [...plan.toHeads],
    steps,
    warnings: warningsOf(plan.kind, steps, connection),
    confirmWith: connection.tag === 'production' ? connection.databaseName : null,
  };
}

/** The tables a step's statements touch, in order. */
export function tablesOf(statements: PlanStepView['sql']): string[] {
  return [...new Set(statements.flatMap((s) => touchedTables(s.sql)))];
}

function warningsOf(
  kind: Plan['kind'],
  steps: readonly PlanStepView[],
  connection: ConnectionInfo,
): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (connection.tag === 'production' && steps.length > 0) {
    warnings.push({
      kind: 'production',
      message: `${connection.name} is tagged production: type ${connection.databaseName} to confirm.`,
      revision: null,
    });
  }
  if (kind === 'downgrade' && steps.length > 0) {
    warnings.push({
      kind: 'downgrade',
      message: 'A downgrade runs the down sections: data in dropped tables and columns is lost.',
      revision: null,
    });
  }
  if (kind === 'stamp' && steps.length > 0) {
    warnings.push({
      kind: 'stamp',
      message: 'A stamp only rewrites the version table: no migration SQL runs.',
      revision: null,
    });
  }
  for (const step of steps) {
    if (step.revision === null || step.direction === 'stamp') continue;
    if (step.transaction === 'none') {
      warnings.push({
        kind: 'transactionNone',
        message: `${step.revision} runs without a transaction: a failure part-way leaves it half-applied (dirty).`,
        revision: step.revision,
      });
    }
    if (step.direction === 'up' && !step.reversible) {
      warnings.push({
        kind: 'irreversible',
        message: `${step.revision} has no down section: it cannot be downgraded afterwards.`,
        revision: step.revision,
      });
    }
    if (step.direction === 'up' && step.phase === 'post-deploy') {
      warnings.push({
        kind: 'postDeploy',
        message: `${step.revision} is a post-deploy step: run it only once the new application code is live.`,
        revision: step.revision,
      });
    }
  }
  return warnings;
}
