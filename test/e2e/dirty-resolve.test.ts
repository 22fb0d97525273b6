/**
 * End to end on the real MariaDB server: DDL commits as it goes, so a revision that fails part-way
 * is left dirty. The app says how far it got, marks the revision dirty in the graph, and offers
 * the three ways to resolve it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';
import { AppPage } from './support/app-page.ts';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';

const REVISION = 'd1d1d1d1d1d1';
let db: TestDatabase;
let root: string;
let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase('mysql', 'e2e_dirty');
  root = mkdtempSync(path.join(os.tmpdir(), 'stratum-e2e-dirty-'));
  mkdirSync(path.join(root, 'migrations'));
  writeFileSync(
    path.join(root, 'stratum.json'),
    JSON.stringify({
      migrations: 'migrations',
      dialect: 'mysql',
      environments: { dev: { url: db.url, tag: 'local' } },
    }),
  );
  writeFileSync(
    path.join(root, 'migrations', `20260101T0000_${REVISION}_three_tables.sql`),
    `-- revision: ${REVISION}\n-- parents:\n-- message: three tables\n\n-- migrate:up\n` +
      'CREATE TABLE first_table (id INT);\nCREATE TABLE second_table (id INT);\nALTER TABLE missing_table ADD COLUMN x INT;\n\n' +
      '-- migrate:down\nDROP TABLE second_table;\nDROP TABLE first_table;\n',
  );
  server = await startAppServer({ project: root });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await db?.drop();
  rmSync(root, { recursive: true, force: true });
});

it('shows a half-applied MySQL revision as dirty and resolves it', async () => {
  const { page, errors } = await openPage(browser);
  const app = new AppPage(page);
  await app.open(server.url);
  await app.select(REVISION);
  const run = await app.action('Upgrade to here');
  await run.getByRole('button', { name: 'Upgrade' }).click();
  const outcome = await app.runOutcome(run);
  expect(outcome).toMatch(/2 of 3 statements ran\) and is now dirty/);
  expect(outcome).toContain(`migrations/20260101T0000_${REVISION}_three_tables.sql:8`);
  await screenshot(page, 'run-dirty');
  await run.getByRole('button', { name: 'Resolve…' }).click();
  const resolve = app.dialog(/Resolve dirty revision/);
  await resolve.getByRole('button', { name: 'Mark rolled back' }).waitFor();
  expect(await resolve.getByRole('button', { name: 'Resume' }).isVisible()).toBe(true);
  expect(await resolve.getByRole('button', { name: 'Mark applied' }).isVisible()).toBe(true);
  await resolve.getByRole('button', { name: 'Mark rolled back' }).click();
  await expect
    .poll(() => resolve.getByRole('status').innerText())
    .toMatch(/Resolved[\s\S]*Had not run: .*:8/);
  await screenshot(page, 'resolve-done');
  await resolve.getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => app.row(REVISION).innerText()).not.toContain('dirty');
  expect(await app.appliedOn(REVISION, 'dev')).toBe(false);
  expect(errors).toEqual([]);
});
