/**
 * The engine worker without Electron: a fake `parentPort` plays main (init, ports, and the
 * `safeStorage` answers through the real vault handlers over a fake keychain), and Node
 * `MessageChannel`s play the engine ports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENGINE_PORT_MESSAGE,
  startEngineWorker,
  type EngineWorker,
  type ParentPortLike,
} from '../../../electron/transports/ipc/engine-worker-host.ts';
import {
  fromNodeMessagePort,
  type MessagePortLike,
} from '../../../electron/transports/ipc/message-port-like.ts';
import {
  safeStorageVaultHandlers,
  type SafeStorageLike,
} from '../../../electron/transports/ipc/password-vault-requests.ts';
import { answerRequest } from '../../../electron/transports/ipc/request-reply.ts';
import { DEMO_SOURCE, PortClient, tempDataDir, valueOf } from './port-client.ts';

/** A keychain stand-in: reversible, and visibly not the plain text. */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isAsyncEncryptionAvailable: () => Promise.resolve(available),
    encryptStringAsync: (text) => Promise.resolve(Buffer.from(`sealed:${[...text].reverse().join('')}`)),
    decryptStringAsync: (bytes) => {
      const text = bytes.toString();
      if (!text.startsWith('sealed:')) return Promise.reject(new Error('Error while decrypting'));
      return Promise.resolve({ result: [...text.slice(7)].reverse().join('') });
    },
    getSelectedStorageBackend: () => backend,
  };
}

/** Main's end of the worker's parent port. */
class FakeParent implements ParentPortLike {
  readonly fromWorker: unknown[] = [];
  #listener: ((event: { data: unknown; ports: readonly MessagePortLike[] }) => void) | null = null;
  #safeStorage: SafeStorageLike;

  constructor(safeStorage: SafeStorageLike) {
    this.#safeStorage = safeStorage;
  }

  on(_event: 'message', listener: (event: { data: unknown; ports: readonly MessagePortLike[] }) => void) {
    this.#listener = listener;
    return this;
  }

  /** The worker → main direction: main answers vault requests as main.ts does. */
  postMessage(message: unknown): void {
    this.fromWorker.push(message);
    const handlers = safeStorageVaultHandlers(this.#safeStorage, 'linux');
    setImmediate(() => void answerRequest(message, handlers, (reply) => this.send(reply)));
  }

  /** The main → worker direction. */
  send(data: unknown, ports: readonly MessagePortLike[] = []): void {
    setImmediate(() => this.#listener?.({ data, ports }));
  }
}

let data: ReturnType<typeof tempDataDir>;
let worker: EngineWorker | null;
let channels: MessageChannel[];
let logged: string[];

beforeEach(() => {
  data = tempDataDir();
  worker = null;
  channels = [];
  logged = [];
});

afterEach(() => {
  worker?.close();
  for (const c of channels) c.port2.close();
  data.remove();
});

function start(safeStorage = fakeSafeStorage(true)): FakeParent {
  const parent = new FakeParent(safeStorage);
  worker = startEngineWorker(parent, { env: { STRATUM_DATA_DIR: data.dir }, log: (m) => logged.push(m) });
  return parent;
}

function connect(parent: FakeParent): PortClient {
  const channel = new MessageChannel();
  channels.push(channel);
  parent.send(ENGINE_PORT_MESSAGE, [fromNodeMessagePort(channel.port1)]);
  return new PortClient(channel.port2);
}

const init = (dataDir: string, project: string | null = null) => ({
  kind: 'init',
  dataDir,
  demoSource: DEMO_SOURCE,
  project,
});

describe('the engine worker', () => {
  it('serves ports that arrive before init once init arrives, on the demo in the data folder', async () => {
    const parent = start();
    const early = connect(parent);
    const pending = early.call('app.info');
    parent.send(init(data.dir));
    const info = valueOf<{ mode: string; project: { root: string } }>(await pending);
    expect(info.mode).toBe('desktop');
    expect(info.project.root).toBe(path.join(data.dir, 'demo'));
  });

  it('serves one port per page, each independently', async () => {
    const parent = start();
    parent.send(init(data.dir));
    const first = connect(parent);
    const second = connect(parent);
    expect(valueOf(await first.call('app.info'))).toHaveProperty('mode', 'desktop');
    expect(valueOf(await second.call('revisions.list'))).toHaveProperty('nodes');
  });

  it('falls back to the demo when the project main names has no stratum.json', async () => {
    const parent = start();
    parent.send(init(data.dir, data.dir));
    const info = valueOf<{ project: { root: string } }>(await connect(parent).call('app.info'));
    expect(info.project.root).toBe(path.join(data.dir, 'demo'));
    expect(logged.some((m) => m.startsWith(`Cannot open ${data.dir}`))).toBe(true);
  });

  it('ignores messages it does not know, and a second init', async () => {
    const parent = start();
    parent.send({ kind: 'shutdown' });
    parent.send(init(data.dir));
    parent.send(init(path.join(data.dir, 'other')));
    const info = valueOf<{ project: { root: string } }>(await connect(parent).call('app.info'));
    expect(info.project.root).toBe(path.join(data.dir, 'demo'));
    expect(logged).toContain('Ignored a message from main (kind: shutdown).');
    expect(logged).toContain('Ignored a second init from main.');
  });

  it('seals saved passwords through main: never plain text on disk', async () => {
    const parent = start();
    parent.send(init(data.dir));
    const client = connect(parent);
    await client.call('app.info');
    const saved = valueOf<{ id: string; passwordStorage: string }>(
      await client.call('connections.save', {
        name: 'staging',
        url: 'sqlite:./staging.db',
        tag: 'staging',
        password: 'hunter2-secret',
      }),
    );
    expect(saved.passwordStorage).toBe('encrypted');
    expect(parent.fromWorker).toContainEqual(
      expect.objectContaining({
        kind: 'request',
        method: 'vault.seal',
        input: { password: 'hunter2-secret' },
      }),
    );
    const file = readFileSync(path.join(data.dir, 'connections.json'), 'utf8');
    expect(file).not.toContain('hunter2-secret');
    expect(file).toContain(Buffer.from('sealed:terces-2retnuh').toString('base64'));
  });

  it('refuses to save a password when the system has no keychain, with what to do instead', async () => {
    const parent = start(fakeSafeStorage(false));
    parent.send(init(data.dir));
    const client = connect(parent);
    await client.call('app.info');
    const result = await client.call('connections.save', {
      name: 'staging',
      url: 'sqlite:./staging.db',
      tag: 'staging',
      password: 'hunter2-secret',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'USAGE', details: { argument: 'password' } } });
    if (result.ok) return;
    expect(result.error.message).toMatch(/never stores passwords in plain text/);
    expect(() => readFileSync(path.join(data.dir, 'connections.json'), 'utf8')).toThrow();
  });
});
