import { useCallback, useEffect, useRef, useState } from 'react';

/** How often the figures are asked for again while someone looks at them. */
export const REFRESH_MS = 60_000;

export interface Live<T> {
  /** The last answer for the current key, kept while a refresh is under way or after one failed. */
  data: T | null;
  /** Why the last request failed, or null. */
  error: unknown;
  /** A request is under way. */
  busy: boolean;
  refresh: () => void;
}

interface State<T> {
  key: string;
  data: T | null;
  error: unknown;
  busy: boolean;
}

/**
 * Figures that stay current: loaded for a key (the filter), again every minute while the page is
 * visible and as soon as it is looked at again (the tab shown, the window focused), and on asking.
 * A refresh that fails keeps the figures shown, with the error beside them; another key starts afresh,
 * and an answer for a key no longer current is dropped.
 */
export function useLiveReport<T>(
  key: string,
  load: () => Promise<T>,
  page: { document: Document; window: Window },
  everyMs = REFRESH_MS,
): Live<T> {
  const [state, setState] = useState<State<T>>({ key, data: null, error: null, busy: true });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const refresh = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is how `refresh` asks again for the same key.
  useEffect(() => {
    let current = true;
    setState((s) => (s.key === key ? { ...s, busy: true } : { key, data: null, error: null, busy: true }));
    latest.current().then(
      (data) => {
        if (current) setState({ key, data, error: null, busy: false });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ key, data: s.key === key ? s.data : null, error, busy: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const { document: doc, window: win } = page;
  useEffect(() => {
    const visible = () => doc.visibilityState !== 'hidden';
    const timer = win.setInterval(() => {
      if (visible()) refresh();
    }, everyMs);
    let last = Number.NEGATIVE_INFINITY;
    const again = () => {
      // The focus and the visibility change come together; one request answers both.
      if (!visible() || Date.now() - last < 1000) return;
      last = Date.now();
      refresh();
    };
    doc.addEventListener('visibilitychange', again);
    win.addEventListener('focus', again);
    return () => {
      win.clearInterval(timer);
      doc.removeEventListener('visibilitychange', again);
      win.removeEventListener('focus', again);
    };
  }, [refresh, doc, win, everyMs]);

  const shown = state.key === key ? state : { data: null, error: null, busy: true };
  return { data: shown.data, error: shown.error, busy: shown.busy, refresh };
}
