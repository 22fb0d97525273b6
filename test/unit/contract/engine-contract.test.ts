/**
 * The app's contract (STYLE.md §F.5): every method's input validator accepts a valid input, rejects
 * unknown keys and wrong types with a message that names the field, the TypeScript types the
 * renderer and the handlers share, and a snapshot of the whole command surface so that every change
 * to it shows up in review.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { ConnectionDraft, ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import {
  ENGINE_CONTRACT,
  ENGINE_METHODS,
  isEngineMethod,
  type EngineInput,
  type EngineMethod,
  type EngineOutput,
  type EngineParsedInput,
} from '../../../shared/contract/engine-contract.ts';
import { engineEventSchema } from '../../../shared/contract/engine-events.ts';
import type { PlanPreview, RunResult } from '../../../shared/contract/plan-schemas.ts';
import type { RevisionGraphView } from '../../../shared/contract/project-schemas.ts';
import { inputIssues } from '../../../electron/transports/rpc/engine-dispatcher.ts';

const RUN_ID = 'run_0123456789';
const DRAFT: ConnectionDraft = {
  name: 'Staging',
  url: 'postgres://deploy@db.internal:5432/shop',
  tag: 'staging',
};

/** A valid input of every method (the mapped type makes a missing method a type error). */
const VALID: { readonly [M in EngineMethod]: EngineInput<M> } = {
  'app.info': {},
  'project.open': { path: '/home/me/shop-migrations' },
  'project.openDemo': {},
  'revisions.list': {},
  'revisions.show': { revision: 'ddc82543fe3b' },
  'revisions.merge': { message: 'merge loyalty' },
  'revisions.create': {
    message: 'add email',
    parent: 'ddc82543fe3b',
    labels: ['billing'],
    transaction: 'per-migration',
    phase: 'pre-deploy',
  },
  'files.read': { file: 'migrations/20261121T1030_ddc82543fe3b_add_email.sql' },
  'files.check': { file: 'migrations/a.sql', text: '-- revision: ddc82543fe3b\n' },
  'files.save': { file: 'migrations/a.sql', text: '', baseHash: 'ab'.repeat(32), force: true },
  'connections.list': {},
  'connections.save': { ...DRAFT, password: 'secret' },
  'connections.delete': { id: 'c_0123456789ab' },
  'connections.test': { id: 'env:local' },
  'database.state': { connectionId: 'env:local' },
  'journal.list': { connectionId: 'env:local', revision: 'ddc8', limit: 20 },
  'plan.preview': { connectionId: 'env:local', kind: 'upgrade', target: 'heads' },
  'migrations.run': {
    connectionId: 'env:local',
    kind: 'downgrade',
    target: '-1',
    runId: RUN_ID,
    confirmation: 'shop',
  },
  'plan.rehearse': { connectionId: 'env:local', kind: 'upgrade', target: 'heads', runId: RUN_ID },
  'sql.export': { direction: 'upgrade', range: 'base:heads', bookkeeping: true, split: 'single' },
  'run.cancel': { runId: RUN_ID },
  'dirty.resolve': {
    connectionId: 'env:local',
    revision: '91a7b03d14eb',
    action: 'resume',
    runId: RUN_ID,
  },
};

/** One input of the wrong type per method, the path the problem is reported at, and what it says. */
const WRONG_TYPE: { readonly [M in EngineMethod]: { input: unknown; path: string; says: RegExp } } = {
  'app.info': { input: [], path: '', says: /expected object, received array/ },
  'project.open': { input: { path: 42 }, path: 'path', says: /expected string, received number/ },
  'project.openDemo': { input: 'demo', path: '', says: /expected object, received string/ },
  'revisions.list': { input: null, path: '', says: /expected object, received null/ },
  'revisions.show': { input: { revision: ['a'] }, path: 'revision', says: /expected string, received array/ },
  'revisions.merge': { input: { message: '   ' }, path: 'message', says: /Write a message/ },
  'revisions.create': {
    input: { message: 'x', labels: [], transaction: 'always', phase: 'pre-deploy' },
    path: 'transaction',
    says: /"per-migration"\|"none"/,
  },
  'files.read': { input: { file: 'stratum.json' }, path: 'file', says: /A revision file ends in .sql/ },
  'files.check': { input: { file: 'migrations/a.sql' }, path: 'text', says: /expected string/ },
  'files.save': {
    input: { file: 'migrations/a.sql', text: '', baseHash: 'abc' },
    path: 'baseHash',
    says: /baseHash is the hash files.read returned/,
  },
  'connections.list': { input: 7, path: '', says: /expected object, received number/ },
  'connections.save': {
    input: { ...DRAFT, tag: 'prod' },
    path: 'tag',
    says: /"local"\|"staging"\|"production"/,
  },
  'connections.delete': { input: { id: '' }, path: 'id', says: /expected string to have >=1 characters/ },
  'connections.test': { input: { id: 5 }, path: 'id', says: /expected string, received number/ },
  'database.state': { input: {}, path: 'connectionId', says: /expected string, received undefined/ },
  'journal.list': { input: { connectionId: 'x', limit: 2.5 }, path: 'limit', says: /expected int/ },
  'plan.preview': {
    input: { connectionId: 'x', kind: 'sideways', target: 'heads' },
    path: 'kind',
    says: /"upgrade"\|"downgrade"\|"stamp"/,
  },
  'migrations.run': {
    input: { connectionId: 'x', kind: 'upgrade', target: 'heads', runId: 'x y' },
    path: 'runId',
    says: /A run id is 8–64 letters/,
  },
  'plan.rehearse': {
    input: { connectionId: 'env:local', kind: 'stamp', target: 'heads', runId: RUN_ID },
    path: 'kind',
    says: /upgrade|downgrade/,
  },
  'sql.export': {
    input: { direction: 'sideways', range: 'heads', bookkeeping: true, split: 'single' },
    path: 'direction',
    says: /upgrade|downgrade/,
  },
  'run.cancel': { input: { runId: 12345678 }, path: 'runId', says: /expected string, received number/ },
  'dirty.resolve': {
    input: { connectionId: 'x', revision: 'abc', action: 'undo', runId: RUN_ID },
    path: 'action',
    says: /"resume"\|"markApplied"\|"markRolledBack"/,
  },
};

