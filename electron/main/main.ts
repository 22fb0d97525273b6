/**
 * The desktop app's main process: lifecycle, windows and the menu only (STYLE.md §A). The engine
 * runs in a utility process per window (engine-worker-process.ts), reached by the page over a
 * MessagePort; main serves the renderer from `app://stratum/`, locks every page down and answers
 * the one IPC channel (a page asking for its engine port) after checking who asks.
 */
import { app, BrowserWindow, dialog, session } from 'electron';
import { registerIpcMainChannels } from '../transports/ipc/ipc-main-channels.ts';
import { appLocations, type AppLocations } from './app-locations.ts';
import { installAppMenu } from './app-menu.ts';
import { registerAppScheme, serveAppScheme } from './app-protocol.ts';
import { EngineWorkerProcess } from './engine-worker-process.ts';
import { hardenSession, hardenWebContents } from './web-hardening.ts';
import { createMainWindow } from './window.ts';

const log = (message: string): void => console.error(`[main] ${message}`);
/** Our windows by their webContents id: the only senders safe-handle lets through. */
const windows = new Map<number, { readonly window: BrowserWindow; readonly engine: EngineWorkerProcess }>();

// Before `ready`, synchronously (reference: Electron's ESM notes): privileges cannot change later.
registerAppScheme();

// One instance: two would share the data folder (saved connections, the demo database).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const first = windows.values().next().value?.window;
    if (first === undefined) return;
    if (first.isMinimized()) first.restore();
    first.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(start);
}

function start(): void {
  const locations = appLocations();
  hardenSession(session.defaultSession);
  serveAppScheme(locations.renderer);
  registerIpcMainChannels({
    isOurWebContents: (id) => windows.has(id),
    log,
    connectEngine: (sender) => windows.get(sender.id)?.engine.connect(sender),
  });
  installAppMenu(() => BrowserWindow.getFocusedWindow() ?? windows.values().next().value?.window ?? null);
  openWindow(locations);
  app.on('activate', () => {
    if (windows.size === 0) openWindow(locations);
  });
}

function openWindow(locations: AppLocations): void {
  const window = createMainWindow(locations.preload);
  const id = window.webContents.id;
  const engine = new EngineWorkerProcess({
    entry: locations.worker,
    init: {
      kind: 'init',
      // STRATUM_DATA_DIR overrides the data folder as it does for the CLI (tests, portable installs).
      dataDir: process.env.STRATUM_DATA_DIR || app.getPath('userData'),
      demoSource: locations.demoSource,
      project: null,
    },
    log,
    onCrash: (code) => void engineCrashed(window, code),
  });
  windows.set(id, { window, engine });
  window.on('closed', () => {
    windows.delete(id);
    engine.stop();
  });
}

async function engineCrashed(window: BrowserWindow, code: number): Promise<void> {
  if (window.isDestroyed()) return;
  const { response } = await dialog.showMessageBox(window, {
    type: 'error',
    message: 'The Stratum engine stopped unexpectedly.',
    detail:
      `It exited with code ${code}. Reload to start it again. A run that was in progress may have ` +
      'left a revision dirty; the app shows it after the reload.',
    buttons: ['Reload', 'Close Window'],
    defaultId: 0,
    cancelId: 1,
  });
  if (window.isDestroyed()) return;
  if (response === 0) window.webContents.reload();
  else window.close();
}
