import type { Revision } from '../../../electron/engine/revision/revision.ts';

/** The shape tests describe a revision with. */
export interface RevisionSpec {
  readonly id: string;
  readonly parents?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly labels?: readonly string[];
  readonly created?: string | null;
  /** Whether the revision has a plain down section. Default true. */
  readonly down?: boolean;
  readonly file?: string;
}

/** A {@link Revision} with empty sections, for graph and planner tests. */
export function makeRevision(spec: RevisionSpec): Revision {
  return {
    id: spec.id,
    downRevisions: spec.parents ?? [],
    dependsOn: spec.dependsOn ?? [],
    branchLabels: spec.labels ?? [],
    message: `revision ${spec.id}`,
    created: spec.created ?? null,
    transaction: 'per-migration',
    phase: 'pre-deploy',
    file: spec.file ?? `migrations/${spec.id}.sql`,
    up: { plain: { text: 'SELECT 1;', line: 8 }, byDialect: {} },
    down:
      spec.down === false
        ? { plain: null, byDialect: {} }
        : { plain: { text: 'SELECT 1;', line: 10 }, byDialect: {} },
  };
}

/** Builds revisions from a compact `child: parent parent` list, e.g. `['a:', 'b: a', 'c: a b']`. */
export function chain(lines: readonly string[]): Revision[] {
  return lines.map((line) => {
    const [id, parents = ''] = line.split(':') as [string, string?];
    return makeRevision({ id: id.trim(), parents: parents.trim() === '' ? [] : parents.trim().split(/\s+/) });
  });
}
