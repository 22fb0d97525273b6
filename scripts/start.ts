/**
 * `npm start`: the desktop app on the built-in demo project (DESIGN.md §7). Where the Electron
 * binary is missing (it is downloaded from the internet at install time, which offline machines
 * cannot do), it says so and serves the same app in the browser instead (`stratum serve --demo`).
 * Builds what is missing first: the renderer (`vite build`) and, for Electron, `dist/` (tsc).
 * Extra arguments go to `stratum serve` (e.g. `npm start -- --port 7300`).
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string): string => path.join(repo, 'node_modules', '.bin', name);

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron binary, or null when its download never happened. */
function electronBinary(): string | null {
  const pathFile = path.join(repo, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(repo, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

if (!existsSync(path.join(repo, 'out', 'renderer', 'index.html'))) {
  console.log('Building the app (first start)…');
  run(bin('vite'), ['build', '--logLevel', 'warn']);
}

const electron = electronBinary();
if (electron !== null) {
  const main = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).main as string;
  if (!existsSync(path.join(repo, main))) run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  const child = spawn(electron, [repo], { cwd: repo, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'The Electron binary is not installed on this machine (npm downloads it from the internet at\n' +
      'install time). Serving the same app in your browser instead, on the built-in demo project.\n',
  );
  const cli = path.join(repo, 'electron', 'transports', 'cli', 'main.ts');
  const child = spawn(process.execPath, [cli, 'serve', '--demo', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches the child through the terminal; exit with it.
  process.on('SIGINT', () => {});
  child.on('exit', (code) => process.exit(code ?? 0));
}
