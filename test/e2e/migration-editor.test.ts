/**
 * End to end, real Chromium and real Monaco against `stratum serve` on a copy of the demo at its
 * first-launch state: create a revision and merge heads from the graph, edit and save a file, see
 * the CLI's message as a marker for a broken header, the unsaved-changes guard, a change on disk
 * by someone else, the warning before editing an applied revision, the applied-against-now diff,
 * and fixing a broken file from the problems banner.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppPage } from './support/app-page.ts';
import { CLI, copyDemoProject, DEMO_FIRST_LAUNCH } from './support/app-server.ts';
import { openAppInBrowser, screenshot, type OpenedApp, type WatchedPage } from './support/browser.ts';

const HEAD = '07c4ef33eb9e';
const APPLIED = 'e43f81c82cbc';
const APPLIED_FILE = 'migrations/20260112T1630_e43f81c82cbc_create_order_items.sql';

let project: ReturnType<typeof copyDemoProject>;
let opened: OpenedApp;
let watched: WatchedPage;
let app: AppPage;

beforeAll(async () => {
  project = copyDemoProject({ upgradeTo: DEMO_FIRST_LAUNCH });
  opened = await openAppInBrowser({ project: project.root });
  ({ watched, app } = opened);
});

afterAll(async () => {
  await opened?.close();
  project?.remove();
});

const disk = (file: string): string => readFileSync(path.join(project.root, file), 'utf8');

function editor(): Locator {
  return app.details().getByRole('region', { name: 'Migration editor' });
}

function editorStatus(scope: Locator = editor()): Promise<string> {
  return scope.getByRole('status').innerText();
}

/** What Monaco shows (its rendered lines, which use non-breaking spaces). */
async function shownText(scope: Locator = editor()): Promise<string> {
  const text = await scope.locator('.monaco-editor .view-lines').first().innerText();
  return text.replaceAll('\u00a0', ' ');
}

/** Replaces the whole buffer the way a user pastes: select all, then insert. */
async function replaceText(scope: Locator, text: string): Promise<void> {
  await scope.locator('.monaco-editor .view-lines').first().click();
  await watched.page.keyboard.press('Control+A');
  await watched.page.keyboard.insertText(text);
}

async function waitForEditor(scope: Locator = editor()): Promise<void> {
  await scope.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
  await expect.poll(() => shownText(scope)).toContain('migrate:up');
}

