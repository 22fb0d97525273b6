/**
 * Where the desktop renderer lives: pages are served from the privileged custom scheme
 * `app://stratum/` (reference/stack.md §2: a custom protocol instead of `file://`, which would give
 * every local file the page's origin). Everything that trusts a page checks its URL against this.
 */

/** The custom scheme the renderer is served from. */
export const APP_SCHEME = 'app';
/** The one host of {@link APP_SCHEME}. */
export const APP_HOST = 'stratum';
/** The renderer's origin. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page a window loads. */
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** Whether `url` is a page of the app (same scheme and host; no credentials, no port). */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * The URL to hand to the system browser for a link the page tried to open, or null to drop it:
 * only http(s) URLs without credentials (no `file:`, `smb:`, custom handlers or `javascript:`).
 */
export function externalUrl(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed === null) return null;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
