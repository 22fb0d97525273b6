/** Makes the one {@link EngineClient} available to every component. */
import { createContext, useContext, type ReactNode } from 'react';
import type { EngineClient } from '../lib/engine-client/engine-client.ts';

const EngineContext = createContext<EngineClient | null>(null);

/** Provides `client` to the tree below. */
export function EngineProvider({ client, children }: { client: EngineClient; children: ReactNode }) {
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>;
}

/** The engine client. */
export function useEngine(): EngineClient {
  const client = useContext(EngineContext);
  if (client === null) throw new Error('useEngine() outside <EngineProvider>');
  return client;
}
