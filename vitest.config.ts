import { defineConfig } from 'vitest/config';

// Tests run on the project's Node 24 (node_modules/.bin/node comes first on PATH under npm).
export const TEST_TIMEOUT_MS = 60_000;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Builds the renderer once for the end-to-end tests (test/e2e), which drive `stratum serve`.
    globalSetup: ['test/support/build-renderer.ts'],
    testTimeout: TEST_TIMEOUT_MS,
    // expect.poll (browser tests) waits up to 10 s: a busy 2-core CI machine is slower than 1 s.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: TEST_TIMEOUT_MS,
    reporters: ['default'],
  },
});
