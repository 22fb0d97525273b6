/** `current`, `status` and `check`: what a database has applied, against the project's files. */
import type { GraphProblem } from '../../shared/contract/error-codes.ts';
import type { Diagnostic } from '../../shared/model/diagnostic.ts';
import type { JournalEntry } from '../../shared/model/journal-entry.ts';
import type { RevisionNode } from '../../shared/model/revision-node.ts';
import { appliedFrom } from '../engine/plan/version-heads.ts';
import { appliedText } from '../engine/revision/revision-checksum.ts';
import { diffLines, formatUnifiedDiff } from '../engine/revision/text-diff.ts';
import {
  readJournal,
  readJournalSummary,
  readVersionRows,
  type JournalSummary,
} from '../engine/run/version-reader.ts';
import type { CommandOptions } from './command-options.ts';
import type { DatabaseInfo } from './database-info.ts';
import { openDatabase } from './open-database.ts';
import { openProject, type ProjectState } from './project-state.ts';

/** An applied revision whose file changed after it was applied. */
export interface ModifiedRevision {
  readonly revision: string;
  readonly file: string;
  readonly appliedChecksum: string;
  readonly currentChecksum: string;
  /** Unified diff of the applied text against the current file's text. */
  readonly diff: string;
  /** The up and down SQL as the journal recorded them when applied (what the checksum covered). */
  readonly appliedText: string;
  /** The same, from the file as it is now. */
  readonly currentText: string;
}

/** An applied revision the migrations folder no longer has. */
export interface MissingRevision {
  readonly revision: string;
  /** Where Stratum knows it from: a version-table row or the journal. */
  readonly foundIn: 'versionTable' | 'journal';
}

