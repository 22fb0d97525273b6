/** Where the installed package keeps what the app serves: the built renderer and the demo. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder (the one with package.json), from source or from `dist/`. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Stratum package folder.');
    dir = parent;
  }
  return dir;
}

/** The built renderer (`npm run build` writes it). */
export function rendererDir(root = packageRoot()): string {
  return path.join(root, 'out', 'renderer');
}

/** The built-in demo project. */
export function demoSourceDir(root = packageRoot()): string {
  return path.join(root, 'resources', 'demo');
}
