#!/usr/bin/env node
// The installed `stratum` command: runs the compiled CLI from dist/ (`npm run build`).
// Stratum needs Node >= 22 (better-sqlite3 13 uses N-API 10). When started by an older Node (for
// example a global `npm link` on a machine with Node 20), it re-runs itself on the Node 24 that
// `npm install` put in node_modules, so the command works the same everywhere.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const local = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(local)) {
    process.stderr.write(
      `stratum: Node ${process.versions.node} is too old; Stratum needs Node 22 or newer.\n`,
    );
    process.exit(1);
  }
  const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const entry = new URL('../dist/electron/transports/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('stratum: dist/ is missing. Run `npm run build` in the Stratum folder first.\n');
  process.exit(1);
}
await import(entry.href);
