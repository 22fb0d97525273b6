/**
 * End to end, real Chromium against `stratum serve`: managing PostgreSQL and MariaDB connections
 * against the real local servers — add (with a password that must never reach the page or the
 * disk), test, choose, upgrade, edit, delete — plus an unreachable host's message.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.ts';
import { AppPage } from './support/app-page.ts';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';

const PASSWORD = 'S3cret-Pa55';

/** A two-revision project for `dialect`, in a temp folder. */
function serverProject(dialect: 'postgres' | 'mysql'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `stratum-e2e-${dialect}-`));
  mkdirSync(path.join(root, 'migrations'));
  writeFileSync(path.join(root, 'stratum.json'), JSON.stringify({ migrations: 'migrations', dialect }));
  const revision = (id: string, parent: string, body: string, down: string): void =>
    writeFileSync(
      path.join(root, 'migrations', `20260101T000${id[0]}_${id}_x.sql`),
      `-- revision: ${id}\n-- parents: ${parent}\n-- message: ${body.split(' ').slice(0, 3).join(' ')}\n\n` +
        `-- migrate:up\n${body};\n\n-- migrate:down\n${down};\n`,
    );
  revision('111111111111', '', 'CREATE TABLE accounts (id INTEGER PRIMARY KEY)', 'DROP TABLE accounts');
  revision(
    '222222222222',
    '111111111111',
    'ALTER TABLE accounts ADD COLUMN email VARCHAR(200)',
    'ALTER TABLE accounts DROP COLUMN email',
  );
  return root;
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  { dialect: 'postgres' as const, label: 'PostgreSQL', version: /PostgreSQL \d+/ },
  { dialect: 'mysql' as const, label: 'MariaDB', version: /MariaDB|mariadb|MySQL/ },
])('a $label connection', ({ dialect, label, version }) => {
  let db: TestDatabase;
  let root: string;
  let server: AppServer;

  beforeAll(async () => {
    db = await createTestDatabase(dialect, 'e2e_conn');
    root = serverProject(dialect);
    server = await startAppServer({ project: root });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('is added with a password, tested, used for an upgrade, edited and deleted', async () => {
    const { page, errors } = await openPage(browser);
    const app = new AppPage(page);
    await app.open(server.url);
    await page.getByRole('button', { name: 'Connections…' }).click();
    const dialog = app.dialog('Connections');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await dialog.getByLabel('Name').fill(`${label} scratch`);
    // PostgreSQL here trusts 127.0.0.1 and MariaDB's root has no password: the one given is only
    // carried, which is what this test checks (never shown, never written in plain text).
    const withPassword =
      dialect === 'postgres' ? db.url.replace('postgres@', `postgres:${PASSWORD}@`) : db.url;
    await dialog.getByLabel('URL').fill(withPassword);
    await dialog.getByLabel('Environment').selectOption('staging');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => dialog.getByRole('status').innerText()).toMatch(version);
    await screenshot(page, `connection-form-${dialect}`);
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    const item = dialog.getByRole('listitem', { name: `${label} scratch` });
    await item.waitFor();
    expect(await item.innerText()).not.toContain(PASSWORD);
    if (dialect === 'postgres') expect(await item.innerText()).toContain('password for this session');
    await item.getByRole('button', { name: `Test ${label} scratch` }).click();
    await expect.poll(() => item.getByRole('status').innerText()).toMatch(/^OK, \d+ ms/);
    await screenshot(page, `connections-${dialect}`);
    const stored = readFileSync(path.join(server.dataDir, 'connections.json'), 'utf8');
    expect(stored).toContain(db.name);
    expect(stored).not.toContain(PASSWORD);
    await app.closeDialog(dialog);

    await app.chooseConnection(`${label} scratch`);
    await expect.poll(() => app.appliedOn('222222222222', `${label} scratch`)).toBe(false);
    await app.select('222222222222');
    const run = await app.action('Upgrade to here');
    if (dialect === 'postgres') {
      // Rehearsed on the real database inside a transaction that is rolled back: the upgrade
      // below still finds both steps to do.
      const rehearsal = run.getByRole('region', { name: 'Rehearsal' });
      await rehearsal.getByLabel('On the real data, in a transaction that is rolled back').check();
      await rehearsal.getByRole('button', { name: 'Rehearse, then roll back' }).click();
      await expect
        .poll(() => rehearsal.getByRole('status').innerText(), { timeout: 30_000 })
        .toMatch(
          /Rehearsal passed: 2 step\(s\), 2 statement\(s\) in \d+ ms in a transaction, rolled back\. PostgreSQL scratch was not changed/,
        );
      await screenshot(page, 'rehearsal-in-transaction');
    }
    await run.getByRole('button', { name: 'Upgrade' }).click();
    expect(await app.runOutcome(run)).toMatch(/Done: 2 step/);
    await app.closeDialog(run);
    await expect.poll(() => app.appliedOn('222222222222', `${label} scratch`)).toBe(true);
    await expect.poll(() => page.locator('.top-bar').getAttribute('class')).toContain('tag-staging');

    await page.getByRole('button', { name: 'Connections…' }).click();
    await dialog.getByRole('button', { name: `Edit ${label} scratch` }).click();
    const name = dialog.getByLabel('Name');
    expect(await dialog.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await name.fill(`${label} renamed`);
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.getByRole('listitem', { name: `${label} renamed` }).waitFor();
    await dialog.getByRole('button', { name: `Delete ${label} renamed` }).click();
    await expect.poll(() => dialog.getByRole('listitem').count()).toBe(0);
    await app.closeDialog(dialog);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reports an unreachable server with a clear message', async () => {
    const { page } = await openPage(browser);
    const app = new AppPage(page);
    await app.open(server.url);
    await page.getByRole('button', { name: 'Connections…' }).click();
    const dialog = app.dialog('Connections');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await dialog.getByLabel('Name').fill('nowhere');
    await dialog.getByLabel('URL').fill(`${dialect}://root@127.0.0.1:1/app`);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').innerText())
      .toMatch(/refused|not accepting|127\.0\.0\.1:1/i);
    await screenshot(page, `connection-refused-${dialect}`);
    await page.context().close();
  });
});
