/** `revisions.*`: the graph of the open project, one revision in full, and merging heads. */
import type { RevisionDetailView, RevisionGraphView } from '../../../shared/contract/project-schemas.ts';
import { sectionFor } from '../../engine/revision/revision.ts';
import { merge } from '../create-revision.ts';
import { show } from '../graph-queries.ts';
import { openProject } from '../project-state.ts';
import type { AppSession } from './app-session.ts';

/** The whole graph, newest first, with problems and diagnostics (never throws for a bad file). */
export async function listRevisions(session: AppSession): Promise<RevisionGraphView> {
  const state = await openProject(session.projectOptions());
  return {
    nodes: state.graph.toNodes(state.adapter.dialect).reverse(),
    problems: [...state.problems],
    diagnostics: [...state.diagnostics],
  };
}

/** One revision: node, checksum, file text and the up/down SQL the project's dialect runs. */
export async function showRevision(session: AppSession, revision: string): Promise<RevisionDetailView> {
  const options = session.projectOptions();
  const detail = await show({ ...options, revision });
  const state = await openProject(options);
  const parsed = state.graph.get(detail.node.revision)!;
  const dialect = state.adapter.dialect;
  const up = sectionFor(parsed.up, dialect);
  const down = sectionFor(parsed.down, dialect);
  return {
    node: detail.node,
    checksum: detail.checksum,
    text: detail.text,
    up: { sql: up?.text.trim() ?? '', line: up?.line ?? 1 },
    down: down === null ? null : { sql: down.text.trim(), line: down.line },
  };
}

/** Writes a merge revision joining every head of the project. */
export async function mergeHeads(
  session: AppSession,
  message: string,
): Promise<{ revision: string; file: string }> {
  const written = await merge({ ...session.projectOptions(), message });
  // The watcher would notice the new file too, but a refresh may come before its event does.
  session.projectCache.invalidate();
  return { revision: written.revision!, file: written.file };
}
