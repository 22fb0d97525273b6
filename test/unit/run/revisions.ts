/** Small revision files and linear plans for run-engine unit tests. */
import { parseRevisionFile } from '../../../electron/engine/revision/revision-file-parser.ts';
import type { Revision } from '../../../electron/engine/revision/revision.ts';
import type { Plan, PlanStep } from '../../../electron/engine/plan/plan.ts';

/** Options of {@link revision}. */
export interface RevisionSpec {
  readonly id: string;
  readonly parents?: readonly string[];
  readonly up: string;
  readonly down?: string;
  readonly transaction?: 'per-migration' | 'none';
  readonly message?: string;
}

/** Parses a revision file written from `spec`, named `migrations/<id>.sql`. */
export function revision(spec: RevisionSpec): Revision {
  const text = [
    `-- revision: ${spec.id}`,
    `-- parents: ${(spec.parents ?? []).join(' ')}`,
    `-- message: ${spec.message ?? `revision ${spec.id}`}`,
    ...(spec.transaction === undefined ? [] : [`-- transaction: ${spec.transaction}`]),
    '',
    '-- migrate:up',
    spec.up,
    ...(spec.down === undefined ? [] : ['', '-- migrate:down', spec.down]),
    '',
  ].join('\n');
  return parseRevisionFile(text, `migrations/${spec.id}.sql`).revision;
}

/** A chain of revisions, each the parent of the next. */
export function chain(specs: readonly Omit<RevisionSpec, 'parents'>[]): Revision[] {
  return specs.map((spec, i) => revision({ ...spec, parents: i === 0 ? [] : [specs[i - 1]!.id] }));
}

/** The upgrade plan of a chain from the applied `rows` to its last revision. */
export function upgradeChain(revisions: readonly Revision[], rows: readonly string[]): Plan {
  const current = rows[0] ?? null;
  const start = current === null ? 0 : revisions.findIndex((r) => r.id === current) + 1;
  const steps: PlanStep[] = revisions.slice(start).map((r, i) => ({
    direction: 'up',
    revision: r,
    fromHeads: i === 0 ? [...rows] : [revisions[start + i - 1]!.id],
    toHeads: [r.id],
  }));
  const last = revisions.at(-1)!.id;
  return { kind: 'upgrade', target: 'head', fromHeads: [...rows], toHeads: [last], steps };
}

/** The downgrade plan of a chain from its last revision to base. */
export function downgradeChain(revisions: readonly Revision[]): Plan {
  const steps: PlanStep[] = [...revisions].reverse().map((r, i, all) => ({
    direction: 'down',
    revision: r,
    fromHeads: [r.id],
    toHeads: i === all.length - 1 ? [] : [all[i + 1]!.id],
  }));
  return { kind: 'downgrade', target: 'base', fromHeads: [revisions.at(-1)!.id], toHeads: [], steps };
}
