// ESLint flat config. The layering rules of ../shared/STYLE.md §B live here: a violation fails
// `npm run lint`, which `npm run build` and `npm test` both run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = { group: ['node:*'], message: 'Node built-ins are not allowed in this layer.' };
const ELECTRON = {
  group: ['electron', 'electron/*'],
  message: 'Electron may only be imported by main/preload/worker and transports/ipc.',
};
// STYLE.md §B: raw ipcMain / ipcRenderer only inside transports/ipc and preload.
const RAW_IPC = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw ipcMain/ipcRenderer live in transports/ipc (behind safe-handle) and the preload only.',
};
const DRIVERS = {
  group: ['better-sqlite3', 'pg', 'pg-*', 'mysql2', 'mysql2/*'],
  message: 'Database drivers may only be imported inside electron/dialects/<dialect>/.',
};
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns, paths }] },
});
const from = (dirs, message) => ({ group: dirs, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md §C.1).' },
      ],
    },
  },
  // Tool configs must default-export.
  { files: ['*.config.ts', '*.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  // shared: nothing outside shared.
  layer(
    ['shared/**/*.ts'],
    [
      NODE_BUILTINS,
      ELECTRON,
      DRIVERS,
      from(['**/electron/**', '**/renderer/**'], 'shared/ imports nothing outside shared/.'),
    ],
  ),
  // engine: shared only. No I/O, no drivers, no Node.
  layer(
    ['electron/engine/**/*.ts'],
    [
      NODE_BUILTINS,
      ELECTRON,
      DRIVERS,
      from(
        ['**/dialects/**', '**/node/**', '**/commands/**', '**/transports/**', '**/renderer/**'],
        'engine/ may import shared/ only.',
      ),
    ],
  ),
  // one dialect never imports another; only its own driver.
  ...['sqlite', 'postgres', 'mysql'].map((d) => {
    const others = ['sqlite', 'postgres', 'mysql'].filter((o) => o !== d);
    const drivers = { sqlite: ['better-sqlite3'], postgres: ['pg', 'pg-*'], mysql: ['mysql2', 'mysql2/*'] };
    const foreign = Object.entries(drivers)
      .filter(([k]) => k !== d)
      .flatMap(([, v]) => v);
    return layer(
      [`electron/dialects/${d}/**/*.ts`],
      [
        ELECTRON,
        { group: foreign, message: `The ${d} dialect may only use its own driver.` },
        from(
          others.flatMap((o) => [`**/dialects/${o}/**`, `../${o}`, `../${o}/**`]),
          'A dialect never imports another dialect (STYLE.md §B).',
        ),
        from(
          ['**/node/**', '**/commands/**', '**/transports/**', '**/renderer/**'],
          'dialects/ may import engine/ and shared/ only.',
        ),
      ],
    );
  }),
  layer(
    ['electron/dialects/registry.ts'],
    [ELECTRON, from(['**/node/**', '**/commands/**', '**/transports/**'], 'registry imports dialects only.')],
  ),
  // node: engine, shared, node:*.
  layer(
    ['electron/node/**/*.ts'],
    [
      ELECTRON,
      DRIVERS,
      from(
        ['**/dialects/**', '**/commands/**', '**/transports/**', '**/renderer/**'],
        'node/ may import engine/, shared/ and node:* only.',
      ),
    ],
  ),
  // commands: engine, dialects/registry, node, shared.
  layer(
    ['electron/commands/**/*.ts'],
    [
      ELECTRON,
      DRIVERS,
      from(
        ['**/dialects/sqlite/**', '**/dialects/postgres/**', '**/dialects/mysql/**'],
        'commands/ reach dialects through dialects/registry.ts only.',
      ),
      from(['**/transports/**', '**/renderer/**'], 'commands/ never import transports or the renderer.'),
    ],
  ),
  // transports: commands, shared, their own I/O library (Electron is transports/ipc's).
  ...[['electron/transports/**/*.ts'], ['electron/transports/ipc/**/*.ts']].map((files, i) =>
    layer(files, [
      ...(i === 0 ? [ELECTRON] : []),
      DRIVERS,
      from(
        ['**/engine/**', '**/dialects/**', '**/node/**', '**/renderer/**'],
        'transports/ reach the engine through commands/ only.',
      ),
    ]),
  ),
  // main / worker: transports, shared, electron (never raw ipcMain/ipcRenderer).
  layer(
    ['electron/main/**/*.ts', 'electron/worker/**/*.ts'],
    [
      DRIVERS,
      from(
        ['**/engine/**', '**/dialects/**', '**/node/**', '**/commands/**', '**/renderer/**'],
        'main/ and worker/ reach the engine through transports/ only.',
      ),
    ],
    [RAW_IPC],
  ),
  // preload: sandboxed, so it can require `electron` and nothing else; types come from shared/.
  {
    ...layer(
      ['electron/preload/**/*.ts', 'electron/preload/**/*.cts'],
      [
        {
          group: ['**/shared/**'],
          allowTypeImports: true,
          message: 'A sandboxed preload cannot require shared/: use `import type`.',
        },
        from(
          ['**', '!electron', '!**/shared/**'],
          'A sandboxed preload requires electron only, and types from shared/.',
        ),
      ],
    ),
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['electron/preload/**/*.ts', 'electron/preload/**/*.cts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md §C.1).' },
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value!='electron']",
          message: "A sandboxed preload's require() knows electron only.",
        },
      ],
    },
  },
  // renderer: browser-pure.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            NODE_BUILTINS,
            ELECTRON,
            DRIVERS,
            from(['**/electron/**'], 'renderer/ imports shared/ only.'),
          ],
        },
      ],
    },
  },
);
