// The layering rules of STYLE.md §B, enforced by eslint.config.js: each row lints a one-line file
// placed in a layer and checks that a forbidden import is reported (and an allowed one is not).
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const x = 1;\n`, { filePath: `${root}${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('layering rules', () => {
  it.each([
    ['shared/model/x.ts', "import 'node:fs';"],
    ['shared/model/x.ts', "import { y } from '../../electron/engine/ports.ts';"],
    ['electron/engine/x.ts', "import 'node:fs';"],
    ['electron/engine/x.ts', "import 'better-sqlite3';"],
    ['electron/engine/x.ts', "import { y } from '../dialects/registry.ts';"],
    ['electron/engine/x.ts', "import { y } from '../node/system.ts';"],
    ['electron/dialects/sqlite/x.ts', "import { y } from '../postgres/adapter.ts';"],
    ['electron/dialects/postgres/x.ts', "import 'better-sqlite3';"],
    ['electron/dialects/sqlite/x.ts', "import { y } from '../../commands/run-migrations.ts';"],
    ['electron/node/x.ts', "import { y } from '../dialects/registry.ts';"],
    ['electron/commands/x.ts', "import { y } from '../dialects/sqlite/adapter.ts';"],
    ['electron/commands/x.ts', "import { y } from '../transports/cli/main.ts';"],
    ['electron/transports/cli/x.ts', "import { y } from '../../engine/ports.ts';"],
    ['electron/transports/cli/x.ts', "import { y } from '../../node/system.ts';"],
    ['electron/transports/cli/x.ts', "import 'better-sqlite3';"],
    ['renderer/x.ts', "import 'node:path';"],
    ['renderer/x.ts', "import { y } from '../electron/commands/run-migrations.ts';"],
    ['renderer/x.ts', "import 'electron';"],
    ['electron/transports/cli/x.ts', "import { app } from 'electron';"],
    ['electron/transports/http/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/transports/rpc/x.ts', "import 'electron';"],
    ['electron/transports/ipc/x.ts', "import { y } from '../../engine/ports.ts';"],
    ['electron/transports/ipc/x.ts', "import { y } from '../../node/password-vault.ts';"],
    ['electron/main/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/main/x.ts', "import { ipcRenderer } from 'electron';"],
    ['electron/main/x.ts', "import { y } from '../commands/app/open-app-session.ts';"],
    ['electron/main/x.ts', "import { y } from '../engine/ports.ts';"],
    ['electron/main/x.ts', "import { y } from '../node/system.ts';"],
    ['electron/main/x.ts', "import { y } from '../dialects/registry.ts';"],
    ['electron/main/x.ts', "import 'better-sqlite3';"],
    ['electron/worker/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/worker/x.ts', "import { y } from '../commands/app/open-app-session.ts';"],
    ['electron/preload/x.cts', "import { z } from 'zod';"],
    ['electron/preload/x.cts', "import { y } from '../../shared/contract/engine-contract.ts';"],
    ['electron/preload/x.cts', "import type { y } from '../commands/app/app-session.ts';"],
    ['electron/preload/x.cts', "import type { y } from '../transports/ipc/safe-handle.ts';"],
    ['electron/preload/x.cts', "import 'node:fs';"],
  ])('%s may not %s', async (file, source) => {
    expect(await restricted(file, source)).not.toEqual([]);
  });

  it.each([
    ['electron/engine/x.ts', "import { y } from '../../shared/model/dialect.ts';"],
    ['electron/dialects/sqlite/x.ts', "import 'better-sqlite3';"],
    ['electron/dialects/sqlite/x.ts', "import { y } from '../../engine/ports.ts';"],
    ['electron/node/x.ts', "import 'node:fs';"],
    ['electron/commands/x.ts', "import { y } from '../dialects/registry.ts';"],
    ['electron/transports/cli/x.ts', "import { y } from '../../commands/run-migrations.ts';"],
    ['renderer/x.ts', "import { y } from '../shared/model/dialect.ts';"],
    ['electron/transports/ipc/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/transports/ipc/x.ts', "import { y } from '../../commands/app/open-app-session.ts';"],
    ['electron/transports/ipc/x.ts', "import { y } from '../rpc/engine-dispatcher.ts';"],
    ['electron/main/x.ts', "import { app, BrowserWindow, utilityProcess } from 'electron';"],
    ['electron/main/x.ts', "import { y } from '../transports/ipc/safe-handle.ts';"],
    ['electron/main/x.ts', "import { y } from '../../shared/contract/desktop-channels.ts';"],
    ['electron/worker/x.ts', "import { y } from '../transports/ipc/engine-worker-host.ts';"],
    ['electron/preload/x.cts', "import { ipcRenderer } from 'electron';"],
    ['electron/preload/x.cts', "import type { y } from '../../shared/contract/engine-bridge.ts';"],
  ])('%s may %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
