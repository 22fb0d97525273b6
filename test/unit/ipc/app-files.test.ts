/**
 * What `app://stratum/` serves (app-files.ts) and which URLs count as ours or as safe to open in
 * the browser (app-origin.ts): the renderer folder only, with the desktop CSP.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFileResponse, desktopContentSecurityPolicy } from '../../../electron/transports/ipc/app-files.ts';
import { externalUrl, isAppUrl } from '../../../electron/transports/ipc/app-origin.ts';
import { tempDataDir } from './port-client.ts';

let temp: ReturnType<typeof tempDataDir>;
let root: string;

beforeAll(() => {
  temp = tempDataDir();
  root = path.join(temp.dir, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Stratum</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(temp.dir, 'secret.txt'), 'top secret');
  symlinkSync(path.join(temp.dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});

afterAll(() => temp.remove());

describe('app:// files', () => {
  it('serves index.html with the desktop CSP and no-sniff', async () => {
    const res = await appFileResponse('app://stratum/index.html', root);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(desktopContentSecurityPolicy());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Stratum</title>');
  });

  it('serves scripts as JavaScript (module scripts need it)', async () => {
    const res = await appFileResponse('app://stratum/assets/index-abc.js?v=1', root);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers client-side routes with index.html, and missing files with 404', async () => {
    expect(await (await appFileResponse('app://stratum/revisions/abc', root)).text()).toContain('Stratum');
    expect((await appFileResponse('app://stratum/assets/missing.js', root)).status).toBe(404);
  });

  it.each([
    'app://stratum/%2e%2e/secret.txt',
    'app://stratum/..%2fsecret.txt',
    'app://stratum/assets/..%2f..%2fsecret.txt',
    'app://stratum/%2e%2e%5csecret.txt',
    'app://stratum/assets/link.txt',
  ])('never leaves the renderer folder: %s', async (url) => {
    const res = await appFileResponse(url, root);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('top secret');
  });

  it('refuses other hosts, bad encodings and writes', async () => {
    expect((await appFileResponse('app://other/index.html', root)).status).toBe(404);
    expect((await appFileResponse('app://stratum/%E0%A4%A', root)).status).toBe(400);
    expect((await appFileResponse('app://stratum/a%00.js', root)).status).toBe(400);
    expect((await appFileResponse('app://stratum/index.html', root, 'POST')).status).toBe(405);
  });

  it('says to build when the renderer is missing', async () => {
    const res = await appFileResponse('app://stratum/', path.join(temp.dir, 'missing'));
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });

  it('lets the page reach nothing but itself', () => {
    const csp = desktopContentSecurityPolicy();
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/ws:|http:|https:|\*/);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("script-src 'self';");
  });
});

describe('app origin', () => {
  it.each([
    ['app://stratum/index.html', true],
    ['app://stratum/', true],
    // Chromium canonicalizes a standard scheme's host to lower case; anything else is not ours.
    ['app://STRATUM/index.html', false],
    ['app://stratum.evil/index.html', false],
    ['app://a@stratum/', false],
    ['file:///index.html', false],
    ['https://stratum/', false],
    ['not a url', false],
  ])('%s is ours: %s', (url, ours) => {
    expect(isAppUrl(url)).toBe(ours);
  });

  it.each([
    ['https://github.com/stratum/issues', 'https://github.com/stratum/issues'],
    ['http://localhost:8080/', 'http://localhost:8080/'],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['smb://host/share', null],
    ['https://user:pw@example.com/', null],
    ['app://stratum/index.html', null],
    ['nonsense', null],
  ])('opens %s in the browser as %s', (url, expected) => {
    expect(externalUrl(url)).toBe(expected);
  });
});