describe('the migration editor', () => {
  let created = '';
  let createdFile = '';

  it('creates a revision after the head: written in the project format, in the graph at once', async () => {
    await app.select(HEAD);
    await watched.page.getByRole('button', { name: 'New revision…' }).click();
    const dialog = app.dialog('New revision');
    await dialog.getByLabel('Message').fill('add phone to users');
    expect(await dialog.getByLabel('Parent').inputValue()).toBe(HEAD);
    await dialog.getByLabel('Branch labels').fill('contact');
    await dialog.getByLabel('Phase').selectOption('post-deploy');
    await screenshot(watched.page, 'editor-new-revision');
    await dialog.getByRole('button', { name: 'Create revision' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('add phone to users');
    created = (await app.details().locator('.rev-full-id').innerText()).trim();
    expect(await app.rows().first().innerText()).toContain('add phone to users');
    const files = readdirSync(path.join(project.root, 'migrations')).filter((f) => f.includes(created));
    expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{4}_[0-9a-f]{12}_add_phone_to_users\.sql$/)]);
    createdFile = `migrations/${files[0]}`;
    expect(disk(createdFile)).toMatch(
      new RegExp(
        `^-- revision: ${created}\\n-- parents: ${HEAD}\\n-- message: add phone to users\\n-- created: .+Z\\n` +
          `-- branch-labels: contact\\n-- transaction: per-migration\\n-- phase: post-deploy\\n`,
      ),
    );
    await waitForEditor();
    expect(await shownText()).toContain(`-- revision: ${created}`);
    // The cursor waits in the empty up section: typing goes there.
    await watched.page.keyboard.type('SELECT 1;');
    await expect.poll(() => shownText()).toMatch(/-- migrate:up\nSELECT 1;\n/);
    await editor().getByRole('button', { name: 'Revert' }).click();
  });

  it('edits and saves with Ctrl+S: the file, the details and the dry run follow', async () => {
    const text = disk(createdFile)
      .replace('-- migrate:up\n', '-- migrate:up\nALTER TABLE users ADD COLUMN phone TEXT;\n')
      .replace('-- migrate:down\n', '-- migrate:down\nALTER TABLE users DROP COLUMN phone;\n');
    await replaceText(editor(), text);
    await expect.poll(() => editorStatus()).toBe('Unsaved changes');
    await watched.page.keyboard.press('Control+S');
    await expect.poll(() => editorStatus()).toBe('Saved');
    expect(disk(createdFile)).toBe(text);
    await expect
      .poll(() => app.details().getByRole('figure', { name: 'Up SQL' }).innerText())
      .toContain('ADD COLUMN phone');
    await screenshot(watched.page, 'editor-saved');
    const plan = await app.action('Upgrade to here');
    await plan.locator('summary', { hasText: 'SQL' }).last().click();
    await expect.poll(() => plan.innerText()).toContain('ALTER TABLE users ADD COLUMN phone TEXT');
    await screenshot(watched.page, 'dry-run');
    await plan.getByRole('button', { name: 'Cancel' }).click();
  });

  it('suggests header keys, values and revision ids with their messages', async () => {
    await editor().locator('.monaco-editor .view-lines').first().click();
    await watched.page.keyboard.press('Control+Home');
    await watched.page.keyboard.press('End');
    await watched.page.keyboard.press('Enter');
    await watched.page.keyboard.type('-- dep');
    const suggest = editor().locator('.suggest-widget');
    await expect.poll(() => suggest.innerText()).toContain('depends-on:');
    await watched.page.keyboard.press('Enter');
    await expect
      .poll(async () => (await suggest.innerText()).replaceAll('\u00a0', ' '))
      .toContain('ddc82543fe3b');
    await watched.page.keyboard.type('ddc825');
    // The focused suggestion shows the revision's message.
    await expect.poll(() => suggest.innerText()).toContain('merge loyalty into main');
    await screenshot(watched.page, 'editor-suggestions');
    await watched.page.keyboard.press('Enter');
    await expect.poll(() => shownText()).toContain('-- depends-on: ddc82543fe3b');
    await editor().getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => editorStatus()).toBe('');
  });

  it('marks a broken header with the CLI’s message and does not save it', async () => {
    const good = disk(createdFile);
    await replaceText(editor(), good.replace(`-- parents: ${HEAD}`, '-- parents: 07c4ef33eb9f'));
    const problems = editor().getByRole('list', { name: 'Problems in this file' });
    await expect
      .poll(() => problems.innerText())
      .toContain(
        `line 2: Revision ${created} (${createdFile}) names parent 07c4ef33eb9f, which no revision file declares.`,
      );
    await expect.poll(() => editor().locator('.squiggly-error').count()).toBeGreaterThan(0);
    // Hovering the mark shows the same message.
    await editor().locator('.squiggly-error').first().hover({ force: true });
    await expect
      .poll(async () => (await editor().locator('.monaco-hover').allInnerTexts()).join('\n'))
      .toContain('names parent 07c4ef33eb9f, which no revision file declares');
    await watched.page.keyboard.press('Control+S');
    await expect.poll(() => editorStatus()).toBe('Not saved: 1 error');
    expect(disk(createdFile)).toBe(good);
    // A header the parser refuses: its message, on its line.
    await replaceText(editor(), good.replace('-- phase: post-deploy', '-- phase: sometimes'));
    await expect.poll(() => problems.innerText()).toMatch(/line 7: .*:7: phase: "sometimes"/);
    await screenshot(watched.page, 'editor-marker');
    await editor().getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => editorStatus()).toBe('');
    await expect.poll(() => problems.count()).toBe(0);
  });

  it('asks before unsaved text is dropped', async () => {
    await replaceText(editor(), `${disk(createdFile)}-- a thought\n`);
    await expect.poll(() => editorStatus()).toBe('Unsaved changes');
    await app.row(HEAD).click();
    const ask = app.dialog('Discard unsaved changes?');
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    expect((await app.details().locator('.rev-full-id').innerText()).trim()).toBe(created);
    expect(await shownText()).toContain('-- a thought');
    await app.row(HEAD).click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await app.details().locator('.rev-full-id', { hasText: HEAD }).waitFor();
    expect(disk(createdFile)).not.toContain('-- a thought');
  });

  it('notices a change on disk: reloads a clean buffer, and never overwrites unsaved text', async () => {
    await app.select(created);
    await waitForEditor();
    const theirs = disk(createdFile).replace('TEXT;', "TEXT DEFAULT '';");
    writeFileSync(path.join(project.root, createdFile), theirs);
    await expect.poll(() => editorStatus()).toBe('Reloaded: the file changed on disk');
    expect(await shownText()).toContain("DEFAULT ''");
    // Now with unsaved text of our own.
    await replaceText(editor(), `${theirs}-- mine\n`);
    const again = `${theirs}-- theirs\n`;
    writeFileSync(path.join(project.root, createdFile), again);
    const banner = editor().getByRole('alert', { name: 'File changed on disk' });
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Compare…' }).click();
    const compare = app.dialog('On disk ← → yours');
    await expect.poll(() => compare.locator('.monaco-diff-editor').count()).toBe(1);
    await expect
      .poll(async () => (await compare.innerText()).replaceAll('\u00a0', ' '))
      .toMatch(/-- theirs[\s\S]*-- mine|-- mine[\s\S]*-- theirs/);
    await screenshot(watched.page, 'editor-conflict');
    await compare.getByRole('button', { name: 'Close' }).click();
    await banner.getByRole('button', { name: 'Keep mine' }).click();
    await editor().getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editorStatus()).toBe('Saved');
    expect(disk(createdFile)).toBe(`${theirs}-- mine\n`);
  });

  it('warns before an applied revision becomes editable', async () => {
    await app.select(APPLIED);
    await waitForEditor();
    expect(await editorStatus()).toBe('Read-only: applied on local');
    await editor().getByRole('button', { name: 'Edit…' }).click();
    const ask = app.dialog('Edit an applied revision?');
    expect(await ask.innerText()).toMatch(
      /local has already applied this revision[\s\S]*modified after apply/,
    );
    await screenshot(watched.page, 'editor-applied-warning');
    await ask.getByRole('button', { name: 'Edit anyway' }).click();
    await expect.poll(() => editorStatus()).toBe('');
    await editor().getByRole('button', { name: 'Save' }).waitFor();
  });

  it('shows what changed since it was applied, in the diff editor', async () => {
    const before = disk(APPLIED_FILE);
    const after = before.replace(/(CREATE TABLE order_items \([^;]*?)\n\);/, '$1,\n  note TEXT\n);');
    expect(after).not.toBe(before);
    writeFileSync(path.join(project.root, APPLIED_FILE), after);
    await watched.page.getByRole('button', { name: 'Refresh' }).click();
    const notice = app.details().getByRole('region', { name: 'Modified after apply' });
    await notice.waitFor();
    await notice.getByRole('button', { name: 'Show the change…' }).click();
    const diff = app.dialog(/Applied on local/);
    const sides = diff.locator('.monaco-diff-editor');
    await sides.waitFor({ timeout: 30_000 });
    const side = async (which: string): Promise<string> =>
      (await diff.locator(`.editor.${which} .view-lines`).innerText()).replaceAll('\u00a0', ' ');
    await expect.poll(() => side('modified')).toContain('note TEXT');
    expect(await side('original')).toContain('CREATE TABLE order_items');
    expect(await side('original')).not.toContain('note TEXT');
    await expect.poll(() => diff.locator('.line-insert, .char-insert').count()).toBeGreaterThan(0);
    await screenshot(watched.page, 'editor-applied-diff');
    await diff.getByRole('button', { name: 'Close' }).click();
  });

  it('branches from a selected revision and merges the heads from the graph', async () => {
    await app.select(DEMO_FIRST_LAUNCH);
    await app.details().getByRole('button', { name: 'New revision after this…' }).click();
    const dialog = app.dialog('New revision');
    expect(await dialog.getByLabel('Parent').inputValue()).toBe(DEMO_FIRST_LAUNCH);
    await dialog.getByLabel('Message').fill('side branch');
    await dialog.getByRole('button', { name: 'Create revision' }).click();
    await expect.poll(() => app.details().locator('h2').innerText()).toBe('side branch');
    const heads = watched.page.getByRole('region', { name: 'Several heads' });
    await heads.getByRole('button', { name: 'Create merge revision…' }).click();
    const merge = app.dialog('Merge heads');
    expect(await merge.getByRole('checkbox').count()).toBe(2);
    await merge.getByRole('button', { name: 'Create merge revision' }).click();
    await expect.poll(() => app.details().locator('h2').innerText()).toMatch(/^merge /);
    await expect.poll(() => heads.count()).toBe(0);
  });

  it('follows the folder: a revision the CLI writes appears without Refresh', async () => {
    execFileSync(process.execPath, [CLI, '--project', project.root, 'revision', '-m', 'from the terminal'], {
      stdio: 'ignore',
    });
    await expect.poll(() => app.rows().first().innerText()).toContain('from the terminal');
  });

  it('opens a broken file from the problems banner and fixes it there', async () => {
    const file = 'migrations/20260401T1000_broken_by_hand.sql';
    const broken =
      '-- revision: 0b0b0b0b0b0b\n-- parents: 07c4ef33eb9e\n-- transaction: sometimes\n\n-- migrate:up\nSELECT 1;\n';
    writeFileSync(path.join(project.root, file), broken);
    await watched.page.getByRole('button', { name: 'Refresh' }).click();
    const banner = watched.page.getByRole('alert').filter({ hasText: 'problem' });
    await banner.getByRole('button', { name: new RegExp(file) }).click();
    const fix = app.dialog(`Fix ${file}`);
    const inDialog = fix.getByRole('region', { name: 'Migration editor' });
    await waitForEditor(inDialog);
    await expect
      .poll(() => inDialog.getByRole('list', { name: 'Problems in this file' }).innerText())
      .toMatch(/line 3: .*transaction/);
    await screenshot(watched.page, 'editor-fix-broken-file');
    await replaceText(inDialog, broken.replace('-- transaction: sometimes', '-- transaction: none'));
    await watched.page.keyboard.press('Control+S');
    await expect.poll(() => editorStatus(inDialog)).toBe('Saved');
    await fix.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(watched.errors).toEqual([]);
  });
});
