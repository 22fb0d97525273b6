/**
 * Every `ipcMain` channel of the desktop app, each behind {@link safeHandle} (STYLE.md §B: raw
 * `ipcMain` is imported here and nowhere else in main). There is one: the preload asks for its
 * engine port. Contract calls never come through main; they go over that port to the worker.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { z } from 'zod';
import { DESKTOP_CHANNELS } from '../../../shared/contract/desktop-channels.ts';
import { safeHandle, type SafeHandleOptions } from './safe-handle.ts';

/** What main does for the channels. */
export interface IpcMainChannelOptions extends SafeHandleOptions {
  /** Sends `sender` a fresh port to the engine worker (on `engine.port`). */
  readonly connectEngine: (sender: WebContents) => void;
}

/** Registers the channels on `ipcMain`; call once, after `app` is ready. */
export function registerIpcMainChannels(options: IpcMainChannelOptions): void {
  safeHandle<IpcMainInvokeEvent, z.ZodType<Record<string, never>>, Record<string, never>>(
    ipcMain,
    DESKTOP_CHANNELS.engineConnect,
    z.strictObject({}),
    (_input, event) => {
      options.connectEngine(event.sender);
      return {};
    },
    options,
  );
}
