import type { StaffSignInConfig } from '@ereg/shared';
import type { ApiClient } from '../../../shared/src/api-client.ts';
import type { Session } from '../../../shared/src/session.ts';
import type { FirebaseStaffConfig, SignedIn } from './firebase-sign-in.ts';

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Where the app lives on the site; every path of its pages starts with it. */
export const BASE = '/centre';
export const CALLBACK_PATH = `${BASE}/login/callback`;

const RETURN_KEY = 'ereg.centre.return';
const PERSON_KEY = 'ereg.centre.person';
const NOTICE_KEY = 'ereg.centre.notice';
/** The e-mail a sign-in link was sent to, on this device: the link opens in another tab, often another day. */
const LINK_EMAIL_KEY = 'ereg.centre.linkEmail';

/** Only the app's own pages are returned to after signing in. */
export const ownPath = (value: string | null): string | null =>
  value !== null &&
  (value === BASE || value.startsWith(`${BASE}/`) || value.startsWith(`${BASE}?`)) &&
  !value.startsWith(CALLBACK_PATH)
    ? value
    : null;

/** How staff sign in here: the login config's answer, which the sign-in page asks for first. */
export async function staffSignIn(api: ApiClient): Promise<StaffSignInConfig> {
  return (await api.loginConfig()).staff;
}

/**
 * Sends the person to the staff sign-in of the development identity provider (a centre, then one of its
 * staff), remembering the page to come back to; it is asked to speak the app's language.
 */
export function beginSignIn(
  staff: Extract<StaffSignInConfig, { kind: 'dev-idp' }>,
  storage: TabStorage,
  options: { origin: string; returnTo: string | null; language: string; leave: (url: string) => void },
): void {
  const returnTo = ownPath(options.returnTo);
  if (returnTo) storage.setItem(RETURN_KEY, returnTo);
  else storage.removeItem(RETURN_KEY);
  const [path = '', query] = staff.url.split('?');
  const params = new URLSearchParams(query);
  params.set('return', `${options.origin}${CALLBACK_PATH}`);
  params.set('ui_locales', options.language);
  options.leave(`${path.replace(/\/$/, '')}?${params}`);
}

/**
 * Keeps a Firebase sign-in as this tab's session (the ID token, renewed with the refresh token before it
 * expires) and the person's name for the header. The page stays where it is: the app shows it signed in.
 */
export function keepFirebaseSignIn(
  session: Session,
  storage: TabStorage,
  config: FirebaseStaffConfig,
  signedIn: SignedIn,
): void {
  storage.removeItem(NOTICE_KEY);
  storage.removeItem(RETURN_KEY);
  if (signedIn.displayName || signedIn.email) storage.setItem(PERSON_KEY, signedIn.displayName || signedIn.email);
  else storage.removeItem(PERSON_KEY);
  session.adopt({
    apiKey: config.apiKey,
    idToken: signedIn.idToken,
    refreshToken: signedIn.refreshToken,
    expiresInSeconds: signedIn.expiresInSeconds,
    emulatorUrl: config.authEmulatorUrl,
  });
}

/** Where a sign-in link brings the person back: the page they asked for it on. */
export function linkReturnUrl(origin: string, here: string): string {
  return `${origin}${ownPath(here.split('?')[0] ?? '') ?? `${BASE}/`}`;
}

/** Remembers on this device the e-mail a sign-in link went to (Firebase wants it again with the link's code). */
export const rememberLinkEmail = (storage: TabStorage, email: string): void => storage.setItem(LINK_EMAIL_KEY, email);

/** The e-mail a sign-in link was sent to from this device, or null. */
export const linkEmailOf = (storage: TabStorage): string | null => storage.getItem(LINK_EMAIL_KEY) || null;

/** Forgets it once the link has been used: each link works once. */
export const forgetLinkEmail = (storage: TabStorage): void => storage.removeItem(LINK_EMAIL_KEY);

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
