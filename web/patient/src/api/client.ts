import { type ApiClient, type ApiError, createApiClient } from '../../../shared/src/api-client.ts';
import { createRouter, type Router } from '../../../shared/src/router.tsx';
import { createSession, type Session } from '../../../shared/src/session.ts';
import { keptQueueTicket, withQueueTicket } from '../lib/waiting-room.ts';
import { resumeAfterLogin, returningAfterLogin, sendToLogin } from './session.ts';

/** What the patient app's pages use of the outside world; tests build it with a stubbed fetch. */
export interface Services {
  api: ApiClient;
  session: Session;
  router: Router;
  /** This tab's storage: the session, the slots picked, the page to return to after logging in. */
  tabStorage: Storage;
  /** The browser's storage: the language. */
  localStorage: Storage;
  geolocation: Geolocation | null;
  now: () => Date;
  /** Offers a file to save (a calendar file). */
  download: (filename: string, text: string, type: string) => void;
  /** Leaves the app (to the identity provider). */
  leave: (url: string) => void;
  origin: string;
  hostname: string;
}

/**
 * Builds the API client on the tab's session: every call sends its token, and a refused session ends it
 * and sends the person to the start page with a plain explanation.
 */
export function createServices(
  win: Window,
  options: { fetch?: typeof fetch; download: Services['download']; now?: () => Date },
): Services {
  const router = createRouter(win);
  const session = createSession({
    storage: win.sessionStorage,
    key: 'ereg.patient.session',
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now: () => (options.now ?? (() => new Date()))().getTime(),
  });
  const onUnauthenticated = (error: ApiError) => {
    session.clear();
    sendToLogin(win.sessionStorage, router, error.code);
  };
  const now = options.now ?? (() => new Date());
  // An admitted person's search, preview and booking carry their signed place in the waiting room.
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const queueTicket = () => {
    const patientId = session.patientId();
    return patientId ? keptQueueTicket(win.sessionStorage, patientId, now()) : null;
  };
  const api = createApiClient({
    fetch: withQueueTicket(baseFetch, queueTicket),
    getToken: session.getToken,
    renew: session.renew,
    onUnauthenticated,
  });
  // Loaded afresh on the page a login began on, just after it: on to the page asked for, before any is shown.
  resumeAfterLogin(win.sessionStorage, router);
  // A page kept in the browser's back-forward cache comes back as it was left, without the new session.
  win.addEventListener('pageshow', (event) => {
    if (event.persisted && returningAfterLogin(win.sessionStorage)) win.location.reload();
  });
  return {
    api,
    session,
    router,
    tabStorage: win.sessionStorage,
    localStorage: win.localStorage,
    geolocation: 'geolocation' in win.navigator ? win.navigator.geolocation : null,
    now,
    download: options.download,
    leave: (url) => win.location.assign(url),
    origin: win.location.origin,
    hostname: win.location.hostname || 'localhost',
  };
}
