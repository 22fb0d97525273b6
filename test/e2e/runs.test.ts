/**
 * End to end, real Chromium against `stratum serve` on a copy of the demo project with two extra
 * branches (a slow revision and a broken one): upgrade, downgrade and stamp from the graph, a
 * cancelled run, a failure shown with its file:line, and a production connection that must be
 * confirmed by typing the database's name.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPage } from './support/app-page.ts';
import { copyDemoProject, DEMO_FIRST_LAUNCH } from './support/app-server.ts';
import { openAppInBrowser, screenshot, type OpenedApp, type WatchedPage } from './support/browser.ts';

const HEAD = '07c4ef33eb9e';
const SLOW = '5105105105aa';
const BROKEN = 'b20b20b20b20';
// About a second of SQLite work per statement: long enough to press Cancel while it runs.
const SLOW_SQL =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) SELECT count(*) FROM c;';

/** The SQLite rehearsal copies in the temp folder now (other suites may make some too). */
const rehearsalDirs = (): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith('stratum-rehearsal-'));

let project: ReturnType<typeof copyDemoProject>;
let opened: OpenedApp;
let watched: WatchedPage;
let app: AppPage;

beforeAll(async () => {
  // The demo's first-launch state: applied up to the merge, three revisions pending.
  project = copyDemoProject({ upgradeTo: DEMO_FIRST_LAUNCH });
  const migrations = path.join(project.root, 'migrations');
  writeFileSync(
    path.join(migrations, `20260301T1000_${SLOW}_slow_backfill.sql`),
    `-- revision: ${SLOW}\n-- parents: ${HEAD}\n-- message: slow backfill\n-- created: 2026-03-01T10:00:00Z\n\n` +
      `-- migrate:up\nCREATE TABLE slow_marker (id INTEGER);\n${SLOW_SQL}\n${SLOW_SQL}\n${SLOW_SQL}\n${SLOW_SQL}\n\n` +
      `-- migrate:down\nDROP TABLE slow_marker;\n`,
  );
  writeFileSync(
    path.join(migrations, `20260302T1000_${BROKEN}_broken_change.sql`),
    `-- revision: ${BROKEN}\n-- parents: ${HEAD}\n-- message: broken change\n-- created: 2026-03-02T10:00:00Z\n\n` +
      `-- migrate:up\nCREATE TABLE broken_first (id INTEGER);\nALTER TABLE no_such_table ADD COLUMN x TEXT;\n\n` +
      `-- migrate:down\nDROP TABLE broken_first;\n`,
  );
  opened = await openAppInBrowser({ project: project.root });
  ({ watched, app } = opened);
});

afterAll(async () => {
  await opened?.close();
  project?.remove();
});

