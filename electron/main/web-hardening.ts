/**
 * What every web page of the app may not do (Electron's security checklist): navigate away from
 * `app://stratum/`, open windows, attach webviews, or get any permission. Links to the web open
 * in the user's browser, and only http(s) ones.
 */
import { shell, type Session, type WebContents } from 'electron';
import { externalUrl, isAppUrl } from '../transports/ipc/app-origin.ts';

/** Locks down `contents` (every webContents the app creates, see main.ts). */
export function hardenWebContents(contents: WebContents, log: (message: string) => void): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`Blocked navigation to ${event.url.slice(0, 200)}.`);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`Blocked a redirect to ${event.url.slice(0, 200)}.`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>.');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrl(url);
    if (external === null) log(`Blocked opening ${url.slice(0, 200)}.`);
    else void shell.openExternal(external);
    return { action: 'deny' };
  });
}

/**
 * Denies every permission request and check (camera, notifications, clipboard…) in `session`. The
 * renderer uses none today; a "copy to clipboard" button would need `clipboard-sanitized-write`
 * granted here for `app://stratum` pages only.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
