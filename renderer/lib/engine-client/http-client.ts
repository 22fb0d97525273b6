/**
 * The engine over `stratum serve` (browser mode): `POST /rpc/<method>` with the access token, and
 * run events over a WebSocket at `/events` (the token rides in the WebSocket protocol list, since
 * browsers cannot set headers there).
 */
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import { EngineClientError, unwrap, type EngineClient } from './engine-client.ts';

const TOKEN_KEY = 'stratum.token';

/**
 * The access token: from the URL fragment (`#token=…`, which browsers never send to the server),
 * then kept in this tab's sessionStorage and removed from the address bar.
 */
export function takeAccessToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1] !== undefined) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

/** An {@link EngineClient} talking to the server this page came from. */
export function createHttpClient(token: string, origin = window.location.origin): EngineClient {
  const listeners = new Set<(event: EngineEvent) => void>();
  let open: Promise<void>;
  const connect = (): void => {
    const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/events`, [
      'stratum.events',
      `token.${token}`,
    ]);
    open = new Promise((resolve) => {
      socket.onopen = () => resolve();
      // A refused socket still lets calls go ahead; they just stream no progress.
      socket.onerror = () => resolve();
    });
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as EngineEvent;
      for (const listener of listeners) listener(event);
    };
    // Reconnect (the server restarting, a laptop waking up).
    socket.onclose = () => setTimeout(connect, 1000);
  };
  connect();
  return {
    async call(method, input) {
      let response: Response;
      try {
        response = await fetch(`${origin}/rpc/${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch {
        throw new EngineClientError(
          'TRANSPORT',
          'Stratum is not reachable: is `stratum serve` still running?',
          {},
        );
      }
      if (response.status === 401) {
        throw new EngineClientError(
          'TRANSPORT',
          'This page has no valid access token. Open the URL that `stratum serve` printed.',
          {},
        );
      }
      if (!response.ok) throw new EngineClientError('TRANSPORT', (await response.text()).trim(), {});
      return unwrap((await response.json()) as EngineResult<never>);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: () => open,
  };
}
