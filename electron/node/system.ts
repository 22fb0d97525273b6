/**
 * The Node implementations of the engine's injected services (ports.ts): hashing, time, ids and
 * who is running, plus the tool's version.
 */
import { createHash, randomBytes as cryptoRandomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, Hasher, IdSource, RunIdentity } from '../engine/ports.ts';

/** SHA-256 over the UTF-8 bytes of a text, as lowercase hex (node:crypto). */
export const nodeHasher: Hasher = {
  sha256Hex(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
  },
};

/** The wall clock. */
export const systemClock: Clock = {
  now(): Date {
    return new Date();
  },
};

/** Random v4 UUIDs for run and step ids. */
export const randomIds: IdSource = {
  newId(): string {
    return randomUUID();
  },
};

/** `n` cryptographically random bytes (revision ids, tokens). */
export function randomBytes(n: number): Uint8Array {
  return new Uint8Array(cryptoRandomBytes(n));
}

/**
 * Who is running this process, for journal rows and lock holders. Each part is null when the OS
 * will not say: `os.userInfo()` throws for a uid without a passwd entry (common in containers).
 */
export function runIdentity(toolVersion: string): RunIdentity {
  return {
    osUser: attempt(() => os.userInfo().username || null),
    host: attempt(() => os.hostname() || null),
    pid: process.pid,
    toolVersion,
  };
}

/**
 * Finds the version in the `package.json` named `stratum` at or above `startDir`. Walking up
 * (rather than a fixed `../..`) makes it work both from source (`electron/node/`, two levels
 * down) and from the build (`dist/electron/node/`, three levels down).
 *
 * @returns the version, or `0.0.0-unknown` when no such package.json is found.
 */
export function readToolVersion(startDir: string): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const version = attempt(() => {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      return pkg.name === 'stratum' && typeof pkg.version === 'string' ? pkg.version : null;
    });
    if (version !== null) return version;
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0-unknown';
    dir = parent;
  }
}

/** Stratum's version, from the repository's package.json. */
export const TOOL_VERSION: string = readToolVersion(path.dirname(fileURLToPath(import.meta.url)));

function attempt<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
