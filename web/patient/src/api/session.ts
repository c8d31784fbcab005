import type { Language } from '@ereg/shared';
import type { ApiClient, LoginResponse } from '../../../shared/src/api-client.ts';
import type { Router } from '../../../shared/src/router.tsx';
import type { Session } from '../../../shared/src/session.ts';

const RETURN_KEY = 'ereg.patient.return';
const NOTICE_KEY = 'ereg.patient.notice';
/** The position in the tab's history of the page the login began on. */
const FROM_KEY = 'ereg.patient.loginFrom';
/** Once back on that page: where to go on to (`{ index, next }`). */
const RESUME_KEY = 'ereg.patient.resume';

/** The most history entries an identity provider's pages may add for the way back over them to be taken. */
const MAX_PROVIDER_ENTRIES = 20;

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The callback path the identity provider sends the browser back to. */
export const CALLBACK_PATH = '/login/callback';

/** The page that starts a login (`?return=` the page to come back to): a link to it works in a new tab too. */
export const LOGIN_PATH = '/login';

/** Only the app's own paths are returned to after logging in (never another site). */
export const ownPath = (value: string | null): string | null =>
  value?.startsWith('/') &&
  !value.startsWith('//') &&
  !value.startsWith(CALLBACK_PATH) &&
  value.split(/[?#]/)[0] !== LOGIN_PATH
    ? value
    : null;

type History = Pick<Router, 'href' | 'position' | 'navigate' | 'go'>;

/**
 * Sends the person to the identity provider, remembering where to come back to and which entry of the
 * tab's history the login began on. Locally that is the development provider's page, where a demo
 * citizen is chosen. The provider is asked to speak the app's language (`ui_locales`, as OpenID
 * Connect names it).
 */
export async function beginLogin(
  api: ApiClient,
  storage: TabStorage,
  options: {
    origin: string;
    returnTo: string | null;
    leave: (url: string) => void;
    router: History;
    language?: Language;
  },
): Promise<void> {
  const config = await api.loginConfig();
  const returnTo = ownPath(options.returnTo);
  if (returnTo) storage.setItem(RETURN_KEY, returnTo);
  else storage.removeItem(RETURN_KEY);
  // The entry to come back to: a page of the app (the login page included, which then gives way to `returnTo`).
  const from = options.router.position();
  const here = options.router.href().split('#')[0] ?? '';
  const ofApp = ownPath(here) !== null || here.split('?')[0] === LOGIN_PATH;
  if (from !== null && ofApp) storage.setItem(FROM_KEY, String(from));
  else storage.removeItem(FROM_KEY);
  const callback = `${options.origin}${CALLBACK_PATH}`;
  const separator = config.idpLoginUrl.includes('?') ? '&' : '?';
  const language = options.language ? `&ui_locales=${options.language}` : '';
  options.leave(`${config.idpLoginUrl}${separator}return=${encodeURIComponent(callback)}${language}`);
}

/** The assertion the identity provider put in the callback URL's fragment (`#assertion=…`), or null. */
export function assertionFrom(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const assertion = params.get('assertion');
  return assertion ? assertion : null;
}

/** Turns the provider's assertion into this tab's session; answers the login and the page to go to next. */
export async function completeLogin(
  api: ApiClient,
  session: Session,
  storage: TabStorage,
  assertion: string,
  language: Language,
): Promise<{ login: LoginResponse; next: string }> {
  const config = await api.loginConfig();
  const login = await api.login({ assertion, language });
  await session.start(login, config, login.patient.id);
  const next = ownPath(storage.getItem(RETURN_KEY)) ?? '/search';
  storage.removeItem(RETURN_KEY);
  storage.removeItem(NOTICE_KEY);
  return { login, next };
}

/**
 * After logging in, goes back over the identity provider's pages to the entry the login began on, so
 * that Back from there leads where it led before, not to the provider; that page then goes on to `next`
 * (`resumeAfterLogin`). A login begun elsewhere, or a history too long to count, makes the callback's
 * entry `next` instead. Answers which it did.
 */
export function returnAfterLogin(storage: TabStorage, router: History, next: string): 'back' | 'replaced' {
  const from = Number(storage.getItem(FROM_KEY) ?? Number.NaN);
  storage.removeItem(FROM_KEY);
  const here = router.position();
  const steps = here !== null && Number.isInteger(from) ? here - from : 0;
  if (steps > 0 && steps <= MAX_PROVIDER_ENTRIES) {
    storage.setItem(RESUME_KEY, JSON.stringify({ index: from, next }));
    router.go(-steps);
    return 'back';
  }
  router.navigate(next, { replace: true });
  return 'replaced';
}

/** The way back did not happen (the browser refused it): the callback's entry becomes `next` after all. */
export function stayAfterLogin(storage: TabStorage, router: History, next: string): void {
  storage.removeItem(RESUME_KEY);
  router.navigate(next, { replace: true });
}

/** Whether a way back after logging in is under way (a page restored as it was must start afresh). */
export const returningAfterLogin = (storage: TabStorage): boolean => storage.getItem(RESUME_KEY) !== null;

/**
 * On each page shown: if it is the entry a login began on and the login has just completed, goes on
 * to the page that was asked for (when it is another one; Back then returns here).
 */
export function resumeAfterLogin(storage: TabStorage, router: History): void {
  const text = storage.getItem(RESUME_KEY);
  if (!text) return;
  let resume: { index?: unknown; next?: unknown };
  try {
    resume = JSON.parse(text) as typeof resume;
  } catch {
    storage.removeItem(RESUME_KEY);
    return;
  }
  if (router.position() !== resume.index) return;
  storage.removeItem(RESUME_KEY);
  const next = ownPath(typeof resume.next === 'string' ? resume.next : null) ?? '/search';
  const here = router.href().split('#')[0] ?? '/';
  // The login page has done its part: it gives its entry to the page asked for, so Back does not start it again.
  if (here.split('?')[0] === LOGIN_PATH) router.navigate(next, { replace: true });
  else if (next !== here) router.navigate(next);
}

/**
 * After the API refused the session: back to the start page, which says why (the code of the refusal)
 * and returns to the page the person was on once they have logged in again.
 */
export function sendToLogin(storage: TabStorage, router: Router, code: string): void {
  const here = ownPath(router.href().split('#')[0] ?? '/');
  if (here && here !== '/') storage.setItem(RETURN_KEY, here);
  // Several requests of a page may be refused at once; the first says best why (TOKEN_EXPIRED).
  if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, code);
  router.navigate('/', { replace: true });
}

/** The page to return to after logging in again, remembered when the session ended on it; or null. */
export const rememberedReturn = (storage: TabStorage): string | null => ownPath(storage.getItem(RETURN_KEY));

/** Why the person was sent back to log in (the code of the API's refusal), or null. */
export const readNotice = (storage: TabStorage): string | null => storage.getItem(NOTICE_KEY);

/** The start page has shown the notice; it is not shown again. */
export const clearNotice = (storage: TabStorage): void => storage.removeItem(NOTICE_KEY);

/** Where to go after logging in, if the person was on their way somewhere (kept until the login completes). */
export function rememberReturn(storage: TabStorage, path: string): void {
  const own = ownPath(path);
  if (own) storage.setItem(RETURN_KEY, own);
}
