/**
 * The user's data folder for Stratum (DESIGN.md §7): the demo project and its database, saved
 * connections and recent projects. `STRATUM_DATA_DIR` overrides it (tests, portable installs);
 * otherwise `$XDG_DATA_HOME/stratum`, `~/.local/share/stratum`, or `%APPDATA%\Stratum` on Windows.
 * The desktop app passes Electron's `app.getPath('userData')` instead.
 */
import os from 'node:os';
import path from 'node:path';

/** The data folder for `env` (injected so tests control it). */
export function userDataDir(env: Readonly<Record<string, string | undefined>>): string {
  if (nonEmpty(env.STRATUM_DATA_DIR)) return path.resolve(env.STRATUM_DATA_DIR);
  if (process.platform === 'win32' && nonEmpty(env.APPDATA)) return path.join(env.APPDATA, 'Stratum');
  const home = nonEmpty(env.HOME) ? env.HOME : os.homedir();
  const dataHome = nonEmpty(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(dataHome, 'stratum');
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
