/**
 * The one wrapper for `ipcMain` channels (STYLE.md §E.2; GitHub Desktop's `safeListener`, Electron
 * security checklist #17): before a handler runs, the sender must be the main frame of one of our
 * windows showing an `app://stratum/` page, and the input must pass the channel's schema. A refusal
 * is logged and answered with an error envelope; the handler never sees it.
 *
 * Written against structural types, so it is tested with plain objects; main hands it the real
 * `ipcMain` (ipc-main-channels.ts).
 */
import type { z } from 'zod';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import { toErrorPayload } from '../../commands/error-payload.ts';
import { isAppUrl } from './app-origin.ts';

/** Electron's `IpcMainInvokeEvent`, reduced to what the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null once the frame navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** Electron's `ipcMain`, reduced to `handle`. */
export interface IpcMainLike<E extends InvokeEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
}

/** What the wrapper needs to know about the app. */
export interface SafeHandleOptions {
  /** Whether `id` is the `webContents` of one of our windows (not devtools, not another view). */
  readonly isOurWebContents: (id: number) => boolean;
  readonly log: (message: string) => void;
}

/** Why `event` may not use our channels, or null when it may. */
export function senderRefusal(
  event: InvokeEventLike,
  isOurWebContents: (id: number) => boolean,
): string | null {
  if (!isOurWebContents(event.sender.id)) return `webContents ${event.sender.id} is not one of our windows`;
  const frame = event.senderFrame;
  if (frame === null) return 'the sending frame is gone';
  if (frame.parent !== null) return 'the sender is a subframe';
  if (!isAppUrl(frame.url)) return `the sending page ${JSON.stringify(frame.url.slice(0, 200))} is not ours`;
  return null;
}

/**
 * Registers `handler` for `channel` on `ipc`: sender checked, input (the one argument) validated
 * with `schema`, the answer wrapped in an envelope. Never rejects: a throwing handler is answered
 * with its error's envelope too (Electron would keep only its message).
 */
export function safeHandle<E extends InvokeEventLike, S extends z.ZodType, R>(
  ipc: IpcMainLike<E>,
  channel: string,
  schema: S,
  handler: (input: z.output<S>, event: E) => Promise<R> | R,
  options: SafeHandleOptions,
): void {
  ipc.handle(channel, async (event, ...args): Promise<EngineResult<R>> => {
    const refusal = senderRefusal(event, options.isOurWebContents);
    if (refusal !== null) {
      options.log(`Refused ${channel}: ${refusal}.`);
      return failure('USAGE', `${channel} is only available to Stratum's own windows.`, {
        argument: channel,
      });
    }
    const parsed = args.length > 1 ? null : schema.safeParse(args[0]);
    if (parsed === null || !parsed.success) {
      const issues =
        parsed === null
          ? [{ path: '', message: 'Expected one argument.' }]
          : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      options.log(`Refused ${channel}: invalid input (${issues[0]?.message ?? 'invalid'}).`);
      return failure('INVALID_INPUT', `Invalid input for ${channel}.`, { method: channel, issues });
    }
    try {
      return { ok: true, value: await handler(parsed.data, event) };
    } catch (error) {
      options.log(`${channel} failed: ${(error as Error)?.stack ?? String(error)}`);
      return { ok: false, error: toErrorPayload(error) };
    }
  });
}

function failure(code: string, message: string, details: Record<string, unknown>): EngineResult<never> {
  return { ok: false, error: { code, message, details } };
}
