/**
 * The app's in-memory project (commands/project-state-cache.ts): shared by concurrent callers, kept
 * across calls, and dropped when a migration file or stratum.json changes on disk — but not when
 * the database or the .stratum cache in the project folder changes.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../electron/commands/project-state.ts';
import { ProjectStateCache } from '../../electron/commands/project-state-cache.ts';
import { DEMO_SOURCE } from '../support/app-harness.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function project(): { root: string; cache: ProjectStateCache; open: () => ReturnType<typeof openProject> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stratum-cache-'));
  cpSync(DEMO_SOURCE, root, { recursive: true, filter: (f) => !f.endsWith('.db') });
  const cache = new ProjectStateCache();
  cleanup.push(() => {
    cache.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { root, cache, open: () => openProject({ project: root, cwd: root, env: {}, projectCache: cache }) };
}

const NEW_REVISION = `-- revision: abcdefabcdef\n-- parents: 07c4ef33eb9e\n-- message: added later\n\n-- migrate:up\nSELECT 1;\n`;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached in 2 s');
}

describe('ProjectStateCache', () => {
  it('loads once for concurrent and later callers', async () => {
    const { open } = project();
    const [a, b] = await Promise.all([open(), open()]);
    expect(a).toBe(b);
    expect(await open()).toBe(a);
    expect(a.revisions).toHaveLength(12);
  });

  it('drops the project when a migration file is added, and reloads it with the new revision', async () => {
    const { root, open } = project();
    const first = await open();
    writeFileSync(path.join(root, 'migrations', '20260401T0000_abcdefabcdef_added_later.sql'), NEW_REVISION);
    await until(async () => (await open()) !== first);
    const next = await open();
    expect(next.revisions).toHaveLength(13);
    expect(next.graph.heads).toEqual(['abcdefabcdef']);
  });

  it('tells its listeners when a file changes on disk, until they unsubscribe', async () => {
    const { root, cache, open } = project();
    await open();
    let told = 0;
    const off = cache.onChange(() => told++);
    writeFileSync(path.join(root, 'migrations', '20260401T0000_abcdefabcdef_added_later.sql'), NEW_REVISION);
    await until(async () => told > 0);
    off();
    const after = told;
    writeFileSync(path.join(root, 'stratum.json'), '{"migrations": "migrations", "dialect": "sqlite"}\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(told).toBe(after);
  });

  it('drops the project when stratum.json changes', async () => {
    const { root, open } = project();
    const first = await open();
    writeFileSync(
      path.join(root, 'stratum.json'),
      JSON.stringify({ migrations: 'migrations', dialect: 'sqlite', environments: {} }),
    );
    await until(async () => (await open()) !== first);
    expect(Object.keys((await open()).project.config.environments)).toEqual([]);
  });

  it('keeps the project when only the database or the .stratum cache changes', async () => {
    const { root, open } = project();
    const first = await open();
    writeFileSync(path.join(root, 'demo.db'), 'x');
    writeFileSync(path.join(root, 'other-file.txt'), 'x');
    await new Promise((r) => setTimeout(r, 300));
    expect(await open()).toBe(first);
  });

  it('does not keep a failed load', async () => {
    const { root, open } = project();
    writeFileSync(path.join(root, 'stratum.json'), '{ not json');
    await expect(open()).rejects.toThrow(/stratum\.json/);
    writeFileSync(
      path.join(root, 'stratum.json'),
      JSON.stringify({ migrations: 'migrations', dialect: 'sqlite' }),
    );
    expect((await open()).revisions).toHaveLength(12);
  });
});
