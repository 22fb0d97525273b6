/**
 * End to end: a migrations folder with problems (a revision whose parent does not exist, a file
 * whose header is broken) still opens; the problems are listed with their files, and the rest of
 * the graph is shown.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppPage } from './support/app-page.ts';
import { copyDemoProject, startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';

let project: ReturnType<typeof copyDemoProject>;
let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  project = copyDemoProject();
  const migrations = path.join(project.root, 'migrations');
  writeFileSync(
    path.join(migrations, '20260301T1000_0rphan000000_orphan.sql'),
    '-- revision: 0a0a0a0a0a0a\n-- parents: ffffffffffff\n-- message: orphan\n\n-- migrate:up\nSELECT 1;\n',
  );
  writeFileSync(
    path.join(migrations, '20260302T1000_broken_header.sql'),
    '-- revision: not-hex!\n-- parents: 07c4ef33eb9e\n-- message: broken header\n\n-- migrate:up\nSELECT 1;\n',
  );
  server = await startAppServer({ project: project.root });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  project?.remove();
});

it('lists the problems with their files and still shows the graph', async () => {
  const { page, errors } = await openPage(browser);
  const app = new AppPage(page);
  await app.open(server.url);
  const banner = page.getByRole('alert').filter({ hasText: 'problem' });
  await expect.poll(() => banner.innerText()).toMatch(/2 problems in the migrations folder/);
  const text = await banner.innerText();
  expect(text).toContain('ffffffffffff');
  expect(text).toContain('20260301T1000_0rphan000000_orphan.sql');
  expect(text).toContain('20260302T1000_broken_header.sql');
  expect(await app.rows().count()).toBeGreaterThanOrEqual(12);
  await app.select('ddc82543fe3b');
  await screenshot(page, 'graph-problems');
  expect(errors).toEqual([]);
});
