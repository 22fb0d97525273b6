/**
 * `revisions.*` and `files.*`: the graph of the open project, one revision in full, new and merge
 * revisions, and the editor's reads, checks and saves of revision files.
 */
import type { RevisionDetailView, RevisionGraphView } from '../../../shared/contract/project-schemas.ts';
import { sectionFor } from '../../engine/revision/revision.ts';
import type { RevisionFileText } from '../../../shared/contract/project-schemas.ts';
import type { Diagnostic } from '../../../shared/model/diagnostic.ts';
import type { Phase, TransactionMode } from '../../../shared/model/revision-node.ts';
import { merge, newRevision, type WrittenFile } from '../create-revision.ts';
import {
  checkRevisionFile,
  readRevisionFile,
  saveRevisionFile,
  type SaveOutcome,
  type SaveRequest,
} from '../edit-revision-file.ts';
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

/** Writes a merge revision joining `revisions` (default: every head of the project). */
export async function mergeHeads(
  session: AppSession,
  input: { message: string; revisions?: readonly string[] | undefined },
): Promise<{ revision: string; file: string }> {
  const written = await merge({ ...session.projectOptions(), ...input });
  return wrote(session, written);
}

/** Writes a new, empty revision after `parent` (default: the single head). */
export async function createRevision(
  session: AppSession,
  input: {
    message: string;
    parent?: string | undefined;
    labels: readonly string[];
    transaction: TransactionMode;
    phase: Phase;
  },
): Promise<{ revision: string; file: string }> {
  return wrote(session, await newRevision({ ...session.projectOptions(), ...input }));
}

/** Reads a revision file for the editor. */
export function readFile(session: AppSession, file: string): Promise<RevisionFileText> {
  return readRevisionFile(session.projectOptions(), file);
}

/** Checks an edited revision file against the header rules and the project's graph. */
export async function checkFile(
  session: AppSession,
  input: { file: string; text: string },
): Promise<{ findings: Diagnostic[] }> {
  return { findings: [...(await checkRevisionFile(session.projectOptions(), input.file, input.text))] };
}

/** Saves an edited revision file (see saveRevisionFile for the refusals). */
export async function saveFile(session: AppSession, request: SaveRequest): Promise<SaveOutcome> {
  const outcome = await saveRevisionFile(session.projectOptions(), request);
  if (outcome.saved) session.projectCache.invalidate();
  return outcome;
}

function wrote(session: AppSession, written: WrittenFile): { revision: string; file: string } {
  // The watcher would notice the new file too, but a refresh may come before its event does.
  session.projectCache.invalidate();
  return { revision: written.revision!, file: written.file };
}
