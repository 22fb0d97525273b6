import type { CancelSignal } from '../../shared/model/cancel-signal.ts';
import type { EnvironmentTag } from '../../shared/model/dialect.ts';
import type { ProjectStateCache } from './project-state-cache.ts';
import type { RunEvent } from '../../shared/model/run-event.ts';

/** Options every command takes: where the project is and which database to talk to. */
export interface CommandOptions {
  /** Project folder (`--project`); by default found by walking up from `cwd`. */
  readonly project?: string;
  readonly cwd: string;
  /** Environment name from stratum.json (`--env`). */
  readonly envName?: string;
  /** Database URL (`--url`), overriding environments and DATABASE_URL. */
  readonly url?: string;
  /** The process environment (injected so tests control it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * A connection saved in the app that `url` comes from: its name and tag win over what the URL
   * resolves to, so a saved production connection keeps its safety prompts.
   */
  readonly savedConnection?: { readonly name: string; readonly tag: EnvironmentTag };
  /** The app's in-memory project (project-state-cache.ts); the CLI loads the project every time. */
  readonly projectCache?: ProjectStateCache;
}

/** Options of commands that run migrations. */
export interface RunOptions extends CommandOptions {
  readonly target: string;
  readonly dryRun?: boolean;
  /** Bounded wait for the migration lock (`--lock-timeout`, default 60 s). */
  readonly lockTimeoutMs?: number;
  readonly signal?: CancelSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/** The default bounded wait for the migration lock (DESIGN.md §5). */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
