/** `resolve`: settle a dirty step (resume it, or mark it applied or rolled back) under the lock. */
import type { ResolveAction, ResolveReport } from '../../shared/model/resolve-report.ts';
import type { RunEvent } from '../../shared/model/run-event.ts';
import type { CancelSignal } from '../../shared/model/cancel-signal.ts';
import { resolveDirty as resolveDirtyRow } from '../engine/run/resolve-dirty.ts';
import { nodeHasher, randomIds, runIdentity, systemClock, TOOL_VERSION } from '../node/system.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, type CommandOptions } from './command-options.ts';
import type { DatabaseInfo } from './database-info.ts';
import { openDatabase } from './open-database.ts';
import { requireConfirmation } from './production-guard.ts';
import { openProject } from './project-state.ts';

/** Options of `resolve`: which revision, how, and `--yes` for production databases. */
export interface ResolveOptions extends CommandOptions {
  /** REV: the id or a unique prefix of the dirty step's revision. */
  readonly revision: string;
  readonly action: ResolveAction;
  readonly dryRun?: boolean;
  readonly lockTimeoutMs?: number;
  readonly confirmed?: boolean;
  readonly signal?: CancelSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/** What `resolve` returns: the report and where. */
export interface ResolveResult {
  readonly database: DatabaseInfo;
  readonly report: ResolveReport;
}

const CONFIRM_REASONS: Record<ResolveAction, string> = {
  resume: 'it resumes a step that runs without a transaction',
  markApplied: 'it rewrites the version table and the journal by hand',
  markRolledBack: 'it rewrites the journal by hand',
};

/**
 * Resolves the dirty step of `options.revision` (DESIGN.md §4). Works on a migrations folder with
 * graph problems too: only the dirty revision's own file is read.
 */
export async function resolveDirty(options: ResolveOptions): Promise<ResolveResult> {
  const state = await openProject(options);
  const dryRun = options.dryRun === true;
  const db = await openDatabase(state, options, {
    create: false,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  });
  try {
    if (!dryRun) {
      const environment = db.envName ?? db.url;
      requireConfirmation(environment, db.tag, options.confirmed === true, 'resolve', [
        CONFIRM_REASONS[options.action],
      ]);
    }
    const report = await resolveDirtyRow({
      connection: db.connection,
      adapter: state.adapter,
      tables: db.tables,
      identity: runIdentity(TOOL_VERSION),
      hasher: nodeHasher,
      ids: randomIds,
      clock: systemClock,
      revisions: state.revisions,
      target: options.revision,
      action: options.action,
      lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      signal: options.signal,
      onEvent: options.onEvent,
      dryRun,
    });
    return { database: db.info, report };
  } finally {
    await db.close();
  }
}
