import type { Language } from '@ereg/shared';
import type { ApiClient, LoginResponse } from '../../../shared/src/api-client.ts';
import type { Router } from '../../../shared/src/router.tsx';
import type { Session } from '../../../shared/src/session.ts';

const RETURN_KEY = 'ereg.patient.return';
const NOTICE_KEY = 'ereg.patient.notice';

type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The callback path the identity provider sends the browser back to. */
export const CALLBACK_PATH = '/login/callback';

/** Only the app's own paths are returned to after logging in (never another site). */
const ownPath = (value: string | null): string | null =>
  value?.startsWith('/') && !value.startsWith('//') && !value.startsWith(CALLBACK_PATH) ? value : null;

/**
 * Sends the person to the identity provider, remembering where to come back to. Locally that is the
 * development provider's page, where a demo citizen is chosen. The provider is asked to speak the
 * app's language (`ui_locales`, as OpenID Connect names it).
 */
export async function beginLogin(
  api: ApiClient,
  storage: TabStorage,
  options: { origin: string; returnTo: string | null; leave: (url: string) => void; language?: Language },
): Promise<void> {
  const config = await api.loginConfig();
  const returnTo = ownPath(options.returnTo);
  if (returnTo) storage.setItem(RETURN_KEY, returnTo);
  else storage.removeItem(RETURN_KEY);
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

/** Why the person was sent back to log in (the code of the API's refusal), or null. */
export const readNotice = (storage: TabStorage): string | null => storage.getItem(NOTICE_KEY);

/** The start page has shown the notice; it is not shown again. */
export const clearNotice = (storage: TabStorage): void => storage.removeItem(NOTICE_KEY);

/** Where to go after logging in, if the person was on their way somewhere (kept until the login completes). */
export function rememberReturn(storage: TabStorage, path: string): void {
  const own = ownPath(path);
  if (own) storage.setItem(RETURN_KEY, own);
}
