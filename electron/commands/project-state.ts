/**
 * Loads everything a command needs to know about a project, collecting every problem (bad files,
 * graph errors) instead of stopping at the first, so `history` and `status` still show what they can.
 */
import path from 'node:path';
import type { GraphProblem } from '../../shared/contract/error-codes.ts';
import type { Diagnostic } from '../../shared/model/diagnostic.ts';
import { RevisionGraph } from '../engine/graph/revision-graph.ts';
import type { DialectAdapter, MigrationSource } from '../engine/ports.ts';
import type { Revision } from '../engine/revision/revision.ts';
import { adapterFor } from '../dialects/registry.ts';
import { FsMigrationSource } from '../node/fs-migration-source.ts';
import { loadProject, type LoadedProject } from '../node/project-loader.ts';
import { RevisionCache } from '../node/revision-cache.ts';
import type { CommandOptions } from './command-options.ts';

/** A loaded project with its parsed revisions and graph. */
export interface ProjectState {
  readonly project: LoadedProject;
  readonly adapter: DialectAdapter;
  readonly source: MigrationSource;
  readonly revisions: readonly Revision[];
  readonly graph: RevisionGraph;
  /** Files that could not be parsed, plus graph problems (cycles, unknown parents, …). */
  readonly problems: readonly GraphProblem[];
  /** Warnings: unknown header keys, irreversible revisions, unknown stratum.json keys. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The parse cache the revisions came through. `revisionCache.checksum(revision, dialect)` reuses
   * stored checksums; a command that computes many should call `revisionCache.save()` at the end.
   */
  readonly revisionCache: RevisionCache;
}

/** Options of {@link openProject}. */
export interface OpenProjectOptions {
  /**
   * Write the revision cache as soon as the files are parsed (default true). `status` passes false
   * and saves once at the end, with the checksums it computed, instead of writing twice.
   */
  readonly saveCache?: boolean;
}

/**
 * Loads the project named by `options` (or found from `cwd`) with its revisions and graph. The
 * folder is listed every time; only unchanged files come from the revision cache
 * (node/revision-cache.ts; `STRATUM_NO_CACHE=1` in `options.env` turns it off).
 */
export async function openProject(
  options: CommandOptions,
  { saveCache = true }: OpenProjectOptions = {},
): Promise<ProjectState> {
  if (options.projectCache !== undefined && options.project !== undefined) {
    // Cached for the app: the revision cache is written once, when the project is loaded.
    const root = path.resolve(options.cwd, options.project);
    return options.projectCache.get(root, () => loadState(options, true));
  }
  return loadState(options, saveCache);
}

async function loadState(options: CommandOptions, saveCache: boolean): Promise<ProjectState> {
  const project = await loadProject(options.project, { cwd: options.cwd });
  const source = new FsMigrationSource(project.root, project.config.migrations);
  const adapter = adapterFor(project.config.dialect);
  const revisionCache = RevisionCache.open(project.root, { env: options.env });
  const files = await source.locate();
  const revisions: Revision[] = [];
  const fileProblems: GraphProblem[] = [];
  const diagnostics: Diagnostic[] = project.warnings.map((message) => ({
    code: 'config-warning',
    severity: 'warning' as const,
    message,
    file: 'stratum.json',
  }));
  for (const file of files) {
    const parsed = revisionCache.read(file);
    if (parsed.kind === 'revision') {
      revisions.push(parsed.revision);
      diagnostics.push(...parsed.diagnostics);
    } else {
      fileProblems.push({
        kind: 'invalidFile',
        message: parsed.message,
        revisions: [],
        files: [file.path],
        line: parsed.line,
      });
    }
  }
  if (saveCache) revisionCache.save();
  const graph = RevisionGraph.build(revisions);
  return {
    project,
    adapter,
    source,
    revisions,
    graph,
    problems: [...fileProblems, ...graph.problems],
    diagnostics,
    revisionCache,
  };
}
