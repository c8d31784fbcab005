import { type AnchorHTMLAttributes, createContext, type MouseEvent, useContext, useSyncExternalStore } from 'react';

/** A tiny router over the History API: the app's pages are paths, links push them, Back pops them. */
export function createRouter(win: Window = window) {
  const listeners = new Set<() => void>();
  let navigations = 0;
  const notify = () => {
    navigations += 1;
    for (const listener of listeners) listener();
  };
  win.addEventListener('popstate', notify);
  return {
    /** Path, query and fragment now. */
    href: () => `${win.location.pathname}${win.location.search}${win.location.hash}`,
    /** How many times the page changed since the app loaded (0: the first page, whose focus the browser owns). */
    navigations: () => navigations,
    navigate(to: string, options: { replace?: boolean } = {}) {
      if (to === `${win.location.pathname}${win.location.search}${win.location.hash}` && !options.replace) return;
      if (options.replace) win.history.replaceState(null, '', to);
      else win.history.pushState(null, '', to);
      notify();
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
