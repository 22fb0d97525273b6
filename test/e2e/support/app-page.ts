/**
 * Page object of the app's main screen (STYLE.md §F.6, Beekeeper's e2e/pageComponents): tests say
 * what a user does, by role and accessible name, not which elements exist.
 */
import type { Locator, Page } from 'playwright-core';

export class AppPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Opens the app and waits for the graph. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.graph().waitFor();
    await this.rows().first().waitFor();
  }

  graph(): Locator {
    return this.page.getByRole('listbox', { name: 'Revisions' });
  }

  rows(): Locator {
    return this.graph().getByRole('option');
  }

  /** The graph row of a revision, by id prefix. */
  row(revision: string): Locator {
    return this.rows().filter({ hasText: revision.slice(0, 8) });
  }

  async select(revision: string): Promise<void> {
    await this.row(revision).click();
    await this.details().locator('.rev-full-id', { hasText: revision }).waitFor();
  }

  details(): Locator {
    return this.page.getByRole('complementary', { name: 'Revision details' });
  }

  /** The dot of `connection` on a revision's row: its accessible name says applied or not. */
  async appliedOn(revision: string, connection: string): Promise<boolean> {
    const dot = this.row(revision).getByRole('img', { name: new RegExp(`^${connection}: `) });
    return (await dot.getAttribute('aria-label')) === `${connection}: applied`;
  }

  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Starts an action on the selected revision and returns its dialog. */
  async action(name: 'Upgrade to here' | 'Downgrade to here' | 'Stamp'): Promise<Locator> {
    await this.details().getByRole('button', { name }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    return dialog;
  }

  /** Waits until the dialog's run ended (ok, cancelled or failed), returning the outcome text. */
  async runOutcome(dialog: Locator): Promise<string> {
    const outcome = dialog.locator('.outcome, .error-message');
    await outcome.first().waitFor({ timeout: 60_000 });
    return (await outcome.first().innerText()).trim();
  }

  async closeDialog(dialog: Locator): Promise<void> {
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  async chooseConnection(name: string): Promise<void> {
    const select = this.page.getByRole('combobox', { name: 'Connection' });
    const value = await select.locator('option', { hasText: `${name} (` }).getAttribute('value');
    await select.selectOption(value!);
  }
}
