/** `stratum sql`: the exact script of a range, for a DBA to run with the database's own client. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dialect } from '../../shared/model/dialect.ts';
import type { RevisionTarget } from '../engine/graph/revision-target.ts';
import { parseRevisionRange, parseRevisionTarget } from '../engine/graph/revision-target.ts';
import { resolveRevisionTarget } from '../engine/graph/target-resolver.ts';
import type { Plan } from '../engine/plan/plan.ts';
import { planDowngrade, planUpgrade } from '../engine/plan/planner.ts';
import { headsOf, appliedFrom } from '../engine/plan/version-heads.ts';
import {
  renderOfflineFiles,
  renderOfflineScript,
  type OfflineScriptFile,
} from '../engine/sql/offline-script.ts';
import { versionColumnForName } from '../engine/run/version-reader.ts';
import { adapterFor } from '../dialects/registry.ts';
import { nodeHasher, randomIds, systemClock, TOOL_VERSION } from '../node/system.ts';
import type { CommandOptions } from './command-options.ts';
import { assertGraphUsable } from './graph-guard.ts';
import { openProject, type ProjectState } from './project-state.ts';

/** Options of `stratum sql`. */
export interface OfflineSqlOptions extends CommandOptions {
  readonly direction: 'upgrade' | 'downgrade';
  /** `FROM:TO`; for upgrade a bare `TO` means `base:TO`. */
  readonly range: string;
  /** Render for this dialect instead of the project's (uses its `-- migrate:up <dialect>` sections). */
  readonly dialect?: Dialect;
  /** Write the script here instead of returning it only (a folder with `split: 'perRevision'`). */
  readonly output?: string;
  /** Include the version/journal bookkeeping (default true). */
  readonly bookkeeping?: boolean;
  /** One script (default) or one file per step. */
  readonly split?: 'single' | 'perRevision';
  /**
   * Start from these version rows (a database's current heads, read by the caller) instead of
   * the range's start: `range` is then only the target.
   */
  readonly fromRows?: readonly string[];
}

/** The rendered script and the plan it came from. */
export interface OfflineSql {
  /** All of it as one script (also with `split: 'perRevision'`, for `--json` and display). */
  readonly script: string;
  /** The files to write: one, or one per step. */
  readonly files: readonly OfflineScriptFile[];
  readonly plan: Plan;
  readonly dialect: Dialect;
  /** Where the script (or, per revision, the folder) was written. */
  readonly output: string | null;
}

/**
 * Renders the SQL that takes a database at the range's start to its end, bookkeeping included.
 *
 * @throws EngineError `RANGE_INVALID`, target errors, `IRREVERSIBLE`, `GRAPH_INVALID`.
 */
export async function offlineSql(options: OfflineSqlOptions): Promise<OfflineSql> {
  const state = await openProject(options);
  assertGraphUsable(state);
  const dialect = options.dialect ?? state.adapter.dialect;
  const adapter = adapterFor(dialect);
  const fromDatabase = options.fromRows !== undefined;
  const rangeText =
    !fromDatabase && options.direction === 'upgrade' && !options.range.includes(':')
      ? `base:${options.range}`
      : options.range;
  const range = fromDatabase
    ? { from: null, to: parseRevisionTarget(options.range) }
    : parseRevisionRange(rangeText);
  const startRows = fromDatabase ? [...options.fromRows!] : rowsAt(state, range.from, rangeText);
  const plan =
    options.direction === 'upgrade'
      ? planUpgrade(state.graph, startRows, range.to, rangeText)
      : planDowngrade(state.graph, startRows, range.to, rangeText, dialect);
  const renderOptions = {
    plan,
    adapter,
    // No database to inspect: `alembic_version` is taken to have Alembic's shape (`version_num`).
    tables: {
      version: state.project.config.versionTable,
      journal: state.project.config.journalTable,
      versionColumn: versionColumnForName(state.project.config.versionTable),
    },
    identity: { osUser: null, host: null, pid: null, toolVersion: `stratum ${TOOL_VERSION} (offline)` },
    hasher: nodeHasher,
    ids: randomIds,
    header: {
      project: path.basename(state.project.root),
      range: fromDatabase
        ? `${options.direction} from the database's current heads (${startRows.join(' ') || 'base'}) to ${rangeText}`
        : `${options.direction} ${rangeText}`,
      generator: `stratum ${TOOL_VERSION}`,
      date: systemClock.now().toISOString(),
    },
    bookkeeping: options.bookkeeping !== false,
  };
  const script = renderOfflineScript(renderOptions);
  const files = options.split === 'perRevision' ? renderOfflineFiles(renderOptions, 'perRevision') : [];
  let output: string | null = null;
  if (options.output !== undefined) {
    output = path.resolve(options.cwd, options.output);
    if (options.split === 'perRevision') {
      await mkdir(output, { recursive: true });
      for (const file of files) await writeFile(path.join(output, file.name), file.script);
    } else {
      await writeFile(output, script);
    }
  }
  return {
    script,
    files: files.length > 0 ? files : [{ name: `${plan.kind}.sql`, script }],
    plan,
    dialect,
    output,
  };
}

/** The version rows a database at `from` has: the target plus everything it depends on. */
function rowsAt(state: ProjectState, from: RevisionTarget | null, text: string): string[] {
  if (from === null) return [];
  const ids = resolveRevisionTarget(state.graph, from, { current: [], text });
  return headsOf(state.graph, appliedFrom(state.graph, ids));
}
