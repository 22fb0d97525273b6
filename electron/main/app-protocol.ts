/**
 * The `app://` scheme the renderer is served from (reference/stack.md §2: a custom protocol, not
 * `file://`). Privileged like https (standard, secure, fetch) so the page gets a real origin and
 * its CSP applies; the files and headers come from transports/ipc/app-files.ts.
 */
import { protocol } from 'electron';
import { appFileResponse } from '../transports/ipc/app-files.ts';
import { APP_SCHEME } from '../transports/ipc/app-origin.ts';

/** Declares the scheme's privileges. Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves `root` (the built renderer) on the scheme, for the default session. */
export function serveAppScheme(root: string): void {
  protocol.handle(APP_SCHEME, (request) => appFileResponse(request.url, root, request.method));
}
