/**
 * Where saved connection passwords go (DESIGN.md §7). Never plain text on disk: the desktop app
 * seals them with Electron's `safeStorage` (the OS keychain) through a vault the worker gets from
 * main; `stratum serve` keeps them in memory for the session only.
 */
import { randomBytes } from 'node:crypto';

/** Seals passwords for the connection store. */
export interface PasswordVault {
  /** `encrypted`: sealed blobs can be written to disk. `session`: handles valid until the process ends. */
  readonly storage: 'encrypted' | 'session';
  /** Seals a password; the result is safe to write to the connections file. */
  seal(password: string): Promise<string>;
  /** The password behind a sealed value, or null when this vault cannot open it (another session). */
  open(sealed: string): Promise<string | null>;
}

/** A vault that keeps passwords in this process's memory only (browser mode, tests). */
export class SessionPasswordVault implements PasswordVault {
  readonly storage = 'session' as const;
  readonly #passwords = new Map<string, string>();

  seal(password: string): Promise<string> {
    const handle = `session:${randomBytes(12).toString('hex')}`;
    this.#passwords.set(handle, password);
    return Promise.resolve(handle);
  }

  open(sealed: string): Promise<string | null> {
    return Promise.resolve(this.#passwords.get(sealed) ?? null);
  }
}
