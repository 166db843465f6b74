import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.client.ts';
import { useSession, type Session } from './session.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen until the answer arrives. */
  reload(): void;
}

/**
 * Loads `fetcher`'s answer for a view and reloads it when `deps` change. A stale answer (deps changed
 * while it was in flight) is dropped.
 */
export function useApi<T>(fetcher: (api: Session['api']) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { api } = useSession();
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const load = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    fetcher(api).then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: Error) => mine === generation.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(load, [load]);
  return { data: state.data, error: state.error, loading: state.loading, reload: load };
}
