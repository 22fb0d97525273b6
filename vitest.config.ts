import { defineConfig } from 'vitest/config';

// Tests run on the project's Node 24 (node_modules/.bin/node comes first on PATH under npm).
export const TEST_TIMEOUT_MS = 60_000;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
    reporters: ['default'],
  },
});
