/**
 * The native menu. File > Open Project… picks a folder and tells the page, which opens it through
 * the engine (`project.open`) like any other choice, so the page always knows what is open.
 */
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { DESKTOP_CHANNELS } from '../../shared/contract/desktop-channels.ts';

/** Sets the application menu; `focused` is the window the menu acts on. */
export function installAppMenu(focused: () => BrowserWindow | null): void {
  const isMac = process.platform === 'darwin';
  const openProject = async (): Promise<void> => {
    const window = focused();
    if (window === null) return;
    const choice = await dialog.showOpenDialog(window, {
      title: 'Open Project',
      buttonLabel: 'Open',
      properties: ['openDirectory'],
    });
    const folder = choice.filePaths[0];
    if (!choice.canceled && folder !== undefined && !window.isDestroyed()) {
      window.webContents.send(DESKTOP_CHANNELS.projectChosen, folder);
    }
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void openProject() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged
          ? []
          : ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
