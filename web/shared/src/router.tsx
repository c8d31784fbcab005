import { type AnchorHTMLAttributes, createContext, type MouseEvent, useContext, useSyncExternalStore } from 'react';

/** What the router keeps in each history entry: the entry's position in the tab's history (0 the first). */
interface EntryState {
  index: number;
}

/** Browsers keep at most 50 entries of a tab's history; beyond that the oldest go and positions shift. */
const HISTORY_LIMIT = 50;

const indexIn = (state: unknown): number | null => {
  const index = (state as Partial<EntryState> | null)?.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : null;
};

/** A tiny router over the History API: the app's pages are paths, links push them, Back pops them. */
export function createRouter(win: Window = window) {
  const listeners = new Set<() => void>();
  let navigations = 0;
  const notify = () => {
    navigations += 1;
    for (const listener of listeners) listener();
  };
  win.addEventListener('popstate', notify);
  // A page the browser loaded (rather than this router) is the newest entry: a navigation drops those after it.
  if (indexIn(win.history.state) === null) {
    win.history.replaceState({ index: Math.max(0, win.history.length - 1) } satisfies EntryState, '');
  }
  const here = () => indexIn(win.history.state) ?? Math.max(0, win.history.length - 1);
  return {
    /** Path, query and fragment now. */
    href: () => `${win.location.pathname}${win.location.search}${win.location.hash}`,
    /** How many times the page changed since the app loaded (0: the first page, whose focus the browser owns). */
    navigations: () => navigations,
    /**
     * This entry's position in the tab's history, so that a page can tell how far back another one is;
     * null once the history is at the browser's limit, where positions no longer hold.
     */
    position: (): number | null => (win.history.length >= HISTORY_LIMIT ? null : here()),
    navigate(to: string, options: { replace?: boolean } = {}) {
      if (to === `${win.location.pathname}${win.location.search}${win.location.hash}` && !options.replace) return;
      if (options.replace) win.history.replaceState({ index: here() } satisfies EntryState, '', to);
      else win.history.pushState({ index: here() + 1 } satisfies EntryState, '', to);
      notify();
    },
    /** Moves through the tab's history as Back and Forward do (the page may be another document). */
    go(delta: number) {
      win.history.go(delta);
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Router = ReturnType<typeof createRouter>;

export const RouterContext = createContext<Router | null>(null);

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter needs a RouterContext.');
  return router;
}

/** The current location, re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const router = useRouter();
  const href = useSyncExternalStore(router.subscribe, router.href, router.href);
  const url = new URL(href, 'http://app.invalid');
  return { pathname: url.pathname, search: url.searchParams, href };
}

/** Parameters of a path against a pattern such as `/book/:slotId`, or null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] as string;
    const actual = have[i] as string;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** A real link (it opens in a new tab, can be copied) that navigates inside the app on a plain click. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const router = useRouter();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || rest.target) return;
    event.preventDefault();
    router.navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}