describe('runs from the app', () => {
  it('upgrades to a revision after showing the exact plan, streaming progress, then refreshes', async () => {
    await app.select(HEAD);
    expect(await app.appliedOn(HEAD, 'local')).toBe(false);
    const dialog = await app.action('Upgrade to here');
    const plan = dialog.getByRole('list', { name: 'Plan' });
    await expect.poll(() => plan.getByRole('listitem').count()).toBe(3);
    expect(await dialog.getByRole('list', { name: 'Warnings' }).innerText()).toMatch(
      /without a transaction[\s\S]*post-deploy/,
    );
    // Each step's exact SQL, from a dry run of the executor, with the file:line of every statement.
    await plan.getByRole('listitem').nth(1).getByText('SQL', { exact: true }).click();
    const statement = plan.getByRole('figure', {
      name: /_91a7b03d14eb_backfill_order_subtotals_in_batches\.sql:11$/,
    });
    expect(await statement.innerText()).toContain('ALTER TABLE orders ADD COLUMN subtotal_cents');
    await screenshot(watched.page, 'run-confirm');
    await dialog.getByRole('button', { name: 'Upgrade' }).click();
    expect(await app.runOutcome(dialog)).toMatch(/Done: 3 step\(s\)/);
    expect(await dialog.getByLabel('Run log').innerText()).toContain('backfill order subtotals');
    await screenshot(watched.page, 'run-done');
    await app.closeDialog(dialog);
    await expect.poll(() => app.appliedOn(HEAD, 'local')).toBe(true);
    await expect
      .poll(() => app.details().getByRole('table', { name: 'Journal' }).innerText())
      .toMatch(/up\s+succeeded\s+1\/1/);
  });

  it('downgrades to a revision, removing only what depends on it', async () => {
    await app.select('288e26f3e7ab');
    const dialog = await app.action('Downgrade to here');
    await expect.poll(() => dialog.getByRole('list', { name: 'Plan' }).getByRole('listitem').count()).toBe(2);
    await dialog.getByRole('button', { name: 'Downgrade' }).click();
    expect(await app.runOutcome(dialog)).toMatch(/Done: 2 step\(s\)[\s\S]*288e26f3e7ab/);
    await app.closeDialog(dialog);
    await expect.poll(() => app.appliedOn(HEAD, 'local')).toBe(false);
    expect(await app.appliedOn('288e26f3e7ab', 'local')).toBe(true);
  });

  it('stamps without running SQL', async () => {
    await app.select('91a7b03d14eb');
    const dialog = await app.action('Stamp');
    await expect.poll(() => dialog.innerText()).toContain('version table only');
    await dialog.getByRole('button', { name: 'Stamp' }).click();
    expect(await app.runOutcome(dialog)).toMatch(/Done/);
    await app.closeDialog(dialog);
    await expect.poll(() => app.row('91a7b03d').innerText()).toContain('current');
  });

  it('cancels a slow run after the current statement, leaving nothing of it', async () => {
    await app.select(HEAD);
    await (await app.action('Upgrade to here')).getByRole('button', { name: 'Upgrade' }).click();
    await app.closeDialog(app.page.getByRole('dialog'));
    await app.select(SLOW);
    const dialog = await app.action('Upgrade to here');
    await dialog.getByRole('button', { name: 'Upgrade' }).click();
    await expect.poll(() => dialog.getByLabel('Run log').innerText()).toContain('WITH RECURSIVE');
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    expect(await app.runOutcome(dialog)).toMatch(/Cancelled/);
    await screenshot(watched.page, 'run-cancelled');
    await app.closeDialog(dialog);
    expect(await app.appliedOn(SLOW, 'local')).toBe(false);
    await expect.poll(() => app.row(HEAD).innerText()).toContain('current');
  });

  it('rehearses a plan that fails on a bad statement, without touching the database', async () => {
    await app.select(BROKEN);
    const dialog = await app.action('Upgrade to here');
    await dialog.getByRole('button', { name: 'Rehearse on a scratch copy' }).click();
    const rehearsal = dialog.getByRole('region', { name: 'Rehearsal' });
    const outcome = rehearsal.getByRole('alert');
    await expect
      .poll(() => outcome.innerText(), { timeout: 30_000 })
      .toMatch(/Rehearsal failed at b20b20b20b20/);
    expect(await outcome.innerText()).toContain(`migrations/20260302T1000_${BROKEN}_broken_change.sql:8`);
    expect(await outcome.innerText()).toContain('local was not changed');
    expect(await rehearsal.getByRole('table', { name: 'Rehearsed statements' }).innerText()).toMatch(
      /broken_change\.sql:7[\s\S]*ms[\s\S]*broken_change\.sql:8[\s\S]*failed/,
    );
    await screenshot(watched.page, 'rehearsal-failed');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await app.appliedOn(BROKEN, 'local')).toBe(false);
    await expect.poll(() => app.row(HEAD).innerText()).toContain('current');
    expect(await app.details().innerText()).toContain(
      'No journal rows for this revision on this connection.',
    );
  });

  it('cancels a rehearsal while a statement runs; the scratch copy goes, the database stays', async () => {
    await app.select(SLOW);
    const dialog = await app.action('Upgrade to here');
    const before = rehearsalDirs();
    await dialog.getByRole('button', { name: 'Rehearse on a scratch copy' }).click();
    const rehearsal = dialog.getByRole('region', { name: 'Rehearsal' });
    await expect.poll(() => rehearsalDirs().filter((d) => !before.includes(d)).length).toBeGreaterThan(0);
    await rehearsal.getByRole('button', { name: 'Cancel rehearsal' }).click();
    const outcome = rehearsal.getByRole('alert');
    await expect
      .poll(() => outcome.innerText(), { timeout: 30_000 })
      .toMatch(/Rehearsal cancelled; the scratch copy was deleted\. local was not changed/);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await app.appliedOn(SLOW, 'local')).toBe(false);
    // Polled: another suite's rehearsal may hold a copy of its own for a moment.
    await expect.poll(() => rehearsalDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('shows a failed statement with the database message and file:line, and the graph unchanged', async () => {
    await app.select(BROKEN);
    const dialog = await app.action('Upgrade to here');
    await dialog.getByRole('button', { name: 'Upgrade' }).click();
    const outcome = await app.runOutcome(dialog);
    expect(outcome).toMatch(/Failed at b20b20b20b20/);
    expect(outcome).toContain('no such table: no_such_table');
    expect(outcome).toMatch(/rolled back/);
    expect(outcome).toContain(`migrations/20260302T1000_${BROKEN}_broken_change.sql:8`);
    await screenshot(watched.page, 'run-failed');
    await app.closeDialog(dialog);
    expect(await app.appliedOn(BROKEN, 'local')).toBe(false);
  });

  it('offers to merge several heads', async () => {
    const banner = watched.page.getByRole('region', { name: 'Several heads' });
    await expect.poll(() => banner.innerText()).toMatch(/2 heads/);
  });

  it('asks for the database name before running on a production connection', async () => {
    await watched.page.getByRole('button', { name: 'Connections…' }).click();
    const dialog = app.dialog('Connections');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await dialog.getByLabel('Name').fill('prod copy');
    await dialog.getByLabel('URL').fill('sqlite:./prod.db');
    await dialog.getByLabel('Environment').selectOption('production');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.getByRole('listitem', { name: 'prod copy' }).waitFor();
    await app.closeDialog(dialog);
    await app.chooseConnection('prod copy');
    await app.select('a787cda37d02');
    const run = await app.action('Upgrade to here');
    const confirm = run.getByRole('button', { name: 'Upgrade' });
    await expect.poll(() => run.innerText()).toMatch(/Type\s+prod\.db\s+to confirm/);
    expect(await confirm.isDisabled()).toBe(true);
    await run.getByLabel(/Type prod\.db to confirm/).fill('prod');
    expect(await confirm.isDisabled()).toBe(true);
    await run.getByLabel(/Type prod\.db to confirm/).fill('prod.db');
    await screenshot(watched.page, 'run-production-confirm');
    await confirm.click();
    expect(await app.runOutcome(run)).toMatch(/Done: 1 step/);
    await app.closeDialog(run);
    await expect.poll(() => app.appliedOn('a787cda37d02', 'prod copy')).toBe(true);
    expect(watched.errors).toEqual([]);
  });

  it('creates the merge revision that joins the heads', async () => {
    await watched.page.getByRole('button', { name: 'Create merge revision…' }).click();
    const dialog = app.dialog('Merge heads');
    await dialog.getByLabel('Message').fill('join slow and broken');
    await dialog.getByRole('button', { name: 'Create merge revision' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => app.rows().first().innerText())
      .toMatch(/join slow and broken[\s\S]*head[\s\S]*merge/);
    await expect.poll(() => watched.page.getByRole('region', { name: 'Several heads' }).count()).toBe(0);
    expect(await app.details().locator('h2').innerText()).toBe('join slow and broken');
  });
});
