/**
 * Connections the user saved in the app, per project folder, in `<data>/connections.json`
 * (DESIGN.md §7). URLs are stored without passwords; a password is sealed by a
 * {@link PasswordVault} and never returned to the renderer.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { EnvironmentTag } from '../../shared/model/dialect.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import type { PasswordVault } from './password-vault.ts';

/** One saved connection as stored. */
export interface SavedConnection {
  readonly id: string;
  /** The project folder the connection belongs to: a connection never shows up in another project. */
  readonly project: string;
  readonly name: string;
  /** The URL without a password. */
  readonly url: string;
  readonly tag: EnvironmentTag;
  /** The sealed password and which kind of vault sealed it; null when none is saved. */
  readonly secret: { readonly storage: 'encrypted' | 'session'; readonly sealed: string } | null;
}

interface StoreFile {
  readonly version: 1;
  readonly connections: SavedConnection[];
}

/** What {@link ConnectionStore.save} takes. */
export interface ConnectionInput {
  readonly id?: string | undefined;
  readonly name: string;
  readonly url: string;
  readonly tag: EnvironmentTag;
  /** A new password; null removes it; undefined keeps the saved one. */
  readonly password?: string | null | undefined;
}

/** Saved connections, read from and written to the data folder on every call (no stale copies). */
export class ConnectionStore {
  readonly #file: string;
  readonly #vault: PasswordVault;

  constructor(dataDir: string, vault: PasswordVault) {
    this.#file = path.join(dataDir, 'connections.json');
    this.#vault = vault;
  }

  /** How this store keeps new passwords. */
  get storage(): 'encrypted' | 'session' {
    return this.#vault.storage;
  }

  /** The connections of `project`, in the order they were added. */
  list(project: string): SavedConnection[] {
    return this.#read().connections.filter((c) => c.project === project);
  }

  /** One connection of `project`, or undefined. */
  get(project: string, id: string): SavedConnection | undefined {
    return this.list(project).find((c) => c.id === id);
  }

  /** Creates or updates a connection of `project`; returns what was stored. */
  async save(project: string, input: ConnectionInput): Promise<SavedConnection> {
    const sealed =
      input.password === undefined || input.password === null || input.password === ''
        ? null
        : { storage: this.#vault.storage, sealed: await this.#vault.seal(input.password) };
    // Read, change and write with no `await` in between: a save that overlapped this one (two
    // requests, two windows) would otherwise be overwritten by this one's stale copy of the file.
    const file = this.#read();
    const existing =
      input.id === undefined
        ? undefined
        : file.connections.find((c) => c.id === input.id && c.project === project);
    const secret = input.password === undefined ? (existing?.secret ?? null) : sealed;
    const saved: SavedConnection = {
      id: existing?.id ?? `c_${randomBytes(6).toString('hex')}`,
      project,
      name: input.name,
      url: input.url,
      tag: input.tag,
      secret,
    };
    const connections = existing
      ? file.connections.map((c) => (c === existing ? saved : c))
      : [...file.connections, saved];
    writeJsonFile(this.#file, { version: 1, connections } satisfies StoreFile);
    return saved;
  }

  /** Deletes a connection; false when `project` has no connection `id`. */
  delete(project: string, id: string): boolean {
    const file = this.#read();
    const connections = file.connections.filter((c) => !(c.project === project && c.id === id));
    if (connections.length === file.connections.length) return false;
    writeJsonFile(this.#file, { version: 1, connections } satisfies StoreFile);
    return true;
  }

  /** The saved password of a connection, or null (none saved, or sealed by another kind of vault). */
  async password(connection: SavedConnection): Promise<string | null> {
    if (connection.secret === null || connection.secret.storage !== this.#vault.storage) return null;
    return this.#vault.open(connection.secret.sealed);
  }

  #read(): StoreFile {
    const value = readJsonFile<Partial<StoreFile>>(this.#file, { version: 1, connections: [] });
    return { version: 1, connections: Array.isArray(value.connections) ? value.connections : [] };
  }
}
