/**
 * The app's connection handlers on a real {@link AppSession} behind the real dispatcher (as in
 * app-handlers.test.ts): saved SQLite connections on the built-in demo, and saved connections to
 * the real local PostgreSQL and MariaDB servers (a server that is down fails these tests, never a
 * skip). Passwords must reach the driver but never connections.json, an answer or an event.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO,
  harnessPerTest,
  newRunId,
  runTo,
  serverProject,
  type AppHarness,
  type ExtraRevision,
} from '../support/app-harness.ts';
import { adminExec, createTestDatabase, type TestDatabase } from '../support/test-databases.ts';

const harness = harnessPerTest();

describe('connections on the demo (SQLite)', () => {
  it('saves, lists, tests, uses and deletes a saved SQLite connection', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const saved = await h.ok('connections.save', {
      name: ' Scratch ',
      url: 'sqlite:./scratch.db',
      tag: 'local',
    });
    expect(saved).toEqual({
      id: expect.stringMatching(/^c_[0-9a-f]{12}$/),
      name: 'Scratch',
      source: 'saved',
      dialect: 'sqlite',
      url: 'sqlite:./scratch.db',
      tag: 'local',
      databaseName: 'scratch.db',
      passwordStorage: 'none',
    });
    const { connections } = await h.ok('connections.list', {});
    expect(connections.map((c) => c.id)).toEqual([DEMO.local, saved.id]);
    expect(connections[0]).toMatchObject({ source: 'project', name: 'local', databaseName: 'demo.db' });

    const tested = await h.ok('connections.test', { id: saved.id });
    expect(tested).toMatchObject({ serverVersion: expect.stringMatching(/^SQLite 3\.\d+/), exists: false });
    expect(existsSync(path.join(h.dataDir, 'demo', 'scratch.db'))).toBe(false);
    expect(
      await h.ok('connections.test', { draft: { name: 'x', url: 'sqlite:./demo.db', tag: 'local' } }),
    ).toMatchObject({
      exists: true,
    });

    expect(await h.ok('database.state', { connectionId: saved.id })).toMatchObject({
      exists: false,
      pending: expect.any(Array),
    });
    expect((await runTo(h, 'upgrade', 'heads', saved.id)).report.ok).toBe(true);
    expect((await h.ok('database.state', { connectionId: saved.id })).current).toEqual([DEMO.head]);

    const renamed = await h.ok('connections.save', {
      id: saved.id,
      name: 'Scratch 2',
      url: 'sqlite:./scratch.db',
      tag: 'staging',
    });
    expect(renamed).toMatchObject({ id: saved.id, name: 'Scratch 2', tag: 'staging' });
    expect(await h.ok('connections.delete', { id: saved.id })).toEqual({});
    expect((await h.ok('connections.list', {})).connections.map((c) => c.id)).toEqual([DEMO.local]);
    expect(await h.fail('connections.delete', { id: saved.id })).toMatchObject({
      code: 'CONNECTION_NOT_FOUND',
      details: { id: saved.id },
    });
  });

  it("refuses to edit or delete stratum.json's environments", async () => {
    const h = harness();
    await h.ok('app.info', {});
    const readOnly = { code: 'CONNECTION_READ_ONLY', details: { id: DEMO.local, file: 'stratum.json' } };
    expect(
      await h.fail('connections.save', {
        id: DEMO.local,
        name: 'local',
        url: 'sqlite:./other.db',
        tag: 'local',
      }),
    ).toMatchObject(readOnly);
    expect(await h.fail('connections.delete', { id: DEMO.local })).toMatchObject(readOnly);
    expect((await h.ok('connections.list', {})).connections[0]).toMatchObject({ url: 'sqlite:./demo.db' });
  });

  it('refuses URLs of another dialect or no database at all (URL_INVALID), and never saves them', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const pg = await h.fail('connections.save', {
      name: 'PG',
      url: 'postgres://deploy:pa55@db.internal/shop',
      tag: 'local',
    });
    expect(pg).toMatchObject({ code: 'URL_INVALID', details: { reason: 'dialect mismatch' } });
    expect(JSON.stringify(pg)).not.toContain('pa55');
    expect(
      await h.fail('connections.save', { name: 'x', url: 'https://example.com/db', tag: 'local' }),
    ).toMatchObject({
      code: 'URL_INVALID',
    });
    expect(
      await h.fail('connections.test', { draft: { name: 'x', url: 'mysql://root@h/db', tag: 'local' } }),
    ).toMatchObject({
      code: 'URL_INVALID',
    });
    expect((await h.ok('connections.list', {})).connections).toHaveLength(1);
  });

  it('answers an unknown connection with CONNECTION_NOT_FOUND everywhere', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const notFound = (id: string) => ({ code: 'CONNECTION_NOT_FOUND', details: { id } });
    expect(await h.fail('database.state', { connectionId: 'c_000000000000' })).toMatchObject(
      notFound('c_000000000000'),
    );
    expect(await h.fail('database.state', { connectionId: 'env:production' })).toMatchObject(
      notFound('env:production'),
    );
    expect(await h.fail('connections.test', { id: 'c_nope' })).toMatchObject(notFound('c_nope'));
    expect(
      await h.fail('plan.preview', { connectionId: 'c_nope', kind: 'upgrade', target: 'heads' }),
    ).toMatchObject(notFound('c_nope'));
    expect(
      await h.fail('migrations.run', {
        connectionId: 'c_nope',
        kind: 'upgrade',
        target: 'heads',
        runId: newRunId(),
      }),
    ).toMatchObject(notFound('c_nope'));
    expect(await h.fail('journal.list', { connectionId: 'c_nope' })).toMatchObject(notFound('c_nope'));
    expect(
      await h.fail('connections.save', { id: 'c_nope', name: 'x', url: 'sqlite:x.db', tag: 'local' }),
    ).toMatchObject(notFound('c_nope'));
  });

  it('a production connection runs only when its database name is typed', async () => {
    const h = harness();
    await h.ok('app.info', {});
    const prod = await h.ok('connections.save', {
      name: 'Production',
      url: 'sqlite:./prod.db',
      tag: 'production',
    });
    expect(prod.databaseName).toBe('prod.db');
    const preview = await h.ok('plan.preview', { connectionId: prod.id, kind: 'upgrade', target: 'heads' });
    expect(preview).toMatchObject({ tag: 'production', confirmWith: 'prod.db' });
    expect(preview.warnings[0]).toMatchObject({
      kind: 'production',
      message: expect.stringContaining('prod.db'),
    });

    const input = { connectionId: prod.id, kind: 'upgrade', target: 'heads' } as const;
    for (const confirmation of [undefined, '', 'PROD.DB', 'Production']) {
      expect(await h.fail('migrations.run', { ...input, runId: newRunId(), confirmation })).toMatchObject({
        code: 'CONFIRMATION_REQUIRED',
        details: { environment: 'Production' },
      });
    }
    expect(existsSync(path.join(h.dataDir, 'demo', 'prod.db'))).toBe(false);
    expect(
      await h.fail('dirty.resolve', {
        connectionId: prod.id,
        revision: DEMO.head,
        action: 'markApplied',
        runId: newRunId(),
      }),
    ).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });

    const result = await h.ok('migrations.run', { ...input, runId: newRunId(), confirmation: 'prod.db' });
    expect(result.report).toMatchObject({ ok: true, headsAfter: [DEMO.head] });
    expect(result.plan?.confirmWith).toBe('prod.db');
  });
});

const SERVER_REVISIONS: readonly ExtraRevision[] = [
  {
    id: 'a1b2c3d4e5f6',
    parents: [],
    message: 'create widgets',
    created: '2026-03-01T09:00',
    up: 'CREATE TABLE widgets (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);',
    down: 'DROP TABLE widgets;',
  },
  {
    id: 'f6e5d4c3b2a1',
    parents: ['a1b2c3d4e5f6'],
    message: 'add widget price',
    created: '2026-03-02T09:00',
    up: 'ALTER TABLE widgets ADD COLUMN price_cents INTEGER;',
    down: 'ALTER TABLE widgets DROP COLUMN price_cents;',
  },
];

/** Checks that `secret` (raw or percent-encoded) is nowhere the client or the disk could show it. */
function expectHidden(h: AppHarness, secret: string): void {
  const disk = readFileSync(path.join(h.dataDir, 'connections.json'), 'utf8');
  for (const form of [secret, encodeURIComponent(secret)]) {
    expect(disk).not.toContain(form);
    for (const answer of h.wire) expect(answer).not.toContain(form);
    expect(JSON.stringify(h.events)).not.toContain(form);
  }
}

