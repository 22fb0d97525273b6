import { describe, expect, it } from 'vitest';
import { BASE_REVISION, stepScript, type StepScript } from '../../../electron/engine/run/step-script.ts';
import type { PlanStep } from '../../../electron/engine/plan/plan.ts';
import { IDENTITY, TABLES, fakeAdapter, fakeHasher } from './fake-database.ts';
import { revision } from './revisions.ts';

const ctx = { tables: TABLES, runId: 'run-1', stepId: 'step-1', identity: IDENTITY, hasher: fakeHasher };

/** Items as short labels: `begin`, `statement:0`, `journalStart`, … */
function shape(script: StepScript): string[] {
  return script.items.map((item) => {
    if (item.kind === 'bookkeeping') return item.role;
    if (item.kind === 'statement') return `statement:${item.index}/${item.total}`;
    return item.kind;
  });
}

const twoStatements = revision({
  id: 'aaaaaaaaaaaa',
  up: 'CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);',
  down: 'DROP TABLE a;',
});

describe('stepScript', () => {
  it('per-migration: begin, journal start, statements, transition, journal finish, commit', () => {
    const step: PlanStep = {
      direction: 'up',
      revision: twoStatements,
      fromHeads: [],
      toHeads: ['aaaaaaaaaaaa'],
    };
    const script = stepScript(step, { ...ctx, adapter: fakeAdapter() });
    expect(shape(script)).toEqual([
      'begin',
      'journalStart',
      'statement:0/2',
      'statement:1/2',
      'versionTransition',
      'journalFinish',
      'commit',
    ]);
    expect(script.transaction).toBe('per-migration');
    expect(script.journal).toMatchObject({
      stepId: 'step-1',
      runId: 'run-1',
      revision: 'aaaaaaaaaaaa',
      direction: 'up',
      statementsTotal: 2,
      osUser: 'ada',
      host: 'box',
      toolVersion: 'stratum 0.1.0',
    });
    expect(script.journal.checksum).toMatch(/^hash:/);
    expect(script.journal.appliedText).toContain('CREATE TABLE a');
    const second = script.items[3]!;
    expect(second).toEqual({
      kind: 'statement',
      sql: 'INSERT INTO a VALUES (1)',
      location: { file: 'migrations/aaaaaaaaaaaa.sql', line: 7 },
      index: 1,
      total: 2,
    });
    expect(script.items.at(-2)!.sql).toContain('"succeeded"');
    expect(script.items[1]!.sql).toContain('"running"');
  });

  it('per-migration without transactional DDL (MySQL) also journals progress after each statement', () => {
    const step: PlanStep = {
      direction: 'up',
      revision: twoStatements,
      fromHeads: [],
      toHeads: ['aaaaaaaaaaaa'],
    };
    const script = stepScript(step, { ...ctx, adapter: fakeAdapter({ transactionalDdl: false }) });
    expect(shape(script)).toEqual([
      'begin',
      'journalStart',
      'statement:0/2',
      'journalProgress',
      'statement:1/2',
      'journalProgress',
      'versionTransition',
      'journalFinish',
      'commit',
    ]);
  });

  it('transaction: none runs statements in autocommit with progress, then the bookkeeping transaction', () => {
    const rev = revision({
      id: 'bbbbbbbbbbbb',
      up: 'CREATE INDEX i ON a (id);\nCREATE INDEX j ON a (id);',
      transaction: 'none',
    });
    const step: PlanStep = {
      direction: 'up',
      revision: rev,
      fromHeads: ['aaaaaaaaaaaa'],
      toHeads: ['bbbbbbbbbbbb'],
    };
    const script = stepScript(step, { ...ctx, adapter: fakeAdapter() });
    expect(script.transaction).toBe('none');
    expect(shape(script)).toEqual([
      'journalStart',
      'statement:0/2',
      'journalProgress',
      'statement:1/2',
      'journalProgress',
      'begin',
      'versionTransition',
      'journalFinish',
      'commit',
    ]);
    expect(script.items[2]!.sql).toContain('"statementsDone":1');
    expect(script.items[4]!.sql).toContain('"statementsDone":2');
  });

  it('a down step runs the down section and still carries checksum and applied text', () => {
    const step: PlanStep = {
      direction: 'down',
      revision: twoStatements,
      fromHeads: ['aaaaaaaaaaaa'],
      toHeads: [],
    };
    const script = stepScript(step, { ...ctx, adapter: fakeAdapter() });
    expect(script.statements.map((s) => s.sql)).toEqual(['DROP TABLE a']);
    expect(script.journal).toMatchObject({ direction: 'down', fromHeads: ['aaaaaaaaaaaa'], toHeads: [] });
    expect(script.journal.checksum).not.toBeNull();
    expect(script.items[0]!.kind).toBe('begin');
  });

  it('a stamp runs no statements, has no checksum, and stamps to base as revision `base`', () => {
    const stamp: PlanStep = {
      direction: 'stamp',
      revision: twoStatements,
      fromHeads: [],
      toHeads: ['aaaaaaaaaaaa'],
    };
    const script = stepScript(stamp, { ...ctx, adapter: fakeAdapter() });
    expect(shape(script)).toEqual(['begin', 'journalStart', 'versionTransition', 'journalFinish', 'commit']);
    expect(script.journal.checksum).toBeNull();
    expect(script.journal.appliedText).toBeNull();

    const toBase: PlanStep = { direction: 'stamp', revision: null, fromHeads: ['aaaaaaaaaaaa'], toHeads: [] };
    const base = stepScript(toBase, { ...ctx, adapter: fakeAdapter() });
    expect(base.revision).toBe(BASE_REVISION);
    expect(base.journal.revision).toBe('base');
    expect(shape(base)).toEqual(['begin', 'journalStart', 'versionTransition', 'journalFinish', 'commit']);
  });

  it('a stamp of a transaction: none revision still runs in one transaction', () => {
    const rev = revision({ id: 'cccccccccccc', up: 'SELECT 1;', transaction: 'none' });
    const stamp: PlanStep = { direction: 'stamp', revision: rev, fromHeads: [], toHeads: ['cccccccccccc'] };
    expect(stepScript(stamp, { ...ctx, adapter: fakeAdapter() }).transaction).toBe('per-migration');
  });
});