function parse(method: EngineMethod, input: unknown) {
  return ENGINE_CONTRACT[method].input.safeParse(input);
}

describe('ENGINE_CONTRACT inputs', () => {
  it('has a valid and a wrong-typed example for every method, and nothing else', () => {
    expect(Object.keys(VALID).sort()).toEqual([...ENGINE_METHODS].sort());
    expect(Object.keys(WRONG_TYPE).sort()).toEqual([...ENGINE_METHODS].sort());
  });

  it('names methods noun.verb in camelCase (STYLE.md §C.6)', () => {
    for (const method of ENGINE_METHODS) expect(method).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
  });

  it('recognizes only its own methods, never inherited properties', () => {
    expect(isEngineMethod('revisions.list')).toBe(true);
    for (const name of ['revisions.drop', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      expect(isEngineMethod(name), name).toBe(false);
    }
  });

  describe.each(ENGINE_METHODS)('%s', (method) => {
    it('accepts a valid input', () => {
      const result = parse(method, VALID[method]);
      expect(result.error?.issues).toBeUndefined();
      expect(result.success).toBe(true);
    });

    it('rejects an unknown key', () => {
      const result = parse(method, { ...VALID[method], sneaky: true });
      expect(result.success).toBe(false);
      expect(inputIssues(result.error!.issues)).toContainEqual({
        path: '',
        message: 'Unrecognized key: "sneaky"',
      });
    });

    it('rejects a wrong type with a message that names the field', () => {
      const { input, path, says } = WRONG_TYPE[method];
      const result = parse(method, input);
      expect(result.success).toBe(false);
      const issues = inputIssues(result.error!.issues);
      const issue = issues.find((i) => i.path === path);
      expect(issue, JSON.stringify(issues)).toBeDefined();
      expect(issue!.message).toMatch(says);
    });
  });

  it('rejects unknown keys inside nested objects too (a connection draft)', () => {
    const save = parse('connections.save', { ...DRAFT, sslmode: 'require' });
    expect(inputIssues(save.error!.issues)).toEqual([{ path: '', message: 'Unrecognized key: "sslmode"' }]);
    const test = parse('connections.test', { draft: { ...DRAFT, sslmode: 'require' } });
    expect(inputIssues(test.error!.issues)).toEqual([
      { path: 'draft', message: 'Unrecognized key: "sslmode"' },
    ]);
  });

  it('reports a union input against the branch the caller meant', () => {
    const draftProblems = parse('connections.test', { draft: { name: '', url: 'sqlite:x.db' } });
    expect(inputIssues(draftProblems.error!.issues).map((i) => i.path)).toEqual(['draft.name', 'draft.tag']);
    const neither = parse('connections.test', {});
    expect(inputIssues(neither.error!.issues)).toEqual([
      { path: 'id', message: 'Invalid input: expected string, received undefined' },
    ]);
    expect(parse('connections.test', { draft: DRAFT }).success).toBe(true);
  });

  it('trims names, URLs and targets and rejects blank ones with what to do', () => {
    const save = parse('connections.save', { name: '  Local ', url: ' sqlite:./dev.db ', tag: 'local' });
    expect(save.data).toEqual({ name: 'Local', url: 'sqlite:./dev.db', tag: 'local' });
    expect(parse('connections.save', { ...DRAFT, name: '  ' }).error!.issues[0]!.message).toBe(
      'Give the connection a name.',
    );
    expect(parse('connections.save', { ...DRAFT, url: '' }).error!.issues[0]!.message).toBe(
      'Enter a database URL.',
    );
    expect(
      parse('plan.preview', { connectionId: 'x', kind: 'upgrade', target: ' ' }).error!.issues[0]!.message,
    ).toBe('Choose a target revision.');
  });

  it('accepts null as "remove the saved password" and bounds lengths', () => {
    expect(parse('connections.save', { ...DRAFT, password: null }).success).toBe(true);
    expect(parse('connections.save', { ...DRAFT, name: 'n'.repeat(81) }).success).toBe(false);
    expect(parse('connections.save', { ...DRAFT, url: `sqlite:${'x'.repeat(4000)}` }).success).toBe(false);
    expect(parse('project.open', { path: 'p'.repeat(4097) }).success).toBe(false);
    expect(parse('journal.list', { connectionId: 'x', limit: 0 }).success).toBe(false);
    expect(parse('journal.list', { connectionId: 'x', limit: 10_001 }).success).toBe(false);
    expect(parse('run.cancel', { runId: 'r'.repeat(65) }).success).toBe(false);
    expect(parse('run.cancel', { runId: 'r'.repeat(7) }).success).toBe(false);
  });
});

describe('ENGINE_CONTRACT outputs', () => {
  it('strips what a handler adds beyond the schema (a saved secret never reaches the client)', () => {
    const info = {
      id: 'c_1',
      name: 'Shop',
      source: 'saved',
      dialect: 'postgres',
      url: 'postgres://me@h/shop',
      tag: 'local',
      databaseName: 'shop',
      passwordStorage: 'session',
      secret: { storage: 'session', sealed: 'session:abc' },
    };
    const parsed = ENGINE_CONTRACT['connections.save'].output.parse(info);
    expect(parsed).not.toHaveProperty('secret');
  });
});

describe('contract types', () => {
  it('types inputs as the renderer sends them and as handlers receive them', () => {
    expectTypeOf<EngineInput<'app.info'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<EngineInput<'revisions.show'>>().toEqualTypeOf<{ revision: string }>();
    expectTypeOf<EngineInput<'migrations.run'>>().toEqualTypeOf<{
      connectionId: string;
      kind: 'upgrade' | 'downgrade' | 'stamp';
      target: string;
      runId: string;
      confirmation?: string | undefined;
    }>();
    expectTypeOf<EngineInput<'connections.test'>>().toEqualTypeOf<
      { id: string } | { draft: ConnectionDraft }
    >();
    expectTypeOf<EngineInput<'connections.save'>['password']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<EngineParsedInput<'journal.list'>>().toEqualTypeOf<{
      connectionId: string;
      revision?: string | undefined;
      limit?: number | undefined;
    }>();
  });

  it('types outputs as the shared DTOs', () => {
    expectTypeOf<EngineOutput<'plan.preview'>>().toEqualTypeOf<PlanPreview>();
    expectTypeOf<EngineOutput<'migrations.run'>>().toEqualTypeOf<RunResult>();
    expectTypeOf<EngineOutput<'revisions.list'>>().toEqualTypeOf<RevisionGraphView>();
    expectTypeOf<EngineOutput<'connections.list'>>().toEqualTypeOf<{
      connections: readonly ConnectionInfo[];
    }>();
    expectTypeOf<EngineOutput<'run.cancel'>>().toEqualTypeOf<{ cancelled: boolean }>();
    expectTypeOf<EngineOutput<'app.info'>['mode']>().toEqualTypeOf<'desktop' | 'browser'>();
    // A password never comes back out: ConnectionInfo has no field for it.
    expectTypeOf<ConnectionInfo>().not.toHaveProperty('password');
    expectTypeOf<EngineMethod>().toEqualTypeOf<keyof typeof ENGINE_CONTRACT>();
  });
});

/** A stable description of a schema's shape: its JSON Schema, without the draft URL on every entry. */
function shape(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { io });
  return rest;
}

describe('command surface', () => {
  it('matches the reviewed snapshot (update it with `vitest -u` when the change is intended)', async () => {
    const surface = {
      methods: Object.fromEntries(
        ENGINE_METHODS.map((method) => [
          method,
          {
            input: shape(ENGINE_CONTRACT[method].input, 'input'),
            output: shape(ENGINE_CONTRACT[method].output, 'output'),
          },
        ]),
      ),
      jsonSchema: 'https://json-schema.org/draft/2020-12/schema',
      events: shape(engineEventSchema, 'output'),
    };
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/engine-contract.surface.snap',
    );
  });
});
