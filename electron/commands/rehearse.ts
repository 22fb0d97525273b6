/**
 * `stratum rehearse TARGET`: runs a plan for real on a scratch copy of the database and throws the
 * copy away. SQLite: a copy of the file (backup API). PostgreSQL and MySQL: an empty database on
 * the same server, brought to the original's heads by replaying the project's revisions (the
 * shadow-database approach), then the plan. The original is only read (its version rows); the
 * scratch is dropped whatever happens, failure and cancel included.
 *
 * `--in-transaction` (PostgreSQL, or any dialect with transactional DDL) runs the plan on the real
 * database instead, inside one transaction that is always rolled back: it meets the real data (a
 * NOT NULL on a column with NULLs, a unique index over duplicates), which an empty scratch never
 * does, at the price of taking the run's locks until the rollback.
 */
import type { RunEvent, RunReport } from '../../shared/model/run-event.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { Plan } from '../engine/plan/plan.ts';
import { readVersionRows } from '../engine/run/version-reader.ts';
import { redactUrl } from '../node/database-url.ts';
import type { RunOptions } from './command-options.ts';
import type { DatabaseInfo } from './database-info.ts';
import { assertGraphUsable } from './graph-guard.ts';
import { openDatabase } from './open-database.ts';
import { openProject } from './project-state.ts';
import { RUN_COMMANDS, upgrade } from './run-migrations.ts';

/** Options of a rehearsal: which plan, toward which target. */
export interface RehearseOptions extends RunOptions {
  readonly kind: Plan['kind'];
  /** On a production database: the user confirmed (`--yes`) a rehearsal in a transaction there. */
  readonly confirmed?: boolean;
  /** `scratch` (default) or `inTransaction` on the real database, rolled back. */
  readonly mode?: RehearsalMode;
}

/** Where a rehearsal runs. */
export type RehearsalMode = 'scratch' | 'inTransaction';

/** One statement the rehearsal ran, with how it went. */
export interface RehearsedStatement {
  readonly step: number;
  readonly index: number;
  readonly file: string;
  readonly line: number;
  readonly sql: string;
  /** Null when the statement did not finish (it failed, or the run stopped). */
  readonly durationMs: number | null;
}

/** What a rehearsal did. */
export interface RehearsalResult {
  /** The original database, which the rehearsal did not change. */
  readonly database: DatabaseInfo;
  readonly mode: RehearsalMode;
  /** Where it ran (no password): the scratch database, already dropped, or the original's URL. */
  readonly scratch: string;
  /** The original's heads the scratch started from. */
  readonly from: readonly string[];
  /** Revisions replayed to bring an empty scratch to those heads (0 for a file copy). */
  readonly replayed: number;
  readonly plan: Plan | null;
  readonly report: RunReport;
  readonly statements: readonly RehearsedStatement[];
}

/**
 * Rehearses `options.kind` to `options.target`.
 *
 * @throws EngineError `DATABASE_UNAVAILABLE` when the dialect cannot make a scratch database (or
 * the server refuses: CREATE DATABASE needs its privilege); what the runs throw (target errors…).
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalResult> {
  const state = await openProject(options);
  assertGraphUsable(state);
  const db = await openDatabase(state, options, { create: false, emptyIfMissing: true });
  let from: string[];
  try {
    from = await readVersionRows(db.connection.session, state.adapter, db.tables);
  } finally {
    await db.close();
  }
  const statements: RehearsedStatement[] = [];
  const onEvent = (event: RunEvent): void => {
    if (event.kind === 'statementStarted') {
      const { step, index, location, sql } = event;
      statements.push({ step, index, file: location.file, line: location.line, sql, durationMs: null });
    } else if (event.kind === 'statementFinished') {
      const at = statements.findLastIndex((s) => s.step === event.step && s.index === event.index);
      if (at >= 0) statements[at] = { ...statements[at]!, durationMs: event.durationMs };
    }
    options.onEvent?.(event);
  };
  if (options.mode === 'inTransaction') {
    const result = await RUN_COMMANDS[options.kind]({ ...options, onEvent, dryRun: false, rolledBack: true });
    return {
      database: result.database,
      mode: 'inTransaction',
      scratch: db.url,
      from,
      replayed: 0,
      plan: result.plan,
      report: result.report,
      statements,
    };
  }
  const create = state.adapter.createScratch;
  if (create === undefined) {
    throw new EngineError('DATABASE_UNAVAILABLE', `${state.adapter.dialect} databases cannot be rehearsed.`, {
      database: db.url,
      reason: 'no scratch support',
    });
  }
  const scratch = await create(db.target);
  try {
    // A scratch is local and disposable: no production prompts, no environment.
    const scratchOptions = {
      ...options,
      url: scratch.url,
      envName: undefined,
      savedConnection: { name: 'rehearsal', tag: 'local' as const },
      confirmed: true,
    };
    let replayed = 0;
    if (!scratch.copied) {
      for (const head of from) {
        const replay = await upgrade({ ...scratchOptions, target: head, onEvent: undefined, dryRun: false });
        if (!replay.report.ok) {
          const failed = replay.report.steps.find((s) => s.status === 'failed');
          throw new EngineError(
            'DATABASE_UNAVAILABLE',
            `The scratch database could not be brought to ${db.url}'s heads: ${failed?.error?.message ?? 'the replay failed'}`,
            { database: redactUrl(scratch.url), reason: 'replay failed' },
          );
        }
        replayed += replay.report.steps.filter((s) => s.status === 'applied').length;
      }
    }
    const result = await RUN_COMMANDS[options.kind]({
      ...scratchOptions,
      target: options.target,
      onEvent,
      dryRun: false,
    });
    return {
      database: db.info,
      mode: 'scratch',
      scratch: redactUrl(scratch.url),
      from,
      replayed,
      plan: result.plan,
      report: result.report,
      statements,
    };
  } finally {
    await scratch.drop();
  }
}
