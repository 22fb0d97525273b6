/**
 * What the app shows, loaded from the engine: the project, its graph, its connections and what each
 * connection's database has applied. Each connection loads on its own, so an unreachable staging
 * server shows its error in its own column instead of blanking the graph.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ConnectionInfo } from '../../shared/contract/connection-schemas.ts';
import type { EngineOutput } from '../../shared/contract/engine-contract.ts';
import type { DatabaseState } from '../../shared/contract/plan-schemas.ts';
import type { RevisionGraphView } from '../../shared/contract/project-schemas.ts';
import { useEngine } from './engine-context.tsx';

/** A connection's database state, or why it could not be read. */
export interface ConnectionState {
  readonly loading: boolean;
  readonly state: DatabaseState | null;
  readonly error: unknown;
}

/** Everything the main screen shows. */
export interface Workspace {
  readonly info: EngineOutput<'app.info'> | null;
  readonly graph: RevisionGraphView | null;
  readonly connections: readonly ConnectionInfo[];
  readonly states: Readonly<Record<string, ConnectionState>>;
  /** Why the project itself could not be loaded. */
  readonly error: unknown;
  /** Reloads project, graph, connections and states. */
  refresh(): Promise<void>;
}

export function useWorkspace(): Workspace {
  const client = useEngine();
  const [info, setInfo] = useState<Workspace['info']>(null);
  const [graph, setGraph] = useState<RevisionGraphView | null>(null);
  const [connections, setConnections] = useState<readonly ConnectionInfo[]>([]);
  const [states, setStates] = useState<Record<string, ConnectionState>>({});
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      // In parallel: on a first launch the engine opens the demo once for all three.
      const [nextInfo, nextGraph, list] = await Promise.all([
        client.call('app.info', {}),
        client.call('revisions.list', {}),
        client.call('connections.list', {}),
      ]);
      setInfo(nextInfo);
      setGraph(nextGraph);
      setConnections(list.connections);
      setError(null);
      setStates((old) =>
        Object.fromEntries(
          list.connections.map((c) => [
            c.id,
            { loading: true, state: old[c.id]?.state ?? null, error: null },
          ]),
        ),
      );
      await Promise.all(
        list.connections.map(async (c) => {
          let next: ConnectionState;
          try {
            next = {
              loading: false,
              state: await client.call('database.state', { connectionId: c.id }),
              error: null,
            };
          } catch (stateError) {
            next = { loading: false, state: null, error: stateError };
          }
          setStates((old) => ({ ...old, [c.id]: next }));
        }),
      );
    } catch (loadError) {
      setError(loadError);
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return { info, graph, connections, states, error, refresh };
}
