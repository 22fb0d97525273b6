/** Folds a run's events into what the progress view shows: step n of m, statement n of m, a log. */
import type { RunEvent } from '../../../shared/model/run-event.ts';

/** The progress of a run so far. */
export interface RunProgress {
  readonly steps: number;
  /** 1-based index of the step running (0 before the first). */
  readonly step: number;
  readonly revision: string | null;
  readonly statements: number;
  readonly statement: number;
  readonly log: readonly string[];
  readonly waitingForLock: string | null;
}

export const INITIAL_PROGRESS: RunProgress = {
  steps: 0,
  step: 0,
  revision: null,
  statements: 0,
  statement: 0,
  log: [],
  waitingForLock: null,
};

const MAX_LOG = 500;

/** The progress after `event`. */
export function applyRunEvent(p: RunProgress, event: RunEvent): RunProgress {
  const log = (line: string): readonly string[] => [...p.log, line].slice(-MAX_LOG);
  switch (event.kind) {
    case 'lockWaiting': {
      const h = event.holder;
      const who =
        h === null
          ? 'another run'
          : [h.host, h.pid === null ? null : `pid ${h.pid}`].filter(Boolean).join(' ');
      return { ...p, waitingForLock: `Waiting for the migration lock held by ${who || 'another run'}…` };
    }
    case 'lockAcquired':
      return { ...p, waitingForLock: null, log: log('Lock acquired.') };
    case 'runStarted':
      return { ...p, steps: event.steps, log: log(`Run started: ${event.steps} step(s).`) };
    case 'stepStarted':
      return {
        ...p,
        step: event.index + 1,
        revision: event.revision,
        statements: event.statements,
        statement: 0,
        log: log(
          `▶ ${event.direction} ${event.revision} ${event.message} (${event.statements} statement(s))`,
        ),
      };
    case 'statementStarted':
      return {
        ...p,
        statement: event.index + 1,
        log: log(
          `  ${event.location.file}:${event.location.line}  ${event.sql.split('\n')[0]!.slice(0, 120)}`,
        ),
      };
    case 'statementFinished':
      return p;
    case 'stepFinished':
      return {
        ...p,
        log: log(
          `${event.status === 'applied' ? '✔' : '✖'} ${event.revision} ${event.status} in ${event.durationMs} ms`,
        ),
      };
    case 'runFinished':
      return {
        ...p,
        log: log(
          event.report.ok ? 'Run finished.' : event.report.cancelled ? 'Run cancelled.' : 'Run failed.',
        ),
      };
  }
}