/** Everything `status` reports. */
export interface DatabaseStatus {
  readonly database: DatabaseInfo;
  /** The version table's rows: the database's current heads. */
  readonly current: readonly string[];
  /** The project's heads. */
  readonly heads: readonly string[];
  readonly applied: readonly string[];
  /** Revisions not applied yet, in upgrade order. */
  readonly pending: readonly RevisionNode[];
  readonly modified: readonly ModifiedRevision[];
  readonly missing: readonly MissingRevision[];
  /** Journal rows that block runs until resolved. */
  readonly dirty: readonly JournalEntry[];
  readonly problems: readonly GraphProblem[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Reports the database's state against the project (`stratum status`). */
export async function status(options: CommandOptions): Promise<DatabaseStatus> {
  const state = await openProject(options, { saveCache: false });
  try {
    return await statusOf(state, options);
  } finally {
    // One cache write, with the parses and the checksums computed by describe() (project-state.ts).
    state.revisionCache.save();
  }
}

async function statusOf(state: ProjectState, options: CommandOptions): Promise<DatabaseStatus> {
  const db = await openDatabase(state, options, { create: false, emptyIfMissing: true });
  try {
    const session = db.connection.session;
    const rows = await readVersionRows(session, state.adapter, db.tables);
    const database = db.info;
    // Usually nothing is dirty or modified, and then the journal's statuses and checksums are all
    // status needs. Otherwise the whole journal is read again, in one statement, and described
    // from that alone, so the report always comes from one consistent read.
    const summary = await readJournalSummary(session, state.adapter, db.tables);
    const quick = describe(state, database, rows, summary, false);
    if (quick !== null) return quick;
    const journal = await readJournal(session, state.adapter, db.tables);
    return describe(state, database, rows, journal, true)!;
  } finally {
    await db.close();
  }
}

/** What `current` reports: the version rows with their revisions, if the files have them. */
export interface CurrentState {
  readonly database: DatabaseInfo;
  readonly current: readonly { readonly revision: string; readonly node: RevisionNode | null }[];
}

/** The database's current heads (`stratum current`). */
export async function current(options: CommandOptions): Promise<CurrentState> {
  const state = await openProject(options);
  const db = await openDatabase(state, options, { create: false, emptyIfMissing: true });
  try {
    const rows = await readVersionRows(db.connection.session, state.adapter, db.tables);
    const wanted = new Set(rows);
    const nodes = new Map(
      state.graph.toNodes(state.adapter.dialect, (id) => wanted.has(id)).map((n) => [n.revision, n]),
    );
    return {
      database: db.info,
      current: rows.map((revision) => ({ revision, node: nodes.get(revision) ?? null })),
    };
  } finally {
    await db.close();
  }
}

/**
 * The status report from the version rows and the journal. With `complete` false the journal rows
 * are summaries, and the result is null when the report needs more of them (a dirty row to show,
 * or the applied text of a modified revision to diff).
 */
function describe(
  state: ProjectState,
  database: DatabaseInfo,
  rows: readonly string[],
  journal: readonly JournalSummary[],
  complete: boolean,
): DatabaseStatus | null {
  const { graph, adapter } = state;
  const dirty = journal.filter((e) => e.status === 'dirty');
  if (!complete && dirty.length > 0) return null;
  const known = knownRows(state, rows, journal);
  const applied = appliedFrom(graph, known);
  const missing: MissingRevision[] = rows
    .filter((r) => !graph.has(r))
    .map((revision) => ({ revision, foundIn: 'versionTable' as const }));
  const lastUp = new Map<string, JournalSummary>();
  const lastSucceeded = new Map<string, JournalSummary>();
  for (const entry of journal) {
    if (entry.status !== 'succeeded') continue;
    lastSucceeded.set(entry.revision, entry);
    if (entry.direction === 'up') lastUp.set(entry.revision, entry);
  }
  for (const [revision, entry] of lastSucceeded) {
    if (entry.direction === 'up' && !graph.has(revision) && !missing.some((m) => m.revision === revision)) {
      missing.push({ revision, foundIn: 'journal' });
    }
  }
  const modified: ModifiedRevision[] = [];
  for (const id of applied) {
    const entry = lastUp.get(id);
    const revision = graph.get(id);
    if (entry?.checksum == null || revision === undefined) continue;
    // From the revision cache when the file is unchanged since a checksum was stored.
    const checksum = state.revisionCache.checksum(revision, adapter.dialect);
    if (checksum === entry.checksum) continue;
    if (!complete) return null;
    const before = (entry as JournalEntry).appliedText ?? '';
    const after = appliedText(revision, adapter.dialect);
    const diff = formatUnifiedDiff(diffLines(before, after));
    modified.push({
      revision: id,
      file: revision.file,
      appliedChecksum: entry.checksum,
      currentChecksum: checksum,
      diff,
      appliedText: before,
      currentText: after,
    });
  }
  const appliedIds: string[] = [];
  for (const { id } of graph.revisions) if (applied.has(id)) appliedIds.push(id);
  return {
    database,
    current: rows,
    heads: graph.heads,
    applied: appliedIds,
    pending: graph.toNodes(adapter.dialect, (id) => !applied.has(id)),
    modified,
    missing,
    dirty: dirty as JournalEntry[],
    problems: state.problems,
    diagnostics: state.diagnostics,
  };
}

/**
 * The version rows that are in the graph, plus — for a row whose file was deleted — the revisions it
 * was applied on top of, found through the journal. Without this, deleting the file of the applied
 * head would report every revision below it as pending and hide their modifications.
 */
function knownRows(
  state: ProjectState,
  rows: readonly string[],
  journal: readonly JournalSummary[],
): string[] {
  const known = new Set<string>();
  const seen = new Set<string>();
  const queue = [...rows];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (state.graph.has(id)) {
      known.add(id);
      continue;
    }
    const step = journal.findLast(
      // A step whose from_heads hold `id` too did not produce it (a `stratum resolve` audit row).
      (e) =>
        e.status === 'succeeded' &&
        e.direction !== 'down' &&
        e.toHeads.includes(id) &&
        !e.fromHeads.includes(id),
    );
    if (step !== undefined) queue.push(...step.fromHeads);
  }
  return [...known];
}
