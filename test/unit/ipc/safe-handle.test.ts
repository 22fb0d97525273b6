/**
 * The one wrapper for ipcMain channels (STYLE.md §E.2), with plain objects for `ipcMain` and its
 * events: who may call, what they may send, and that every refusal is logged and answered.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  safeHandle,
  senderRefusal,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../electron/transports/ipc/safe-handle.ts';

const OUR_WINDOW = 1;
const DEVTOOLS = 2;

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike<InvokeEventLike> {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(channel)!(event, ...args);
  }
}

const event = (url: string, senderId = OUR_WINDOW, parent: unknown = null): InvokeEventLike => ({
  sender: { id: senderId },
  senderFrame: { url, parent },
});

let ipc: FakeIpcMain;
let calls: unknown[];
let logged: string[];

beforeEach(() => {
  ipc = new FakeIpcMain();
  calls = [];
  logged = [];
  safeHandle(
    ipc,
    'folder.reveal',
    z.strictObject({ path: z.string().min(1) }),
    (input) => {
      calls.push(input);
      return { revealed: input.path };
    },
    { isOurWebContents: (id) => id === OUR_WINDOW, log: (m) => logged.push(m) },
  );
});

describe('safeHandle', () => {
  it('passes a valid call from our page to the handler and wraps its answer', async () => {
    const answer = await ipc.invoke('folder.reveal', event('app://stratum/index.html'), { path: '/tmp/p' });
    expect(answer).toEqual({ ok: true, value: { revealed: '/tmp/p' } });
    expect(calls).toEqual([{ path: '/tmp/p' }]);
    expect(logged).toEqual([]);
  });

  it.each([
    ['a foreign web page', 'https://evil.example/app'],
    ['file://', 'file:///home/user/out/renderer/index.html'],
    ['another host on our scheme', 'app://evil/index.html'],
    ['credentials in the URL', 'app://user:pw@stratum/index.html'],
    ['a lookalike host', 'app://stratum.evil.example/index.html'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['an empty URL (before the first load)', ''],
  ])('refuses %s', async (_what, url) => {
    const answer = await ipc.invoke('folder.reveal', event(url), { path: '/tmp/p' });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'USAGE', details: { argument: 'folder.reveal' } },
    });
    expect(calls).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^Refused folder\.reveal: the sending page .* is not ours\.$/);
  });

  it('refuses devtools and any other webContents, even showing our URL', async () => {
    const answer = await ipc.invoke('folder.reveal', event('app://stratum/index.html', DEVTOOLS), {
      path: '/x',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(logged).toEqual(['Refused folder.reveal: webContents 2 is not one of our windows.']);
    expect(calls).toEqual([]);
  });

  it('refuses subframes and frames that are gone', async () => {
    await ipc.invoke('folder.reveal', event('app://stratum/index.html', OUR_WINDOW, {}), { path: '/x' });
    await ipc.invoke('folder.reveal', { sender: { id: OUR_WINDOW }, senderFrame: null }, { path: '/x' });
    expect(logged).toEqual([
      'Refused folder.reveal: the sender is a subframe.',
      'Refused folder.reveal: the sending frame is gone.',
    ]);
    expect(calls).toEqual([]);
  });

  it.each([
    ['a wrong type', { path: 42 }],
    ['an unknown key', { path: '/x', shell: 'rm -rf /' }],
    ['no argument', undefined],
    ['a string', '/x'],
  ])('refuses invalid input: %s', async (_what, input) => {
    const answer = await ipc.invoke('folder.reveal', event('app://stratum/index.html'), input);
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', details: { method: 'folder.reveal' } },
    });
    expect(calls).toEqual([]);
    expect(logged[0]).toMatch(/^Refused folder\.reveal: invalid input/);
  });

  it('refuses extra arguments', async () => {
    const answer = await ipc.invoke('folder.reveal', event('app://stratum/'), { path: '/x' }, 'extra');
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('answers a throwing handler with its error envelope, keeping the code', async () => {
    safeHandle(
      ipc,
      'boom',
      z.strictObject({}),
      () => {
        throw Object.assign(new Error('Nope.'), { code: 'CONNECTION_NOT_FOUND', details: { id: 'c1' } });
      },
      { isOurWebContents: () => true, log: (m) => logged.push(m) },
    );
    expect(await ipc.invoke('boom', event('app://stratum/index.html'), {})).toEqual({
      ok: false,
      error: { code: 'CONNECTION_NOT_FOUND', message: 'Nope.', details: { id: 'c1' } },
    });
  });

  it('explains every refusal reason with senderRefusal', () => {
    const ours = (id: number) => id === OUR_WINDOW;
    expect(senderRefusal(event('app://stratum/deep/route?x=1#y'), ours)).toBeNull();
    expect(senderRefusal(event('app://stratum/index.html', 3), ours)).toMatch(/not one of our windows/);
  });
});
