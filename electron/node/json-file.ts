/** Small JSON files in the data folder, written atomically (temp file + rename) with private modes. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Reads `file` as JSON; `fallback` when it does not exist. Throws on a corrupt file. */
export function readJsonFile<T>(file: string, fallback: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${file} is not valid JSON. Fix or delete it; Stratum recreates it when missing.`);
  }
}

/**
 * Writes `value` to `file` atomically: a crash leaves the old file or the new one, never half of
 * each. The file is readable by its owner only (0600): it may hold encrypted passwords.
 */
export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}
