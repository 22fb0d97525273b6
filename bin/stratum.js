#!/usr/bin/env node
// The installed `stratum` command: runs the compiled CLI from dist/ (`npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/transports/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('stratum: dist/ is missing. Run `npm run build` in the Stratum folder first.\n');
  process.exit(1);
}
await import(entry.href);