describe('saved connections to the local PostgreSQL server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'app_handlers');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('keeps the password out of connections.json and every answer, and still connects and runs', async () => {
    // The server trusts 127.0.0.1, so any password is accepted: this checks where it goes.
    const password = 'Pg-s3cret/é@x:y';
    const url = new URL(db.url);
    url.username = 'postgres';
    url.password = encodeURIComponent(password);
    const h = harness({ project: serverProject('postgres', SERVER_REVISIONS) });
    const saved = await h.ok('connections.save', { name: 'PG staging', url: url.href, tag: 'staging' });
    expect(saved).toMatchObject({
      source: 'saved',
      dialect: 'postgres',
      url: `postgres://postgres@127.0.0.1:5432/${db.name}`,
      databaseName: db.name,
      passwordStorage: 'session',
    });
    expect((await h.ok('connections.list', {})).connections).toEqual([saved]);

    const tested = await h.ok('connections.test', { id: saved.id });
    expect(tested).toMatchObject({ serverVersion: expect.stringMatching(/\d+\.\d+/), exists: true });
    expect(
      (await h.ok('connections.test', { draft: { name: 'd', url: url.href, tag: 'local' } })).exists,
    ).toBe(true);

    expect((await runTo(h, 'upgrade', 'heads', saved.id)).report).toMatchObject({
      ok: true,
      headsAfter: ['f6e5d4c3b2a1'],
    });
    expect(await h.ok('database.state', { connectionId: saved.id })).toMatchObject({
      exists: true,
      current: ['f6e5d4c3b2a1'],
      pending: [],
    });
    expect((await h.ok('journal.list', { connectionId: saved.id })).entries[0]).toMatchObject({
      revision: 'f6e5d4c3b2a1',
      dbUser: 'postgres',
    });
    expectHidden(h, password);

    // Removing the password (null) keeps the connection working through trust auth.
    const cleared = await h.ok('connections.save', {
      id: saved.id,
      name: saved.name,
      url: saved.url,
      tag: saved.tag,
      password: null,
    });
    expect(cleared.passwordStorage).toBe('none');
    expect(await h.ok('connections.delete', { id: saved.id })).toEqual({});
    expect((await h.ok('connections.list', {})).connections).toEqual([]);
  });
});

