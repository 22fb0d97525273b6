#!/usr/bin/env node
/** Entry point of the `stratum` CLI. */
import { enableCompileCache } from 'node:module';

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache, or $NODE_COMPILE_CACHE; off with
// NODE_DISABLE_COMPILE_CACHE=1) saves every later run the parsing and TypeScript stripping of the
// CLI's modules: ~70 ms of a ~100 ms module load (bench/). It covers only modules loaded after
// this call, hence the dynamic import.
enableCompileCache();
const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
