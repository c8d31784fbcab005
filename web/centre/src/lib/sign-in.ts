import type { ApiClient } from '../../../shared/src/api-client.ts';
import type { Session } from '../../../shared/src/session.ts';

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where the app lives on the site; every path of its pages starts with it. */
export const BASE = '/centre';
export const CALLBACK_PATH = `${BASE}/login/callback`;

const RETURN_KEY = 'ereg.centre.return';
const PERSON_KEY = 'ereg.centre.person';
const NOTICE_KEY = 'ereg.centre.notice';

/** Only the app's own pages are returned to after signing in. */
export const ownPath = (value: string | null): string | null =>
  value !== null &&
  (value === BASE || value.startsWith(`${BASE}/`) || value.startsWith(`${BASE}?`)) &&
  !value.startsWith(CALLBACK_PATH)
    ? value
    : null;

/**
 * Sends the person to the staff sign-in, remembering the page to come back to. Locally that is the
 * development identity provider's staff page (a centre, then one of its staff), beside its page for
 * citizens; it is asked to speak the app's language.
 */
export async function beginSignIn(
  api: ApiClient,
  storage: TabStorage,
  options: { origin: string; returnTo: string | null; language: string; leave: (url: string) => void },
): Promise<void> {
  const config = await api.loginConfig();
  const returnTo = ownPath(options.returnTo);
  if (returnTo) storage.setItem(RETURN_KEY, returnTo);
  else storage.removeItem(RETURN_KEY);
  const [path = '', query] = config.idpLoginUrl.split('?');
  const params = new URLSearchParams(query);
  params.set('return', `${options.origin}${CALLBACK_PATH}`);
  params.set('ui_locales', options.language);
  options.leave(`${path.replace(/\/$/, '')}/staff?${params}`);
}

/** The session the provider handed back in the callback's fragment (`#token=…&expiresAt=…&name=…`), or null. */
export function signInFrom(hash: string): { token: string; expiresAt: string; name: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  const expiresAt = params.get('expiresAt');
  if (!token || !expiresAt || Number.isNaN(Date.parse(expiresAt))) return null;
  return { token, expiresAt, name: params.get('name') ?? '' };
}

/** Keeps the session handed back, and the person's name for the header; answers the page to go to. */
export async function completeSignIn(
  api: ApiClient,
  session: Session,
  storage: TabStorage,
  handed: { token: string; expiresAt: string; name: string },
): Promise<string> {
  const config = await api.loginConfig();
  await session.start({ token: handed.token, expiresAt: handed.expiresAt }, config, null);
  if (handed.name) storage.setItem(PERSON_KEY, handed.name);
  else storage.removeItem(PERSON_KEY);
  storage.removeItem(NOTICE_KEY);
  const next = ownPath(storage.getItem(RETURN_KEY)) ?? `${BASE}/`;
  storage.removeItem(RETURN_KEY);
  return next;
}

/** The signed-in person's name as the sign-in gave it, or null. */
export const personName = (storage: TabStorage): string | null => storage.getItem(PERSON_KEY) || null;

/** The notice of a sign-out the person asked for (rather than a session the API refused). */
export const SIGNED_OUT = 'SIGNED_OUT';

/** Signs out of this tab; the sign-in screen then says so. */
export function signOut(session: Session, storage: TabStorage, notice = SIGNED_OUT): void {
  storage.removeItem(PERSON_KEY);
  if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, notice);
  session.clear();
}

/** After the API refused the session: remembers the page and why, for the sign-in screen. */
export function sessionEnded(storage: TabStorage, here: string, code: string): void {
  const own = ownPath(here);
  if (own) storage.setItem(RETURN_KEY, own);
  if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, code);
}

/** Whether a code of a refused session means "sign in again" rather than "you are not staff". */
export const isSessionEnd = (code: string): boolean =>
  ['TOKEN_EXPIRED', 'INVALID_TOKEN', 'UNAUTHENTICATED'].includes(code);

/** Why the person must sign in again (the refusal's code), or null; read once. */
export function takeNotice(storage: TabStorage): string | null {
  const notice = storage.getItem(NOTICE_KEY);
  storage.removeItem(NOTICE_KEY);
  return notice;
}
