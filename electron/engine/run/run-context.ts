/**
 * What every locked operation on a database shares (a run, a resolve): the connection and dialect,
 * Stratum's tables, who is running, the injected clock, ids and hasher, the lock's bounded wait,
 * cancellation and the event stream.
 */
import type { CancelSignal } from '../../../shared/model/cancel-signal.ts';
import type { RunEvent } from '../../../shared/model/run-event.ts';
import type {
  BookkeepingTables,
  Clock,
  DatabaseConnection,
  DialectAdapter,
  Hasher,
  IdSource,
  Lock,
  RunIdentity,
} from '../ports.ts';

/** The shared inputs of {@link runPlan} and {@link resolveDirty}. */
export interface RunContext {
  readonly connection: DatabaseConnection;
  readonly adapter: DialectAdapter;
  readonly tables: BookkeepingTables;
  readonly identity: RunIdentity;
  readonly hasher: Hasher;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Bounded wait for the migration lock. */
  readonly lockTimeoutMs: number;
  readonly signal?: CancelSignal | undefined;
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
  /** Read only: no lock, no writes. */
  readonly dryRun?: boolean | undefined;
}

/**
 * Runs `body` holding the migration lock (none in a dry run), emitting `lockWaiting`/`lockAcquired`,
 * and always releases it.
 *
 * @throws EngineError `LOCKED` after `lockTimeoutMs`; `CANCELLED` when cancelled while waiting;
 * whatever `body` throws.
 */
export async function withRunLock<T>(context: RunContext, runId: string, body: () => Promise<T>): Promise<T> {
  const { signal } = context;
  const emit = (event: RunEvent): void => context.onEvent?.(event);
  let lock: Lock | null = null;
  try {
    if (context.dryRun !== true) {
      lock = await context.connection.locker.acquire({
        timeoutMs: context.lockTimeoutMs,
        owner: { ...context.identity, runId },
        ...(signal === undefined ? {} : { signal }),
        onWait: (holder, waitedMs) => emit({ kind: 'lockWaiting', holder, waitedMs }),
      });
      emit({ kind: 'lockAcquired' });
    }
    return await body();
  } finally {
    if (lock !== null) {
      try {
        await lock.release();
      } catch {
        // A lock that cannot be released dies with its connection.
      }
    }
  }
}
