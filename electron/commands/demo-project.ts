/**
 * The built-in demo (DESIGN.md §7): `resources/demo` copied into the user's data folder, with its
 * SQLite database created on first use part-way through the history, so a new user sees applied
 * revisions, a merge and pending ones at once.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { upgrade } from './run-migrations.ts';

/** The revision the demo database is upgraded to on first launch: the merge of the loyalty branch. */
export const DEMO_START_REVISION = 'ddc82543fe3b';
/** The demo's database file, relative to its folder. */
export const DEMO_DATABASE_FILE = 'demo.db';

/** Where the demo comes from and goes. */
export interface DemoOptions {
  /** The shipped demo project (`resources/demo`). */
  readonly source: string;
  /** Its copy in the data folder. */
  readonly target: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Copies the demo's files into `target` (refreshing them; the database is kept) and, when the
 * database does not exist yet, upgrades it to {@link DEMO_START_REVISION}. Returns whether the
 * database was created now.
 */
export async function prepareDemoProject(options: DemoOptions): Promise<boolean> {
  mkdirSync(options.target, { recursive: true });
  cpSync(options.source, options.target, {
    recursive: true,
    filter: (file) => path.basename(file) !== DEMO_DATABASE_FILE,
  });
  if (existsSync(path.join(options.target, DEMO_DATABASE_FILE))) return false;
  const result = await upgrade({
    project: options.target,
    cwd: options.target,
    env: options.env,
    target: DEMO_START_REVISION,
  });
  if (!result.report.ok)
    throw new Error(`The demo database could not be created: ${JSON.stringify(result.report)}`);
  return true;
}
