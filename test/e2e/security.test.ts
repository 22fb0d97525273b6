/// <reference lib="dom" />
/**
 * End to end, real Chromium against `stratum serve`: the page is useless without its token, another
 * site in the same browser cannot call the API even with the token, and a DNS-rebinding name that
 * resolves to 127.0.0.1 is refused by the Host check (Chromium's host resolver maps it, as a
 * rebinding attack's DNS would).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, openPage, screenshot } from './support/browser.ts';

let server: AppServer;
let browser: Browser;
let foreign: Server;
let foreignOrigin: string;

beforeAll(async () => {
  server = await startAppServer();
  browser = await launchBrowser(['--host-resolver-rules=MAP rebind.example 127.0.0.1']);
  // Another local site, on another port: a different origin in the browser's eyes.
  foreign = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>foreign</title><p>foreign page</p>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => foreign?.close(resolve));
});

describe('browser mode refuses what it should', () => {
  it('shows how to get in when the page is opened without its token', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${server.origin}/`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/without its access token[\s\S]*#token=/);
    await screenshot(page, 'no-token');
    await page.context().close();
  });

  it('does not let another origin call the API, even with the token', async () => {
    const { page } = await openPage(browser);
    await page.goto(foreignOrigin);
    const outcome = await page.evaluate(
      async ({ origin, token }) => {
        try {
          const response = await fetch(`${origin}/rpc/app.info`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          });
          return `status ${response.status}`;
        } catch (error) {
          return `blocked: ${String(error)}`;
        }
      },
      { origin: server.origin, token: server.token },
    );
    expect(outcome).toMatch(/^blocked/);
    // Outside a browser nothing enforces CORS: the server's own Origin check refuses the call.
    const direct = await fetch(`${server.origin}/rpc/app.info`, {
      method: 'POST',
      headers: { origin: foreignOrigin, authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    expect(direct.status).toBe(403);
    await page.context().close();
  });

  it('refuses a rebinding host name that resolves to 127.0.0.1', async () => {
    const { page } = await openPage(browser);
    const port = new URL(server.origin).port;
    const response = await page.goto(`http://rebind.example:${port}/#token=${server.token}`);
    expect(response?.status()).toBe(403);
    expect(await page.innerText('body')).toContain('Host "rebind.example');
    const api = await page.evaluate(async (token) => {
      const r = await fetch('/rpc/app.info', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      return r.status;
    }, server.token);
    expect(api).toBe(403);
    await page.context().close();
  });

  it('works through the URL it printed, with the token kept out of the address bar', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(server.url);
    await page.getByRole('listbox', { name: 'Revisions' }).waitFor();
    expect(page.url()).toBe(`${server.origin}/`);
    await page.reload();
    await page.getByRole('listbox', { name: 'Revisions' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
