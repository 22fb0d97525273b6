/**
 * Vitest global setup: builds the renderer once (`vite build` → out/renderer, about a second), so
 * the end-to-end tests always drive the current code through `stratum serve`.
 */
import { build } from 'vite';

export async function setup(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would give React's development build: test what users run.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', configFile: new URL('../../vite.config.ts', import.meta.url).pathname });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
