/**
 * Reading, checking and saving a revision file from the editor. A save is refused when the file
 * changed on disk since the editor read it (`FILE_CHANGED`), and is not written while the check
 * finds errors unless the caller insists; the write itself is atomic (FsMigrationSource.replace).
 */
import type { Diagnostic } from '../../shared/model/diagnostic.ts';
import { EngineError } from '../engine/engine-error.ts';
import { checkRevisionText } from '../engine/graph/check-revision-text.ts';
import { FsMigrationSource } from '../node/fs-migration-source.ts';
import { nodeHasher } from '../node/system.ts';
import type { CommandOptions } from './command-options.ts';
import { openProject, type ProjectState } from './project-state.ts';

/** A revision file as the editor reads it. */
export interface RevisionFileText {
  readonly file: string;
  readonly text: string;
  /** SHA-256 of `text`: what a save expects to find on disk. */
  readonly hash: string;
}

/** The outcome of {@link saveRevisionFile}. */
export interface SaveOutcome {
  /** False when errors kept the file from being written. */
  readonly saved: boolean;
  /** The hash of what is on disk now. */
  readonly hash: string;
  readonly findings: readonly Diagnostic[];
}

/** Reads one revision file of the project's migrations folder. */
export async function readRevisionFile(options: CommandOptions, file: string): Promise<RevisionFileText> {
  const state = await openProject(options);
  const text = await sourceOf(state).read(file);
  return { file, text, hash: nodeHasher.sha256Hex(text) };
}

/** The findings for `text` as the new content of `file` (header and graph), without writing. */
export async function checkRevisionFile(
  options: CommandOptions,
  file: string,
  text: string,
): Promise<readonly Diagnostic[]> {
  const state = await openProject(options);
  return checkRevisionText(text, file, state.revisions).findings;
}

/** What {@link saveRevisionFile} writes. */
export interface SaveRequest {
  readonly file: string;
  readonly text: string;
  /** The hash the editor read; the save is refused when the disk holds something else. */
  readonly baseHash: string;
  /** Write even when the check finds errors. */
  readonly force?: boolean;
}

/**
 * Checks and writes a revision file.
 *
 * @throws EngineError `FILE_CHANGED` when the file on disk is no longer what the editor read;
 *   `REVISION_NOT_FOUND` when it was deleted; `USAGE` for a path outside the migrations folder.
 */
export async function saveRevisionFile(options: CommandOptions, request: SaveRequest): Promise<SaveOutcome> {
  const state = await openProject(options);
  const source = sourceOf(state);
  const disk = await source.read(request.file);
  const diskHash = nodeHasher.sha256Hex(disk);
  if (diskHash !== request.baseHash) {
    throw new EngineError(
      'FILE_CHANGED',
      `${request.file} changed on disk since you opened it. Compare or reload before saving, so neither change is lost.`,
      { file: request.file, diskHash },
    );
  }
  const findings = checkRevisionText(request.text, request.file, state.revisions).findings;
  if (findings.some((f) => f.severity === 'error') && request.force !== true) {
    return { saved: false, hash: diskHash, findings };
  }
  await source.replace(request.file, request.text);
  return { saved: true, hash: nodeHasher.sha256Hex(request.text), findings };
}

function sourceOf(state: ProjectState): FsMigrationSource {
  return new FsMigrationSource(state.project.root, state.project.config.migrations);
}
