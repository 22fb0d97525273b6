// ESLint flat config. The layering rules of ../shared/STYLE.md §B live here: a violation fails
// `npm run lint`, which `npm run build` and `npm test` both run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = { group: ['node:*'], message: 'Node built-ins are not allowed in this layer.' };
const ELECTRON = {
  group: ['electron', 'electron/*'],
  message: 'Electron may only be imported by main/preload/worker.',
};
const DRIVERS = {
  group: ['better-sqlite3', 'pg', 'pg-*', 'mysql2', 'mysql2/*'],
  message: 'Database drivers may only be imported inside electron/dialects/<dialect>/.',
};
const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
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
  // transports: commands, shared, their own I/O library.
  layer(
    ['electron/transports/**/*.ts'],
    [
      ELECTRON,
      DRIVERS,
      from(
        ['**/engine/**', '**/dialects/**', '**/node/**', '**/renderer/**'],
        'transports/ reach the engine through commands/ only.',
      ),
    ],
  ),
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
