// One hook for what most screens do first: ask the backend for something when a screen opens (or
// what it shows changes) and show loading, the answer or the error. Answers that arrive after the
// inputs changed, or after the screen closed, are dropped.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

import { type BridgeError, asBridgeError } from "./api";

export interface Loaded<T> {
  /** The answer; kept across reloads until the next one arrives, cleared when `deps` change. */
  data: T | null;
  error: BridgeError | null;
  loading: boolean;
  /** Ask again (Retry, Refresh, after a change). */
  reload: () => void;
  /** Change the answer locally (an item added or removed without asking again). */
  setData: (update: T | null | ((old: T | null) => T | null)) => void;
}

/**
 * Runs `load` when the component mounts and whenever `deps` change or `reload()` is called.
 * `load` is a call of the api's `call(commands.…)` (or several, with Promise.all); `null` means
 * "nothing to ask yet" (e.g. a cluster still provisioning). `onError` sees each failure once,
 * e.g. to send it to the banner as well.
 */
export function useCommand<T>(load: (() => Promise<T>) | null, deps: readonly unknown[], onError?: (e: BridgeError) => void): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [loading, setLoading] = useState(load !== null);
  const [round, setRound] = useState(0);
  const asked = useRef<readonly unknown[] | null>(null);

  useEffect(() => {
    if (!load) {
      asked.current = null;
      setData(null);
      setError(null);
      setLoading(false);
      return;
    }
    // New inputs: what was shown belongs to the old ones (a reload keeps it until the answer).
    const changed = !asked.current || deps.length !== asked.current.length || deps.some((d, i) => !Object.is(d, asked.current![i]));
    asked.current = deps;
    if (changed) setData(null);
    let live = true;
    setLoading(true);
    setError(null);
    load().then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setLoading(false);
      },
      (e) => {
        if (!live) return;
        const be = asBridgeError(e);
        setError(be);
        setLoading(false);
        onError?.(be);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, round, load === null]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
