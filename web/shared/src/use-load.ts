import { useCallback, useEffect, useRef, useState } from 'react';

export type Load<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; error: unknown };

/**
 * Loads data for a key (a URL, an id): again whenever the key changes, not at all while it is null.
 * An answer for a key that is no longer current is dropped, so a slow old search never overwrites a new one;
 * `reload` asks again for the same key, showing the previous answer meanwhile.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Load<T> & { reload: () => void } {
  const [state, setState] = useState<Load<T>>(key === null ? { status: 'idle' } : { status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const loadedKey = useRef<string | null>(null);

  useEffect(() => {
    if (key === null) {
      loadedKey.current = null;
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    // Reloading the same key (attempt > 0) keeps what is shown until the fresh answer replaces it.
    const again = loadedKey.current === key && attempt > 0;
    loadedKey.current = key;
    if (!again) setState({ status: 'loading' });
    latest.current().then(
      (data) => {
        if (current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (current) setState({ status: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
