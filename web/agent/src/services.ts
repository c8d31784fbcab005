import { type ApiClient, type ApiError, createApiClient } from '../../shared/src/api-client.ts';
import { createRouter, type Router } from '../../shared/src/router.tsx';
import { createSession, type Session } from '../../shared/src/session.ts';
import { sessionEnded, signOut } from './lib/sign-in.ts';

/** What the hotline console uses of the outside world; tests build it with a stubbed fetch and clock. */
export interface Services {
  api: ApiClient;
  session: Session;
  router: Router;
  /** This tab's storage: the session, the person's name, the page to return to after signing in. */
  tabStorage: Storage;
  /** The device's storage: the language, the e-mail a sign-in link went to. */
  localStorage: Storage;
  now: () => Date;
  /** The network, for what is not this API (the Identity Toolkit's sign-in calls). */
  fetch: typeof fetch;
  /** Leaves the app (to the sign-in). */
  leave: (url: string) => void;
  origin: string;
  /** The page's visibility and focus, for refreshing the list while someone looks at it. */
  document: Document;
  window: Window;
  /** When this tab last asked the API anything: the server counts a session's idle time from its last use. */
  lastApiUse: () => number;
}

/**
 * Builds the API client on the tab's session: every call sends the token, and a refused session ends
 * it, remembering the page, so that the sign-in screen shows and brings the person back.
 */
export function createServices(win: Window, options: { fetch?: typeof fetch; now?: () => Date } = {}): Services {
  const router = createRouter(win);
  const now = options.now ?? (() => new Date());
  const session = createSession({
    storage: win.sessionStorage,
    key: 'ereg.agent.session',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now: () => now().getTime(),
  });
  const onUnauthenticated = (error: ApiError) => {
    sessionEnded(win.sessionStorage, router.href().split('#')[0] ?? '', error.code);
    signOut(session, win.sessionStorage, error.code);
  };
  const network: typeof fetch = options.fetch ?? ((input, init) => win.fetch(input, init));
  let lastUse = now().getTime();
  const api = createApiClient({
    fetch: (input, init) => {
      lastUse = now().getTime();
      return network(input, init);
    },
    getToken: session.getToken,
    renew: session.renew,
    onUnauthenticated,
  });
  return {
    api,
    session,
    router,
    tabStorage: win.sessionStorage,
    localStorage: win.localStorage,
    now,
    fetch: network,
    leave: (url) => win.location.assign(url),
    origin: win.location.origin,
    document: win.document,
    window: win,
    lastApiUse: () => lastUse,
  };
}
