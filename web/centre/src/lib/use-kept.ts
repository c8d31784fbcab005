import { useCallback, useEffect, useRef, useState } from 'react';
import { type Kept, keep, readKept } from './device-cache.ts';

/** An answer loaded from the API and kept on the device, or the kept copy while the API cannot be reached. */
export type KeptLoad<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T; savedAt: string; fromDevice: boolean }
  | { status: 'failed'; error: unknown };

/**
 * Loads `load()` for a key and keeps the answer on the device; shows the kept copy at once (it may be
 * a while old) and, when the API cannot be reached, goes on showing it, saying from when.
 */
export function useKept<T>(
  storage: Storage,
  key: string,
  load: () => Promise<T>,
  now: () => Date,
): KeptLoad<T> & { reload: () => void } {
  const kept = useCallback((): KeptLoad<T> => {
    const found: Kept<T> | null = readKept<T>(storage, key);
    return found
      ? { status: 'ready', data: found.data, savedAt: found.savedAt, fromDevice: true }
      : { status: 'loading' };
  }, [storage, key]);
  const [state, setState] = useState<{ key: string; load: KeptLoad<T> }>(() => ({ key, load: kept() }));
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(load);
  latest.current = load;

  useEffect(() => {
    let current = true;
    void attempt;
    setState((shown) => (shown.key === key ? shown : { key, load: kept() }));
    latest.current().then(
      (data) => {
        if (!current) return;
        const savedAt = now().toISOString();
        keep(storage, key, data, savedAt);
        setState({ key, load: { status: 'ready', data, savedAt, fromDevice: false } });
      },
      (error: unknown) => {
        if (!current) return;
        setState((shown) =>
          shown.key === key && shown.load.status === 'ready'
            ? { key, load: { ...shown.load, fromDevice: true } }
            : { key, load: readKept(storage, key) ? kept() : { status: 'failed', error } },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [key, attempt, storage, now, kept]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...(state.key === key ? state.load : kept()), reload };
}
