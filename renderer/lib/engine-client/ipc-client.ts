/** The engine in the desktop app: the preload's `window.engine` bridge over a MessagePort. */
import type { EngineBridge } from '../../../shared/contract/engine-bridge.ts';
import { unwrap, type EngineClient } from './engine-client.ts';

/** An {@link EngineClient} over the preload bridge. */
export function createIpcClient(bridge: EngineBridge): EngineClient {
  return {
    async call(method, input) {
      return unwrap(await bridge.call(method, input));
    },
    onEvent(listener) {
      return bridge.onEvent(listener);
    },
    ready: () => Promise.resolve(),
    onProjectChosen: (listener) => bridge.onProjectChosen(listener),
  };
}
