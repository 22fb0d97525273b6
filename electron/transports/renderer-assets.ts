/**
 * What both app transports send with the built renderer (`out/renderer`): content types and the
 * Content-Security-Policy. `stratum serve` (http/static-files.ts) and the desktop's `app://`
 * protocol (ipc/app-files.ts) differ only in where the page may connect.
 */
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The content type of a renderer file, by extension. */
export function rendererContentType(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/**
 * The page's CSP (reference/stack.md §2): Monaco needs `img-src data:` and `worker-src blob:`;
 * inline styles are React's `style` props. No remote origin is allowed anywhere; `connectSrc`
 * lists where the page may connect besides itself (browser mode's WebSocket).
 */
export function rendererContentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "worker-src 'self' blob:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}
