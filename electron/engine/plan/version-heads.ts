import { EngineError } from '../engine-error.ts';
import type { RevisionGraph } from '../graph/revision-graph.ts';

/**
 * The version rows for a set of applied revisions, sorted: the applied revisions with no applied
 * child along parent edges. As in Alembic, a `depends-on` target stays a row even when a revision
 * that depends on it is applied, because it heads its own branch.
 *
 * @param applied - a set closed under parents and dependencies (see {@link appliedFrom}).
 */
export function headsOf(graph: RevisionGraph, applied: ReadonlySet<string>): string[] {
  const rows: string[] = [];
  for (const id of applied) {
    if (!graph.children(id).some((child) => applied.has(child))) rows.push(id);
  }
  return rows.sort();
}

/**
 * The applied revisions implied by the database's version rows: the rows and everything they
 * reach through parents and `depends-on` edges.
 *
 * @throws EngineError UNKNOWN_APPLIED_REVISION listing the rows that are not in the graph.
 */
export function appliedFrom(graph: RevisionGraph, rows: readonly string[]): Set<string> {
  const unknown = [...new Set(rows.filter((id) => !graph.has(id)))].sort();
  if (unknown.length > 0) {
    throw new EngineError(
      'UNKNOWN_APPLIED_REVISION',
      `The database's version table names ${unknown.join(', ')}, which no revision file declares. Restore the missing files, or 'stratum stamp' the database to a known revision.`,
      { revisions: unknown },
    );
  }
  return graph.ancestors(rows, { includeDependencies: true });
}
