import { useEffect } from 'react';

/** How often the day's list is asked for again while someone looks at it. */
export const REFRESH_MS = 30_000;

/**
 * Calls `refresh` every 30 s while the page is visible, and as soon as it is looked at again (the tab
 * shown, the window focused): a desk phone left on the counter shows the day as it is now.
 */
export function useRefresh(refresh: () => void, doc: Document, win: Window, everyMs = REFRESH_MS): void {
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
}
