/**
 * End to end: Export SQL from the app (browser mode downloads the file), then the real `sqlite3`
 * client runs it on a copy of the database, which ends where `stratum upgrade` would have left
 * it: nothing pending, the journal written. The original database is not touched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPage } from './support/app-page.ts';
import { CLI, copyDemoProject, DEMO_FIRST_LAUNCH } from './support/app-server.ts';
import { openAppInBrowser, screenshot, type OpenedApp, type WatchedPage } from './support/browser.ts';

let project: ReturnType<typeof copyDemoProject>;
let opened: OpenedApp;
let watched: WatchedPage;
let app: AppPage;

const stratum = (...args: string[]): string =>
  execFileSync(process.execPath, [CLI, '--project', project.root, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(async () => {
  project = copyDemoProject({ upgradeTo: DEMO_FIRST_LAUNCH });
  opened = await openAppInBrowser({ project: project.root });
  ({ watched, app } = opened);
});

afterAll(async () => {
  await opened?.close();
  project?.remove();
});

describe('Export SQL', () => {
  it("exports from the connection's current state; sqlite3 runs it and the copy is up to date", async () => {
    await watched.page.getByRole('button', { name: 'Export SQL…' }).click();
    const dialog = app.dialog('Export SQL');
    await dialog.getByLabel('Target revision').fill('heads');
    const download = watched.page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('upgrade.sql');
    const saved = path.join(project.root, 'exported.sql');
    await file.saveAs(saved);
    const script = readFileSync(saved, 'utf8');
    expect(script).toMatch(/-- Project: +stratum-e2e-project-/);
    expect(script).toContain("upgrade from the database's current heads (ddc82543fe3b) to heads");
    expect(script).toMatch(/-- Generator: stratum \d/);
    expect(script).toMatch(/-- Date: +\d{4}-/);
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toBe('3 step(s) for sqlite in 1 file(s).');
    await screenshot(watched.page, 'sql-export');

    const copy = path.join(project.root, 'copy.db');
    copyFileSync(path.join(project.root, 'demo.db'), copy);
    const client = spawnSync('sqlite3', ['-bail', copy], { input: script, encoding: 'utf8' });
    expect(client.status, client.stderr).toBe(0);
    const status = JSON.parse(stratum('--json', '--url', 'sqlite:./copy.db', 'status')) as {
      pending: unknown[];
      current: string[];
    };
    expect(status.pending).toEqual([]);
    expect(status.current).toEqual(['07c4ef33eb9e']);
    // The database the app is connected to is where it was.
    const original = JSON.parse(stratum('--json', 'status')) as { current: string[] };
    expect(original.current).toEqual(['ddc82543fe3b']);
    await app.closeDialog(dialog);
  });

  it('offers one file per revision, without bookkeeping, for another dialect', async () => {
    await watched.page.getByRole('button', { name: 'Export SQL…' }).click();
    const dialog = app.dialog('Export SQL');
    await dialog.getByLabel('a range of revisions').check();
    await dialog.getByLabel('Range (FROM:TO)').fill('base:heads');
    await dialog.getByLabel('Dialect').selectOption('postgres');
    await dialog.getByLabel('Include the version table and journal bookkeeping').uncheck();
    await dialog.getByLabel('Files').selectOption('perRevision');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toBe('12 step(s) for postgres in 12 file(s).');
    const download = watched.page.waitForEvent('download');
    await dialog.getByRole('button', { name: /^Save 01_up_a787cda37d02\.sql$/ }).click();
    const file = await download;
    const saved = path.join(project.root, 'first.sql');
    await file.saveAs(saved);
    const script = readFileSync(saved, 'utf8');
    expect(script).toContain('-- Dialect:   postgres');
    expect(script).toContain('-- Bookkeeping: none.');
    expect(script).not.toContain('stratum_version');
    expect(watched.errors).toEqual([]);
  });
});
