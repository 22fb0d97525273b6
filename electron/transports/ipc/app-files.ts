/**
 * What `app://stratum/…` answers (main registers it with `protocol.handle`): the built renderer
 * (`out/renderer`) with a strict Content-Security-Policy, never a file outside it. The desktop twin
 * of transports/http/static-files.ts, as a plain `Request → Response` function so it is tested
 * without Electron.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { rendererContentSecurityPolicy, rendererContentType } from '../renderer-assets.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/**
 * The desktop page's CSP: `connect-src 'self'` only, since the engine is reached over a
 * MessagePort, not HTTP or WebSocket.
 */
export function desktopContentSecurityPolicy(): string {
  return rendererContentSecurityPolicy();
}

/**
 * The answer to a request for `url` from the renderer folder `root`. Paths without an extension
 * get index.html (client-side routes); `..`, encoded separators and symlinks never leave `root`.
 */
export async function appFileResponse(url: string, root: string, method = 'GET'): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return plain(400, 'Bad request');
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return plain(404, 'Not found');
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed');
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return plain(400, 'Bad request');
  }
  if (relative.includes('\0')) return plain(400, 'Bad request');
  const realRoot = await realpath(root).catch(() => null);
  if (realRoot === null) return notBuilt(root);
  let file = await inside(realRoot, path.resolve(realRoot, `.${path.posix.normalize(relative)}`));
  if (file === undefined) return plain(404, 'Not found');
  if (file === null) {
    if (path.extname(relative) !== '') return plain(404, 'Not found');
    file = await inside(realRoot, path.join(realRoot, 'index.html'));
    if (file === null || file === undefined) return notBuilt(root);
  }
  const body = method === 'HEAD' ? null : new Uint8Array(await readFile(file));
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': rendererContentType(file),
      'content-security-policy': desktopContentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
  });
}

/** The real path of `file` when it is a file inside `root`; null when missing; undefined when outside. */
async function inside(root: string, file: string): Promise<string | null | undefined> {
  if (!within(root, file)) return undefined;
  const real = await realpath(file).catch(() => null);
  if (real === null) return null;
  if (!within(root, real)) return undefined;
  const info = await stat(real).catch(() => null);
  return info?.isFile() === true ? real : null;
}

function within(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

function notBuilt(root: string): Response {
  return plain(503, `The app is not built: ${root} has no index.html. Run \`npm run build\` first.`);
}

function plain(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}
