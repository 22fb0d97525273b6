import { describe, expect, it } from 'vitest';
import type { RunEvent, RunReport } from '../../../shared/model/run-event.ts';
import {
  applyRunEvent,
  INITIAL_PROGRESS,
  type RunProgress,
} from '../../../renderer/features/run/run-progress.ts';

const fold = (events: readonly RunEvent[], from: RunProgress = INITIAL_PROGRESS): RunProgress =>
  events.reduce(applyRunEvent, from);

const report = (partial: Partial<RunReport> = {}): RunReport => ({
  runId: 'run_0123456789ab',
  ok: true,
  cancelled: false,
  dryRun: false,
  headsBefore: [],
  headsAfter: ['3f2a9c1b7d4e'],
  steps: [],
  durationMs: 42,
  ...partial,
});

const stepStarted: RunEvent = {
  kind: 'stepStarted',
  index: 0,
  total: 1,
  revision: '3f2a9c1b7d4e',
  direction: 'up',
  message: 'add users',
  statements: 2,
  transaction: 'per-migration',
  phase: 'pre-deploy',
};

const statement = (index: number, sql: string, line: number): RunEvent => ({
  kind: 'statementStarted',
  step: 0,
  index,
  total: 2,
  location: { file: 'migrations/3f2a9c1b7d4e_add_users.sql', line },
  sql,
});

describe('applyRunEvent', () => {
  it('starts empty', () => {
    expect(INITIAL_PROGRESS).toEqual({
      steps: 0,
      step: 0,
      revision: null,
      statements: 0,
      statement: 0,
      log: [],
      waitingForLock: null,
    });
  });

  it('follows a full run: lock wait, lock, one step of two statements, finish', () => {
    const waiting = fold([
      {
        kind: 'lockWaiting',
        holder: { host: 'ci-runner-7', pid: 4242, since: '2026-01-01T00:00:00Z' },
        waitedMs: 1500,
      },
    ]);
    expect(waiting.waitingForLock).toBe('Waiting for the migration lock held by ci-runner-7 pid 4242…');
    expect(waiting.log).toEqual([]);

    const acquired = fold([{ kind: 'lockAcquired' }], waiting);
    expect(acquired.waitingForLock).toBeNull();

    const started = fold(
      [{ kind: 'runStarted', runId: 'run_0123456789ab', steps: 1, dryRun: false }],
      acquired,
    );
    expect(started).toMatchObject({ steps: 1, step: 0, revision: null });

    const inStep = fold([stepStarted], started);
    expect(inStep).toMatchObject({ step: 1, revision: '3f2a9c1b7d4e', statements: 2, statement: 0 });

    const inStatements = fold(
      [
        statement(0, 'CREATE TABLE users (\n  id INTEGER PRIMARY KEY\n);', 8),
        { kind: 'statementFinished', step: 0, index: 0, durationMs: 3 },
        statement(1, 'CREATE INDEX users_id ON users(id);', 11),
      ],
      inStep,
    );
    expect(inStatements).toMatchObject({ statements: 2, statement: 2 });

    const done = fold(
      [
        { kind: 'statementFinished', step: 0, index: 1, durationMs: 2 },
        { kind: 'stepFinished', index: 0, revision: '3f2a9c1b7d4e', status: 'applied', durationMs: 7 },
        { kind: 'runFinished', report: report() },
      ],
      inStatements,
    );
    expect(done).toEqual({
      steps: 1,
      step: 1,
      revision: '3f2a9c1b7d4e',
      statements: 2,
      statement: 2,
      waitingForLock: null,
      log: [
        'Lock acquired.',
        'Run started: 1 step(s).',
        '▶ up 3f2a9c1b7d4e add users (2 statement(s))',
        // Only a statement's first line is logged.
        '  migrations/3f2a9c1b7d4e_add_users.sql:8  CREATE TABLE users (',
        '  migrations/3f2a9c1b7d4e_add_users.sql:11  CREATE INDEX users_id ON users(id);',
        '✔ 3f2a9c1b7d4e applied in 7 ms',
        'Run finished.',
      ],
    });
  });

  it('resets the statement counter when the next step starts', () => {
    const p = fold([
      { kind: 'runStarted', runId: 'run_0123456789ab', steps: 2, dryRun: false },
      stepStarted,
      statement(0, 'SELECT 1;', 8),
      statement(1, 'SELECT 2;', 9),
      { ...stepStarted, index: 1, revision: '9c1b7d4e3f2a', statements: 5 } as RunEvent,
    ]);
    expect(p).toMatchObject({ steps: 2, step: 2, revision: '9c1b7d4e3f2a', statements: 5, statement: 0 });
  });

  it.each([
    [{ host: 'db-admin', pid: null, since: null }, 'db-admin'],
    [{ host: null, pid: 77, since: null }, 'pid 77'],
    [{ host: null, pid: null, since: null }, 'another run'],
    [null, 'another run'],
  ])('names the lock holder %j as %j', (holder, who) => {
    const p = applyRunEvent(INITIAL_PROGRESS, { kind: 'lockWaiting', holder, waitedMs: 0 });
    expect(p.waitingForLock).toBe(`Waiting for the migration lock held by ${who}…`);
  });

  it.each([
    [report({ ok: false, cancelled: true }), 'Run cancelled.'],
    [report({ ok: false }), 'Run failed.'],
  ])('ends the log with how the run ended', (r, line) => {
    expect(applyRunEvent(INITIAL_PROGRESS, { kind: 'runFinished', report: r }).log).toEqual([line]);
  });

  it('logs a failed step with ✖', () => {
    const p = applyRunEvent(INITIAL_PROGRESS, {
      kind: 'stepFinished',
      index: 0,
      revision: 'abc',
      status: 'failed',
      durationMs: 1,
    });
    expect(p.log).toEqual(['✖ abc failed in 1 ms']);
  });

  it('cuts long statements to 120 characters in the log', () => {
    const p = applyRunEvent(INITIAL_PROGRESS, statement(0, `SELECT '${'x'.repeat(300)}';`, 3));
    expect(p.log[0]).toBe(`  migrations/3f2a9c1b7d4e_add_users.sql:3  SELECT '${'x'.repeat(112)}`);
  });

  it('keeps the last 500 log lines', () => {
    const events: RunEvent[] = Array.from({ length: 600 }, (_, i) => statement(i, `SELECT ${i};`, i + 1));
    const p = fold(events);
    expect(p.log).toHaveLength(500);
    expect(p.log[0]).toContain('SELECT 100;');
    expect(p.log.at(-1)).toContain('SELECT 599;');
    expect(p.statement).toBe(600);
  });

  it('does not change the progress it is given', () => {
    const before = fold([{ kind: 'runStarted', runId: 'run_0123456789ab', steps: 1, dryRun: false }]);
    const copy = structuredClone(before);
    applyRunEvent(before, stepStarted);
    expect(before).toEqual(copy);
  });
});
