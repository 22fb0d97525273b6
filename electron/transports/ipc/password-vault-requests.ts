/**
 * Saved connection passwords in the desktop app (DESIGN.md §7): the engine worker holds a
 * {@link IpcPasswordVault} that asks main to seal and open them, and main answers with
 * {@link safeStorageVaultHandlers} over Electron's `safeStorage` (the OS keychain), which exists in
 * the main process only. Nothing is ever written in plain text: without a real keychain, saving a
 * password is refused.
 */
import { z } from 'zod';
import type { PasswordVault } from '../../commands/app/open-app-session.ts';
import type { RequestHandlers, RequestReplyClient } from './request-reply.ts';

/** The request names on the worker → main link. */
export const VAULT_REQUESTS = { seal: 'vault.seal', open: 'vault.open' } as const;

const sealInput = z.strictObject({ password: z.string().max(1000) });
const openInput = z.strictObject({ sealed: z.string().max(16_384) });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A vault whose sealing happens in main, with `safeStorage`. */
export class IpcPasswordVault implements PasswordVault {
  readonly storage = 'encrypted' as const;
  readonly #client: Pick<RequestReplyClient, 'request'>;

  constructor(client: Pick<RequestReplyClient, 'request'>) {
    this.#client = client;
  }

  async seal(password: string): Promise<string> {
    const sealed = await this.#client.request(VAULT_REQUESTS.seal, { password });
    if (typeof sealed !== 'string') throw new Error('The password store answered without a sealed value.');
    return sealed;
  }

  async open(sealed: string): Promise<string | null> {
    const password = await this.#client.request(VAULT_REQUESTS.open, { sealed });
    return typeof password === 'string' ? password : null;
  }
}

/** Electron's `safeStorage`, reduced to what the vault uses (the async API: the sync one is deprecated). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Uint8Array>;
  decryptStringAsync(encrypted: Buffer): Promise<{ readonly result: string }>;
  /** Linux only: which keyring backs the encryption. */
  getSelectedStorageBackend(): string;
}

/** Saving a password was refused: there is no keychain to encrypt it with. */
export class PasswordStorageUnavailableError extends Error {
  readonly code = 'USAGE';
  readonly details = { argument: 'password' };

  constructor(reason: string) {
    super(
      `Stratum cannot save this password: ${reason}, and it never stores passwords in plain text. ` +
        'Save the connection without a password and put it in the URL as ${VARIABLE}, or in ~/.pgpass / ~/.my.cnf.',
    );
    this.name = 'PasswordStorageUnavailableError';
  }
}

/**
 * Main's answers to the vault requests, over `safeStorage`. `platform` is `process.platform`:
 * on Linux the `basic_text` backend encrypts with a key built into Chromium, which is plain text
 * in all but name, so it is refused like a missing keychain.
 */
export function safeStorageVaultHandlers(safeStorage: SafeStorageLike, platform: string): RequestHandlers {
  return {
    [VAULT_REQUESTS.seal]: async (input) => {
      const { password } = sealInput.parse(input);
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        throw new PasswordStorageUnavailableError('this system offers no keychain to encrypt it with');
      }
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        throw new PasswordStorageUnavailableError(
          'no keyring (GNOME Keyring or KWallet) is running in this desktop session',
        );
      }
      return Buffer.from(await safeStorage.encryptStringAsync(password)).toString('base64');
    },
    [VAULT_REQUESTS.open]: async (input) => {
      const { sealed } = openInput.parse(input);
      if (!BASE64.test(sealed)) return null;
      try {
        return (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result;
      } catch {
        // Sealed by another keychain (another machine or user): the user types the password again.
        return null;
      }
    },
  };
}
