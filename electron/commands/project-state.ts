/**
 * Loads everything a command needs to know about a project, collecting every problem (bad files,
 * graph errors) instead of stopping at the first, so `history` and `status` still show what they can.
 */
import type { GraphProblem } from '../../shared/contract/error-codes.ts';
import type { Diagnostic } from '../../shared/model/diagnostic.ts';
import { isEngineError } from '../engine/engine-error.ts';
import { RevisionGraph } from '../engine/graph/revision-graph.ts';
import type { DialectAdapter, MigrationSource } from '../engine/ports.ts';
import { parseRevisionFile } from '../engine/revision/revision-file-parser.ts';
import type { Revision } from '../engine/revision/revision.ts';
import { adapterFor } from '../dialects/registry.ts';
import { FsMigrationSource } from '../node/fs-migration-source.ts';
import { loadProject, type LoadedProject } from '../node/project-loader.ts';
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
}

/** Loads the project named by `options` (or found from `cwd`) with its revisions and graph. */
export async function openProject(options: CommandOptions): Promise<ProjectState> {
  const project = await loadProject(options.project, { cwd: options.cwd });
  const source = new FsMigrationSource(project.root, project.config.migrations);
  const adapter = adapterFor(project.config.dialect);
  const files = await source.list();
  const revisions: Revision[] = [];
  const fileProblems: GraphProblem[] = [];
  const diagnostics: Diagnostic[] = project.warnings.map((message) => ({
    code: 'config-warning',
    severity: 'warning' as const,
    message,
    file: 'stratum.json',
  }));
  for (const file of files) {
    try {
      const parsed = parseRevisionFile(file.text, file.path);
      revisions.push(parsed.revision);
      diagnostics.push(...parsed.diagnostics);
    } catch (error) {
      if (!isEngineError(error, 'REVISION_FILE_INVALID')) throw error;
      fileProblems.push({
        kind: 'invalidFile',
        message: error.message,
        revisions: [],
        files: [file.path],
        line: error.details.line,
      });
    }
  }
  const graph = RevisionGraph.build(revisions);
  return {
    project,
    adapter,
    source,
    revisions,
    graph,
    problems: [...fileProblems, ...graph.problems],
    diagnostics,
  };
}
