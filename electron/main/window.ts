/** The app's window: isolated, sandboxed, no Node, loading the renderer from `app://stratum/`. */
import { BrowserWindow, dialog } from 'electron';
import { APP_START_URL } from '../transports/ipc/app-origin.ts';

/** Opens a window on the renderer, with `preload` as its only bridge (STYLE.md §E.1). */
export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 520,
    title: 'Stratum',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links in a new window; setWindowOpenHandler denies those anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  // The page cancels unload while the editor holds unsaved text; Electron then closes nothing and
  // asks nobody, so the question is asked here (Electron docs, 'will-prevent-unload').
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Keep editing', 'Discard changes and close'],
      defaultId: 0,
      cancelId: 0,
      title: 'Unsaved changes',
      message: 'The migration editor has changes that are not saved.',
      detail: 'Keep editing to save them (Ctrl+S), or discard them and close.',
    });
    if (choice === 1) event.preventDefault();
  });
  void window.loadURL(APP_START_URL);
  return window;
}
