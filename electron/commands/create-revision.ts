/** `init`, `revision` and `merge`: commands that write files into the project. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Phase, TransactionMode } from '../../shared/model/revision-node.ts';
import type { Dialect } from '../../shared/model/dialect.ts';
import { EngineError } from '../engine/engine-error.ts';
import { parseRevisionTarget } from '../engine/graph/revision-target.ts';
import { resolveRevisionTarget } from '../engine/graph/target-resolver.ts';
import { parseRevisionFile } from '../engine/revision/revision-file-parser.ts';
import { newRevisionId } from '../engine/revision/revision-id.ts';
import { renderRevisionFile, revisionFileName } from '../engine/revision/revision-file-writer.ts';
import { randomBytes, systemClock } from '../node/system.ts';
import type { CommandOptions } from './command-options.ts';
import { assertGraphUsable } from './graph-guard.ts';
import { openProject, type ProjectState } from './project-state.ts';

/** A file a command wrote (or, with `--dry-run`, would write). */
export interface WrittenFile {
  /** Path relative to the project root, or absolute for `init`. */
  readonly file: string;
  readonly revision: string | null;
  readonly text: string;
  readonly dryRun: boolean;
}

/** Options of `stratum revision`. */
export interface NewRevisionOptions extends CommandOptions {
  readonly message: string;
  /** Parent target; default the single head. `base` starts a new base. */
  readonly parent?: string;
  readonly labels?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly transaction?: TransactionMode;
  readonly phase?: Phase;
  readonly dryRun?: boolean;
}

/**
 * Creates a revision file whose parent is `--parent` or the project's single head.
 *
 * @throws EngineError `MULTIPLE_HEADS` when there are several heads and no `--parent`.
 */
export async function newRevision(options: NewRevisionOptions): Promise<WrittenFile> {
  const state = await openProject(options);
  assertGraphUsable(state);
  // The first revision of a new project (the one `stratum init` suggests) is a base revision.
  const parents =
    options.parent === undefined && state.graph.heads.length === 0
      ? []
      : resolveRefs(state, options.parent ?? 'head', 'revision --parent');
  const dependsOn = (options.dependsOn ?? []).flatMap((ref) =>
    resolveRefs(state, ref, 'revision --depends-on'),
  );
  return writeRevision(state, { ...options, parents, dependsOn });
}

/** Options of `stratum merge`. */
export interface MergeOptions extends CommandOptions {
  readonly message: string;
  /** Revisions to merge; default all heads. */
  readonly revisions?: readonly string[];
  readonly dryRun?: boolean;
}

/**
 * Creates a merge revision whose parents are the given revisions (default: every head).
 *
 * @throws EngineError `USAGE` when fewer than two revisions would be merged.
 */
export async function merge(options: MergeOptions): Promise<WrittenFile> {
  const state = await openProject(options);
  assertGraphUsable(state);
  const refs = options.revisions && options.revisions.length > 0 ? options.revisions : ['heads'];
  const parents = [...new Set(refs.flatMap((ref) => resolveRefs(state, ref, 'merge')))].sort();
  if (parents.length < 2) {
    throw new EngineError(
      'USAGE',
      `Nothing to merge: ${refs.join(' ')} resolves to ${parents.length} revision(s). A merge needs two or more heads.`,
      { argument: refs.join(' ') },
    );
  }
  return writeRevision(state, { ...options, parents, dependsOn: [] });
}

function resolveRefs(state: ProjectState, ref: string, argument: string): string[] {
  const target = parseRevisionTarget(ref);
  if (target.kind === 'base') return [];
  try {
    return resolveRevisionTarget(state.graph, target, { current: [], text: ref });
  } catch (error) {
    if (error instanceof EngineError && error.code === 'MULTIPLE_HEADS' && argument === 'revision --parent') {
      const heads = (error.details as { heads: string[] }).heads;
      throw new EngineError(
        'MULTIPLE_HEADS',
        `The project has ${heads.length} heads (${heads.join(', ')}). Pass --parent REV to pick one, ` +
          `or run \`stratum merge heads -m "…"\` to join them first.`,
        { target: ref, heads },
      );
    }
    throw error;
  }
}

async function writeRevision(
  state: ProjectState,
  spec: {
    readonly message: string;
    readonly parents: readonly string[];
    readonly dependsOn: readonly string[];
    readonly labels?: readonly string[];
    readonly transaction?: TransactionMode;
    readonly phase?: Phase;
    readonly dryRun?: boolean;
  },
): Promise<WrittenFile> {
  if (spec.message.trim() === '') {
    throw new EngineError('USAGE', 'A revision needs a message: pass -m "what it does".', { argument: '-m' });
  }
  const id = newRevisionId(randomBytes);
  const created = systemClock.now();
  const text = renderRevisionFile({
    id,
    downRevisions: spec.parents,
    message: spec.message.trim(),
    created: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    branchLabels: spec.labels ?? [],
    dependsOn: spec.dependsOn,
    transaction: spec.transaction ?? 'per-migration',
    phase: spec.phase ?? 'pre-deploy',
    up: { plain: { text: '' }, byDialect: {} },
    down: { plain: { text: '' }, byDialect: {} },
  });
  const file = `${state.project.config.migrations}/${revisionFileName(created, id, spec.message)}`.replace(
    /^\.\//,
    '',
  );
  assertParses(text, file);
  if (!spec.dryRun) await state.source.create(file, text);
  return { file, revision: id, text, dryRun: spec.dryRun === true };
}

/** Refuses to write a file the parser would reject (a label with `:`, a message with a newline…). */
function assertParses(text: string, file: string): void {
  try {
    parseRevisionFile(text, file);
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'REVISION_FILE_INVALID') throw error;
    const { reason } = error.details as { reason: string };
    throw new EngineError(
      'USAGE',
      `Nothing written: the revision would be invalid, ${reason}.`,
      {},
      { cause: error },
    );
  }
}

/** Options of `stratum init`. */
export interface InitOptions {
  readonly cwd: string;
  readonly dir?: string;
  readonly dialect: Dialect;
  readonly dryRun?: boolean;
}

/**
 * Creates `stratum.json` and an empty `migrations/` folder.
 *
 * @throws EngineError `FILE_EXISTS` when the folder already has a `stratum.json`.
 */
export async function init(options: InitOptions): Promise<WrittenFile> {
  const root = path.resolve(options.cwd, options.dir ?? '.');
  const file = path.join(root, 'stratum.json');
  const environments =
    options.dialect === 'sqlite'
      ? { local: { url: 'sqlite:./dev.db', tag: 'local' } }
      : { local: { url: '${DATABASE_URL}', tag: 'local' } };
  const config = {
    migrations: 'migrations',
    dialect: options.dialect,
    versionTable: 'stratum_version',
    journalTable: 'stratum_journal',
    environments,
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (!options.dryRun) {
    await mkdir(path.join(root, 'migrations'), { recursive: true });
    try {
      await writeFile(file, text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new EngineError(
        'FILE_EXISTS',
        `${file} already exists; this folder is already a Stratum project.`,
        {
          file,
        },
      );
    }
  }
  return { file, revision: null, text, dryRun: options.dryRun === true };
}
