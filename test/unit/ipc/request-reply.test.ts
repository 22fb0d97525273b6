/**
 * Requests with answers between the worker and main (request-reply.ts), and the password vault
 * built on them: the worker's IpcPasswordVault against main's safeStorage handlers.
 */
import { describe, expect, it } from 'vitest';
import {
  IpcPasswordVault,
  safeStorageVaultHandlers,
  type SafeStorageLike,
} from '../../../electron/transports/ipc/password-vault-requests.ts';
import {
  answerRequest,
  RemoteError,
  RequestReplyClient,
  type RequestHandlers,
} from '../../../electron/transports/ipc/request-reply.ts';
import { toErrorPayload } from '../../../electron/commands/error-payload.ts';

/** A client wired to `handlers` through asynchronous "ports", as main and the worker are. */
function link(handlers: RequestHandlers): { client: RequestReplyClient; sent: unknown[] } {
  const sent: unknown[] = [];
  const client: RequestReplyClient = new RequestReplyClient((request) => {
    sent.push(request);
    setImmediate(
      () => void answerRequest(request, handlers, (reply) => setImmediate(() => client.accept(reply))),
    );
  });
  return { client, sent };
}

const keychain = (overrides: Partial<SafeStorageLike> = {}): SafeStorageLike => ({
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  encryptStringAsync: (text) => Promise.resolve(Buffer.from(`k1:${text}`).map((b) => b ^ 0x5a)),
  decryptStringAsync: (bytes) => {
    const text = Buffer.from(bytes.map((b) => b ^ 0x5a)).toString();
    if (!text.startsWith('k1:')) return Promise.reject(new Error('Error while decrypting the ciphertext'));
    return Promise.resolve({ result: text.slice(3) });
  },
  getSelectedStorageBackend: () => 'kwallet6',
  ...overrides,
});

describe('request-reply', () => {
  it('pairs answers with their requests by id, whatever order they come back in', async () => {
    const { client } = link({
      slow: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { echoed: input };
      },
      fast: (input) => ({ echoed: input }),
    });
    const [slow, fast] = await Promise.all([client.request('slow', 1), client.request('fast', 2)]);
    expect(slow).toEqual({ echoed: 1 });
    expect(fast).toEqual({ echoed: 2 });
  });

  it('rejects with the answering side’s code and details, which error envelopes keep', async () => {
    const failing = Object.assign(new Error('No keychain.'), {
      code: 'USAGE',
      details: { argument: 'password' },
    });
    const { client } = link({
      fail: () => {
        throw failing;
      },
    });
    const error = await client.request('fail', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(toErrorPayload(error)).toEqual({
      code: 'USAGE',
      message: 'No keychain.',
      details: { argument: 'password' },
    });
    await expect(client.request('nope', {})).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('leaves messages that are not replies to others, and fails waiting requests on failAll', async () => {
    const client = new RequestReplyClient(() => {});
    expect(client.accept({ kind: 'engine.port' })).toBe(false);
    expect(client.accept({ kind: 'reply', id: 99, result: { ok: true, value: 1 } })).toBe(true);
    const waiting = client.request('never', {});
    client.failAll('The engine worker stopped.');
    await expect(waiting).rejects.toThrow('The engine worker stopped.');
  });

  it('answers only well-formed requests', async () => {
    const replies: unknown[] = [];
    expect(await answerRequest({ kind: 'request', id: 0, method: 'x' }, {}, (r) => replies.push(r))).toBe(
      false,
    );
    expect(await answerRequest('request', {}, (r) => replies.push(r))).toBe(false);
    expect(replies).toEqual([]);
  });
});

describe('the password vault over safeStorage', () => {
  it('seals in main and opens again; the sealed value is base64 of the keychain’s bytes', async () => {
    const { client, sent } = link(safeStorageVaultHandlers(keychain(), 'darwin'));
    const vault = new IpcPasswordVault(client);
    expect(vault.storage).toBe('encrypted');
    const sealed = await vault.seal('s3cret pässword');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('s3cret');
    expect(await vault.open(sealed)).toBe('s3cret pässword');
    expect(sent).toHaveLength(2);
  });

  it('opens what another keychain sealed, or garbage, as null (the user types the password again)', async () => {
    const vault = new IpcPasswordVault(link(safeStorageVaultHandlers(keychain(), 'win32')).client);
    expect(await vault.open(Buffer.from('sealed elsewhere').toString('base64'))).toBeNull();
    expect(await vault.open('not base64!')).toBeNull();
  });

  it('refuses to seal without a keychain, and with Linux’s basic_text store (a built-in key)', async () => {
    const none = new IpcPasswordVault(
      link(
        safeStorageVaultHandlers(
          keychain({ isAsyncEncryptionAvailable: () => Promise.resolve(false) }),
          'darwin',
        ),
      ).client,
    );
    await expect(none.seal('pw')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/no keychain.*never stores passwords in plain text/),
    });
    const basic = new IpcPasswordVault(
      link(safeStorageVaultHandlers(keychain({ getSelectedStorageBackend: () => 'basic_text' }), 'linux'))
        .client,
    );
    await expect(basic.seal('pw')).rejects.toMatchObject({ message: expect.stringMatching(/no keyring/) });
  });
});
