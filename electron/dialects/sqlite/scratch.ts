/** A SQLite rehearsal copy: the database file copied with SQLite's online backup API. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ConnectionTarget, ScratchDatabase } from '../../engine/ports.ts';
import { resolveSqlitePath, toDatabaseError } from './connection.ts';

/**
 * Copies the database `target` names into a temp folder (a consistent snapshot, even while others
 * write to it); a database that does not exist yet gives an empty scratch file.
 */
export async function createSqliteScratch(target: ConnectionTarget): Promise<ScratchDatabase> {
  const source = resolveSqlitePath(target.url, target.baseDir);
  const dir = mkdtempSync(join(tmpdir(), 'stratum-rehearsal-'));
  const file = join(dir, 'rehearsal.db');
  try {
    if (source !== ':memory:' && existsSync(source)) {
      const db = new Database(source, { readonly: true, fileMustExist: true });
      try {
        await db.backup(file);
      } finally {
        db.close();
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw toDatabaseError(error);
  }
  return {
    url: `sqlite:${file}`,
    copied: true,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
