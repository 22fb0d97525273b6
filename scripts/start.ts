/**
 * `npm start`: opens the built-in demo project. The desktop app (Electron) arrives with the app
 * issue; until then this shows the demo in the terminal, on an embedded SQLite database created in
 * the user's data folder, exactly as the app's first launch will.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataHome = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
const demo = path.join(process.env.STRATUM_DATA_DIR ?? path.join(dataHome, 'stratum'), 'demo');
mkdirSync(demo, { recursive: true });
// The project files are refreshed from resources/demo; the database in that folder is kept.
cpSync(path.join(repo, 'resources', 'demo'), demo, { recursive: true });

const cli = path.join(repo, 'electron', 'transports', 'cli', 'main.ts');
const stratum = (...args: string[]): number =>
  spawnSync(process.execPath, [cli, '--project', demo, ...args], { stdio: 'inherit' }).status ?? 1;

console.log(`Stratum demo project: ${demo}\n`);
const fresh = !existsSync(path.join(demo, 'demo.db'));
if (fresh) {
  // A first launch shows a database part-way through the history, with revisions pending.
  console.log('First launch: creating demo.db and applying the first revisions…\n');
  // Up to the merge of the loyalty branch: three revisions after it stay pending.
  stratum('upgrade', 'ddc82543fe3b');
}
console.log('\n$ stratum history');
stratum('history');
console.log('\n$ stratum status');
stratum('status');
console.log(
  `\nThe desktop app is not part of this build yet. Try the CLI on the demo (from this folder):\n` +
    `  npx stratum --project "${demo}" upgrade heads\n  npx stratum --project "${demo}" downgrade -1`,
);
