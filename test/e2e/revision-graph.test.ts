/// <reference lib="dom" />
/**
 * End to end, real Chromium against `stratum serve` on the built-in demo: the graph, its badges and
 * per-connection marks, search, keyboard navigation and the details panel.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage } from './support/app-page.ts';
import type { AppServer } from './support/app-server.ts';
import {
  openAppInBrowser,
  openPage,
  screenshot,
  type OpenedApp,
  type WatchedPage,
} from './support/browser.ts';

let server: AppServer;
let browser: Browser;
let watched: WatchedPage;
let app: AppPage;

let opened: OpenedApp;

beforeAll(async () => {
  opened = await openAppInBrowser();
  ({ server, browser, watched, app } = opened);
});

afterAll(async () => {
  await opened?.close();
});

describe('the revision graph on the demo project', () => {
  it('shows all 12 revisions, newest first, with the token removed from the address bar', async () => {
    await expect.poll(() => app.rows().count()).toBe(12);
    await expect.poll(() => app.rows().first().innerText()).toContain('drop products.legacy_price');
    expect(watched.page.url()).not.toContain('token');
    await expect.poll(() => watched.page.getByText('12 revisions', { exact: true }).count()).toBe(1);
  });

  it('marks heads, merges, branch points, labels and what the local database has applied', async () => {
    const head = app.row('07c4ef33');
    await expect.poll(() => head.innerText()).toMatch(/head[\s\S]*pending[\s\S]*post-deploy/);
    await expect.poll(() => app.row('ddc82543').innerText()).toMatch(/current[\s\S]*merge/);
    await expect.poll(() => app.row('da1c1a50').innerText()).toContain('branch point');
    await expect.poll(() => app.row('96be933a').innerText()).toContain('loyalty');
    await expect.poll(() => app.row('91a7b03d').innerText()).toContain('no transaction');
    await expect.poll(() => app.appliedOn('ddc82543', 'local')).toBe(true);
    expect(await app.appliedOn('288e26f3', 'local')).toBe(false);
    await screenshot(watched.page, 'graph-light');
  });

  it('searches by message, id prefix and label, jumping between matches', async () => {
    const search = watched.page.getByRole('searchbox', { name: 'Search revisions' });
    await search.fill('loyalty');
    await expect.poll(() => watched.page.getByText(/\d+ match/).innerText()).toMatch(/[3-9] matches/);
    await search.press('Enter');
    await expect.poll(() => app.details().locator('h2').innerText()).toMatch(/loyalty/);
    await search.fill('a787');
    await search.press('Enter');
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('create users');
    await search.fill('');
  });

  it('moves the selection with the keyboard and the details panel follows', async () => {
    await app.select('ddc82543fe3b');
    await app.graph().focus();
    await watched.page.keyboard.press('ArrowDown');
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('award loyalty points on orders');
    await watched.page.keyboard.press('End');
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('create users');
    await watched.page.keyboard.press('Home');
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('drop products.legacy_price');
    expect(await app.graph().getAttribute('aria-activedescendant')).toBe('rev-07c4ef33eb9e');
  });

  it('shows the header, up and down SQL and the journal of the selected revision', async () => {
    await app.select('e43f81c8');
    const details = app.details();
    await expect
      .poll(() => details.getByRole('figure', { name: 'Up SQL' }).innerText())
      .toContain('CREATE TABLE');
    expect(await details.getByRole('figure', { name: 'Down SQL' }).innerText()).toContain('DROP TABLE');
    const journal = details.getByRole('table', { name: 'Journal' });
    await expect.poll(() => journal.innerText()).toMatch(/up\s+succeeded/);
    await screenshot(watched.page, 'details-panel');
    expect(watched.errors).toEqual([]);
  });

  it('shows the revision file in Monaco, bundled locally: no request leaves this server', async () => {
    const { page, errors } = await openPage(browser);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const fresh = new AppPage(page);
    await fresh.open(server.url);
    await fresh.select('ddc82543fe3b');
    const editor = fresh.details().locator('.monaco-editor');
    await editor.waitFor({ timeout: 30_000 });
    await expect.poll(() => editor.locator('.view-lines').innerText()).toContain('migrate:up');
    // Highlighted by the SQL grammar: keywords get their own token class.
    await expect.poll(() => editor.locator('.view-lines span[class*="mtk"]').count()).toBeGreaterThan(5);
    await screenshot(page, 'details-monaco');
    const foreign = requests.filter(
      (u) => !u.startsWith(server.origin) && !u.startsWith('blob:') && !u.startsWith('data:'),
    );
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('follows the OS dark theme', async () => {
    const dark = await openPage(browser, { colorScheme: 'dark' });
    const darkApp = new AppPage(dark.page);
    await darkApp.open(server.url);
    await darkApp.select('ddc82543fe3b');
    const background = await dark.page.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );
    expect(background).toBe('rgb(13, 17, 23)');
    await screenshot(dark.page, 'graph-dark');
    expect(dark.errors).toEqual([]);
  });
});