describe('saved connections to the local MariaDB server', () => {
  let db: TestDatabase;
  const user = `stratum_app_${Math.random().toString(36).slice(2, 8)}`;
  // Characters a URL must encode, so the round trip through the vault is exercised.
  const password = 'My-s3cret/%é@x:y';
  beforeAll(async () => {
    db = await createTestDatabase('mysql', 'app_handlers');
    for (const host of ['%', 'localhost']) {
      await adminExec('mysql', `CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
      await adminExec('mysql', `GRANT ALL ON \`${db.name}\`.* TO '${user}'@'${host}'`);
    }
  });
  afterAll(async () => {
    await adminExec('mysql', `DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
    await db?.drop();
  });

  it('seals the password: tests and runs use it, disk and answers never show it', async () => {
    const url = `mysql://${user}:${encodeURIComponent(password)}@127.0.0.1:3306/${db.name}`;
    const project = serverProject('mysql', SERVER_REVISIONS);
    const h = harness({ project });
    const saved = await h.ok('connections.save', { name: 'Maria', url, tag: 'staging' });
    expect(saved).toMatchObject({
      dialect: 'mysql',
      url: `mysql://${user}@127.0.0.1:3306/${db.name}`,
      databaseName: db.name,
      passwordStorage: 'session',
    });
    // The user needs its password: these succeed only if the vault gives it back.
    expect(await h.ok('connections.test', { id: saved.id })).toMatchObject({
      serverVersion: expect.stringMatching(/MariaDB|^\d+\.\d+/),
      exists: true,
    });
    const draft = { id: saved.id, name: 'Maria', url: saved.url, tag: 'staging' } as const;
    expect((await h.ok('connections.test', { draft })).exists).toBe(true);
    expect((await runTo(h, 'upgrade', 'heads', saved.id)).report.ok).toBe(true);
    expect((await h.ok('database.state', { connectionId: saved.id })).current).toEqual(['f6e5d4c3b2a1']);
    expectHidden(h, password);

    // A draft that clears the password connects without one, and the server refuses.
    const refused = await h.fail('connections.test', { draft: { ...draft, password: null } });
    expect(refused).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    // Session passwords end with the app: a restarted one has the connection but not its password.
    const restarted = harness({ dataDir: h.dataDir, project });
    expect((await restarted.ok('connections.list', {})).connections[0]).toMatchObject({
      id: saved.id,
      passwordStorage: 'none',
    });
    const denied = await restarted.fail('connections.test', { id: saved.id });
    expect(denied).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining(user) });
    expectHidden(restarted, password);
    // Typing it again brings it back.
    await restarted.ok('connections.save', { ...draft, password });
    expect((await restarted.ok('connections.test', { id: saved.id })).exists).toBe(true);
  });
});
