/**
 * The engine worker: an Electron `utilityProcess` that runs the engine and the database drivers,
 * so long introspection and synchronous better-sqlite3 calls never block main (STYLE.md §A;
 * Beekeeper's `entrypoints/utility.ts`). All of its logic is in transports/ipc/engine-worker-host.ts,
 * which the unit tests drive without Electron.
 */
import type { ParentPort } from 'electron';
import { startEngineWorker } from '../transports/ipc/engine-worker-host.ts';

// `process.parentPort` exists in a utility process only (Electron adds it to Node's `process`).
const { parentPort } = process as { parentPort?: ParentPort };
if (parentPort === undefined) {
  console.error('engine-worker runs inside the Stratum desktop app (Electron utilityProcess) only.');
  process.exit(1);
}

startEngineWorker(parentPort, {
  env: process.env,
  log: (message) => console.error(`[engine] ${message}`),
});
