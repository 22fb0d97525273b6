/** Loads one engine call's result for a key, dropping answers that arrive after the key changed. */
import { useEffect, useState } from 'react';

export interface QueryState<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
}

/** Runs `load` whenever `key` changes (null key: nothing to load). */
export function useEngineQuery<T>(key: string | null, load: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: key !== null });
  useEffect(() => {
    if (key === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // `load` closes over what `key` names; the key alone decides when to reload.
  }, [key]);
  return state;
}
