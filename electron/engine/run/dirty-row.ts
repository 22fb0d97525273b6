/**
 * Finds the dirty journal row `stratum resolve` names, with what the current revision file says
 * about it: its statements (to list what ran) and whether it changed since the step ran.
 */
import type { JournalEntry } from '../../../shared/model/journal-entry.ts';
import type { DialectAdapter, Hasher } from '../ports.ts';
import type { Revision, Statement } from '../revision/revision.ts';
import { EngineError } from '../engine-error.ts';
import { MIN_PREFIX_LENGTH } from '../graph/target-resolver.ts';
import { revisionChecksum } from '../revision/revision-checksum.ts';
import { statementsFor } from '../revision/revision-statements.ts';

/** What {@link findDirtyRow} matches against. */
export interface DirtyRowQuery {
  /** REV as the user wrote it: a revision id, or a unique prefix (4+ characters). */
  readonly target: string;
  /** The project's revisions. */
  readonly revisions: readonly Revision[];
  readonly adapter: DialectAdapter;
  readonly hasher: Hasher;
}

/** A dirty journal row with what the current revision file says about it. */
export interface DirtyRow {
  readonly row: JournalEntry;
  /** The row's revision in the project, or null when its file is gone (or cannot be parsed). */
  readonly revision: Revision | null;
  /** The statements of the row's direction in the current file. */
  readonly statements: readonly Statement[];
  /** The current file's checksum or statement count differs from the row's. */
  readonly fileChanged: boolean;
  /** The other dirty rows, still to resolve. */
  readonly others: readonly JournalEntry[];
}

/**
 * The dirty row `options.target` names: an exact revision id first, then a unique prefix. Of several
 * dirty rows of one revision the oldest is taken; the others stay for the next resolve.
 *
 * @throws EngineError `AMBIGUOUS_REVISION` for a prefix of several dirty revisions;
 * `REVISION_NOT_FOUND` when it matches no dirty row and no revision; `NOT_DIRTY` when the revision
 * has no dirty row. `REVISION_FILE_INVALID` from statement splitting.
 */
export function findDirtyRow(
  journal: readonly JournalEntry[],
  options: DirtyRowQuery,
  database: string,
): DirtyRow {
  const dirty = journal.filter((row) => row.status === 'dirty');
  const wanted = options.target.trim().toLowerCase();
  const ids = [...new Set(dirty.map((row) => row.revision))];
  let matches = ids.filter((id) => id === wanted);
  if (matches.length === 0 && wanted.length >= MIN_PREFIX_LENGTH) {
    matches = ids.filter((id) => id.startsWith(wanted));
  }
  if (matches.length > 1) {
    throw new EngineError(
      'AMBIGUOUS_REVISION',
      `'${options.target}' is a prefix of several dirty revisions: ${matches.join(', ')}. Use more characters.`,
      { target: options.target, candidates: matches },
    );
  }
  const listing =
    dirty.length === 0
      ? `${database} has no dirty step, so there is nothing to resolve.`
      : `The dirty step(s) of ${database}: ${dirty.map((r) => `${r.revision} (journal id ${r.id})`).join(', ')}.`;
  if (matches.length === 0) {
    const known = options.revisions.some(
      (r) => r.id === wanted || (wanted.length >= MIN_PREFIX_LENGTH && r.id.startsWith(wanted)),
    );
    if (!known) {
      throw new EngineError(
        'REVISION_NOT_FOUND',
        `No dirty step and no revision matches '${options.target}' (an id or a prefix of ` +
          `${MIN_PREFIX_LENGTH}+ characters). ${listing}`,
        { target: options.target },
      );
    }
    throw new EngineError('NOT_DIRTY', `'${options.target}' is not dirty. ${listing}`, {
      revision: options.target,
      dirty: ids,
    });
  }
  const row = dirty.find((r) => r.revision === matches[0])!;
  const revision = options.revisions.find((r) => r.id === row.revision) ?? null;
  const { adapter, hasher } = options;
  const statements =
    revision === null || row.direction === 'stamp'
      ? []
      : statementsFor(revision, row.direction, adapter.dialect, adapter.syntax);
  const fileChanged =
    revision !== null &&
    ((row.checksum !== null &&
      row.direction !== 'stamp' &&
      row.checksum !== revisionChecksum(revision, adapter.dialect, hasher)) ||
      statements.length !== row.statementsTotal);
  return { row, revision, statements, fileChanged, others: dirty.filter((r) => r !== row) };
}
