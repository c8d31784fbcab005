import { type ApiClient, type ApiError, createApiClient } from './api-client.ts';
import { createRouter, type Router } from './router.tsx';
import { createSession, type Session } from './session.ts';
import type { SignInFlow } from './sign-in/flow.ts';

/** What a staff app (the centres' app, the hotline console) uses of the outside world; tests build it with a stubbed fetch and clock. */
export interface StaffServices {
  api: ApiClient;
  session: Session;
  router: Router;
  /** This tab's storage: the session, the person's name, the page to return to after signing in. */
  tabStorage: Storage;
  /** The device's storage: the language, the e-mail a sign-in link went to, what the app keeps there. */
  localStorage: Storage;
  now: () => Date;
  /** The network, for what is not this API (the Identity Toolkit's sign-in calls). */
  fetch: typeof fetch;
  /** Leaves the app (to the sign-in). */
  leave: (url: string) => void;
  origin: string;
  /** The page's visibility and focus, for refreshing what someone looks at. */
  document: Document;
  window: Window;
  /** When this tab last asked the API anything (the hotline's server counts idle time from its last use). */
  lastApiUse: () => number;
}

/**
 * Builds the API client on the tab's session (kept under the app's own key): every call sends the
 * token, and a refused session ends it, remembering the page, so that the sign-in screen shows and
 * brings the person back.
 */
export function createStaffServices(
  win: Window,
  app: { sessionKey: string; signIn: SignInFlow },
  options: { fetch?: typeof fetch; now?: () => Date } = {},
): StaffServices {
  const router = createRouter(win);
  const now = options.now ?? (() => new Date());
  const session = createSession({
    storage: win.sessionStorage,
    key: app.sessionKey,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now: () => now().getTime(),
  });
  const onUnauthenticated = (error: ApiError) => {
    app.signIn.sessionEnded(win.sessionStorage, router.href().split('#')[0] ?? '', error.code);
    app.signIn.signOut(session, win.sessionStorage, error.code);
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
