/** Picks the transport: the preload's bridge in the desktop app, HTTP in browser mode. */
import type { EngineBridge } from '../../../shared/contract/engine-bridge.ts';
import { EngineClientError, type EngineClient } from './engine-client.ts';
import { createHttpClient, takeAccessToken } from './http-client.ts';
import { createIpcClient } from './ipc-client.ts';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in browser mode. */
    readonly engine?: EngineBridge;
  }
}

/** The engine client for this page. Throws when browser mode has no access token. */
export function createEngineClient(): EngineClient {
  if (window.engine !== undefined) return createIpcClient(window.engine);
  const token = takeAccessToken(window.location, window.sessionStorage, window.history);
  if (token === null) {
    throw new EngineClientError(
      'TRANSPORT',
      'This page was opened without its access token. Open the full URL that `stratum serve` printed (it ends with #token=…).',
      {},
    );
  }
  return createHttpClient(token);
}
