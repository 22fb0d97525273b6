/**
 * Debian's Chromium driven by playwright-core (reference: env notes; never `npx playwright install`):
 * headless, no background networking, a fresh profile per browser. Console errors and page errors
 * are collected so every test can assert there were none.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AppPage } from './app-page.ts';
import { REPO, startAppServer, type AppServer, type AppServerOptions } from './app-server.ts';

export const CHROMIUM = process.env.STRATUM_CHROMIUM ?? '/usr/bin/chromium';
/** Where screenshots go: a CI artifact folder, ignored by git. */
export const SCREENSHOT_DIR = path.join(REPO, 'test-results', 'screenshots');

/** Launches Chromium; fails loudly when it is not installed (.ci/run installs it). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page with its console and page errors recorded. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens a page that records errors. */
export async function openPage(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 860 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** Saves a screenshot as a test artifact (test-results/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** `stratum serve` on a project, opened in Chromium with the graph showing. */
export interface OpenedApp {
  readonly server: AppServer;
  readonly browser: Browser;
  readonly watched: WatchedPage;
  readonly app: AppPage;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

/** Starts `stratum serve` (the demo, or `options.project`) and opens it in a new Chromium. */
export async function openAppInBrowser(options: AppServerOptions = {}): Promise<OpenedApp> {
  const server = await startAppServer(options);
  const browser = await launchBrowser();
  const watched = await openPage(browser);
  const app = new AppPage(watched.page);
  await app.open(server.url);
  return {
    server,
    browser,
    watched,
    app,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}
