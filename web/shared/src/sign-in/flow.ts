import type { StaffSignInConfig, WebLoginConfig } from '@ereg/shared';
import type { ApiClient } from '../api-client.ts';
import type { Session } from '../session.ts';
import type { FirebaseStaffConfig, SignedIn } from './firebase.ts';

export type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The notice of a sign-out the person asked for (rather than a session the API refused). */
export const SIGNED_OUT = 'SIGNED_OUT';

/** Whether a code of a refused session means "sign in again" rather than "this app is not for you". */
export const isSessionEnd = (code: string): boolean =>
  ['TOKEN_EXPIRED', 'INVALID_TOKEN', 'UNAUTHENTICATED'].includes(code);

/** The session the provider handed back in the callback's fragment (`#token=…&expiresAt=…&name=…`), or null. */
export function signInFrom(hash: string): { token: string; expiresAt: string; name: string } | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  const expiresAt = params.get('expiresAt');
  if (!token || !expiresAt || Number.isNaN(Date.parse(expiresAt))) return null;
  return { token, expiresAt, name: params.get('name') ?? '' };
}

/**
 * The sign-in of one staff app (the centres' app, the hotline console): where the app lives, which of
 * the login config's sign-ins it uses, and what it keeps in the tab (the page to return to, the person's
 * name, why they must sign in again) and on the device (the e-mail a sign-in link went to), under its
 * own keys.
 */
export function signInFlow(options: {
  /** Where the app lives on the site: `/centre`, `/agent`. */
  base: string;
  /** The prefix of its storage keys: `ereg.centre`, `ereg.agent`. */
  storagePrefix: string;
  /** The login config's sign-in for this app's people. */
  configOf: (config: WebLoginConfig) => StaffSignInConfig;
}) {
  const { base, storagePrefix } = options;
  const callbackPath = `${base}/login/callback`;
  const RETURN_KEY = `${storagePrefix}.return`;
  const PERSON_KEY = `${storagePrefix}.person`;
  const NOTICE_KEY = `${storagePrefix}.notice`;
  /** The e-mail a sign-in link was sent to, on this device: the link opens in another tab, often another day. */
  const LINK_EMAIL_KEY = `${storagePrefix}.linkEmail`;

  /** Only the app's own pages are returned to after signing in. */
  const ownPath = (value: string | null): string | null =>
    value !== null &&
    (value === base || value.startsWith(`${base}/`) || value.startsWith(`${base}?`)) &&
    !value.startsWith(callbackPath)
      ? value
      : null;

  return {
    base,
    callbackPath,
    ownPath,

    /** How this app's people sign in here: the login config's answer, which the sign-in page asks for first. */
    config: async (api: ApiClient): Promise<StaffSignInConfig> => options.configOf(await api.loginConfig()),

    /**
     * Sends the person to the development identity provider's page for this app, remembering the page
     * to come back to; it is asked to speak the app's language.
     */
    begin(
      config: Extract<StaffSignInConfig, { kind: 'dev-idp' }>,
      storage: TabStorage,
      at: { origin: string; returnTo: string | null; language: string; leave: (url: string) => void },
    ): void {
      const returnTo = ownPath(at.returnTo);
      if (returnTo) storage.setItem(RETURN_KEY, returnTo);
      else storage.removeItem(RETURN_KEY);
      const [path = '', query] = config.url.split('?');
      const params = new URLSearchParams(query);
      params.set('return', `${at.origin}${callbackPath}`);
      params.set('ui_locales', at.language);
      at.leave(`${path.replace(/\/$/, '')}?${params}`);
    },

    /**
     * Keeps a Firebase sign-in as this tab's session (the ID token, renewed with the refresh token before
     * it expires) and the person's name for the header. The page stays where it is, now signed in.
     */
    keepFirebase(session: Session, storage: TabStorage, config: FirebaseStaffConfig, signedIn: SignedIn): void {
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
    },

    /** Where a sign-in link brings the person back: the page they asked for it on. */
    linkReturnUrl: (origin: string, here: string): string =>
      `${origin}${ownPath(here.split('?')[0] ?? '') ?? `${base}/`}`,

    /** Remembers on this device the e-mail a sign-in link went to (Firebase wants it again with the link's code). */
    rememberLinkEmail: (storage: TabStorage, email: string): void => storage.setItem(LINK_EMAIL_KEY, email),
    /** The e-mail a sign-in link was sent to from this device, or null. */
    linkEmailOf: (storage: TabStorage): string | null => storage.getItem(LINK_EMAIL_KEY) || null,
    /** Forgets it once the link has been used: each link works once. */
    forgetLinkEmail: (storage: TabStorage): void => storage.removeItem(LINK_EMAIL_KEY),

    /** Keeps the session handed back, and the person's name for the header; answers the page to go to. */
    async complete(
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
      const next = ownPath(storage.getItem(RETURN_KEY)) ?? `${base}/`;
      storage.removeItem(RETURN_KEY);
      return next;
    },

    /** The signed-in person's name as the sign-in gave it, or null. */
    personName: (storage: TabStorage): string | null => storage.getItem(PERSON_KEY) || null,

    /** Signs out of this tab; the sign-in screen then says why. */
    signOut(session: Session, storage: TabStorage, notice = SIGNED_OUT): void {
      storage.removeItem(PERSON_KEY);
      if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, notice);
      session.clear();
    },

    /** After the API refused the session: remembers the page and why, for the sign-in screen. */
    sessionEnded(storage: TabStorage, here: string, code: string): void {
      const own = ownPath(here);
      if (own) storage.setItem(RETURN_KEY, own);
      if (!storage.getItem(NOTICE_KEY)) storage.setItem(NOTICE_KEY, code);
    },

    /** Why the person must sign in again (the refusal's code), or null; read once. */
    takeNotice(storage: TabStorage): string | null {
      const notice = storage.getItem(NOTICE_KEY);
      storage.removeItem(NOTICE_KEY);
      return notice;
    },
  };
}

export type SignInFlow = ReturnType<typeof signInFlow>;
