/** Serves the built renderer (`out/renderer`) with a strict Content-Security-Policy. */
import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { rendererContentSecurityPolicy, rendererContentType } from '../renderer-assets.ts';

/** The browser-mode CSP: the page may also open its WebSocket to this server. */
export function contentSecurityPolicy(port: number): string {
  return rendererContentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

/** Sends the file for `urlPath` from `root`; unknown paths without an extension get index.html. */
export function sendStatic(root: string, urlPath: string, res: ServerResponse, port: number): void {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    relative = '/';
  }
  let file = path.resolve(root, `.${path.posix.normalize(relative)}`);
  // Never outside the renderer folder, whatever `..` or encoded separators the path holds.
  if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
  if (isFile(file) === false) {
    if (path.extname(file) !== '') return notFound(res);
    file = path.join(root, 'index.html');
    if (!isFile(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The app is not built: ${root} has no index.html. Run \`npm run build\` first.\n`);
      return;
    }
  }
  res.writeHead(200, {
    'content-type': rendererContentType(file),
    'content-security-policy': contentSecurityPolicy(port),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  createReadStream(file).pipe(res);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}
