/**
 * Where the compiled app finds its parts: next to this file in `dist/electron/`, and the built
 * renderer and the demo under the app's folder (the asar in a packaged app).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { demoSourceDir, rendererDir } from '../transports/cli/app-paths.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The parts of the app main hands to windows and the worker. */
export interface AppLocations {
  /** The sandboxed preload, compiled to CommonJS (`preload.cts` → `preload.cjs`). */
  readonly preload: string;
  /** The engine worker's entry (an ES module, run by `utilityProcess.fork`). */
  readonly worker: string;
  /** `out/renderer`, served as `app://stratum/`. */
  readonly renderer: string;
  /** The shipped demo project, which the worker copies into the data folder. */
  readonly demoSource: string;
}

/** The locations of this run (call after `app` is ready). */
export function appLocations(): AppLocations {
  const root = app.getAppPath();
  return {
    preload: path.join(HERE, '..', 'preload', 'preload.cjs'),
    worker: path.join(HERE, '..', 'worker', 'engine-worker.js'),
    renderer: rendererDir(root),
    // The worker copies the demo with fs.cpSync, which Electron did not teach to read inside an
    // asar (electron/electron#49012): electron-builder.yml unpacks resources/demo next to it.
    demoSource: unpacked(demoSourceDir(root)),
  };
}

function unpacked(file: string): string {
  return app.isPackaged ? file.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked') : file;
}
