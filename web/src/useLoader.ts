// Loading from the API the same way on every page: a newer load cancels the one still running,
// an ended session goes back to the login (onUnauthorized), any other failure is kept for the page
// to show with a "try again" button.
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from './api.js';

/** `loading` starts true: every page loads as it appears. */
export function useLoader(onUnauthorized: () => void) {
  const controller = useRef<AbortController | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  /** Runs `fetch`, hands its answer to `apply` unless a newer load started meanwhile. */
  const run = useCallback(async <T,>(fetch: (signal: AbortSignal) => Promise<T>, apply: (data: T) => void): Promise<void> => {
    controller.current?.abort();
    const ctrl = new AbortController();
    controller.current = ctrl;
    setLoading(true);
    setError(null);
    try {
      const data = await fetch(ctrl.signal);
      if (ctrl.signal.aborted) return;
      apply(data);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    }
    setLoading(false);
  }, [onUnauthorized]);

  useEffect(() => () => controller.current?.abort(), []);
  return { run, loading, error };
}

/** Data fetched whenever `deps` change (and on reload()). */
export function useApiData<T>(fetch: (signal: AbortSignal) => Promise<T>, deps: DependencyList, onUnauthorized: () => void) {
  const { run, loading, error } = useLoader(onUnauthorized);
  const [data, setData] = useState<T | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    void run(fetch, setData);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what the fetch depends on
  }, [...deps, attempt, run]);
  return { data, setData, loading, error, reload: () => setAttempt((n) => n + 1) };
}
