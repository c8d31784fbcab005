import { ApiError, type LoginConfig, type LoginResponse, NETWORK_ERROR } from './api-client.ts';

/** What is kept of a logged-in person between page loads of one tab (sessionStorage). */
export type StoredSession =
  | { kind: 'bearer'; token: string; expiresAt: number; patientId: string | null }
  | {
      kind: 'firebase';
      apiKey: string;
      idToken: string;
      refreshToken: string;
      expiresAt: number;
      patientId: string | null;
      /** The Auth emulator's address, when the tokens are its own (they are renewed there too). */
      emulatorUrl?: string;
    };

export interface SessionOptions {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The storage key; each app keeps its own. */
  key: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Renew a Firebase ID token this long before it expires, so a request never leaves with a dying one. */
const RENEW_MARGIN_MS = 60_000;

const SIGN_IN_URL = 'https://identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken';
const REFRESH_URL = 'https://securetoken.googleapis.com/v1/token';

const expired = () => new ApiError(401, 'TOKEN_EXPIRED', 'The session has expired; log in again.');

function parse(text: string | null): StoredSession | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredSession>;
    if (value.kind === 'bearer' && typeof value.token === 'string' && typeof value.expiresAt === 'number') {
      return value as StoredSession;
    }
    if (
      value.kind === 'firebase' &&
      typeof value.idToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.apiKey === 'string' &&
      typeof value.expiresAt === 'number'
    ) {
      return value as StoredSession;
    }
  } catch {
    // A damaged entry is treated as no session.
  }
  return null;
}

/**
 * The session of one web app: a bearer token as the API gave it, or (in the cloud) a Firebase ID token
 * obtained for the API's custom token through Google's REST API and renewed with its refresh token.
 */
export function createSession(options: SessionOptions) {
  const { storage, key } = options;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const listeners = new Set<() => void>();
  let current = parse(storage.getItem(key));
  let renewing: Promise<boolean> | null = null;

  const save = (next: StoredSession | null) => {
    current = next;
    if (next) storage.setItem(key, JSON.stringify(next));
    else storage.removeItem(key);
    for (const listener of listeners) listener();
  };

  /** Calls Google's identity REST API; a refused refresh means the person must log in again. */
  async function google<T>(url: string, init: RequestInit, refresh: boolean): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      throw new ApiError(0, NETWORK_ERROR, 'The sign-in service could not be reached.', { cause });
    }
    const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!response.ok) {
      const reason = body.error?.message ?? `HTTP ${response.status}`;
      if (refresh) throw new ApiError(401, 'TOKEN_EXPIRED', `The session cannot be renewed (${reason}).`);
      throw new ApiError(response.status, 'SIGN_IN_FAILED', `Signing in failed (${reason}).`);
    }
    return body;
  }

  async function renewFirebase(session: Extract<StoredSession, { kind: 'firebase' }>): Promise<boolean> {
    const refreshUrl = session.emulatorUrl
      ? `${session.emulatorUrl.replace(/\/+$/, '')}/${REFRESH_URL.replace(/^https:\/\//, '')}`
      : REFRESH_URL;
    const answer = await google<{ id_token: string; refresh_token: string; expires_in: string }>(
      `${refreshUrl}?key=${encodeURIComponent(session.apiKey)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: session.refreshToken }).toString(),
      },
      true,
    );
    save({
      ...session,
      idToken: answer.id_token,
      refreshToken: answer.refresh_token,
      expiresAt: now() + Number(answer.expires_in) * 1000,
    });
    return true;
  }

  /** Renews a Firebase session (once, however many requests ask at the same time); false for a bearer one. */
  function renew(): Promise<boolean> {
    const session = current;
    if (session?.kind !== 'firebase') return Promise.resolve(false);
    renewing ??= renewFirebase(session)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) save(null);
        throw error;
      })
      .finally(() => {
        renewing = null;
      });
    return renewing;
  }

  return {
    /** The session now, or null. */
    current: (): StoredSession | null => current,

    /** The patient the session belongs to (null for staff and agents). */
    patientId: (): string | null => current?.patientId ?? null,

    /** Keeps the session the login answered; a Firebase custom token is exchanged for an ID token first. */
    async start(
      login: Pick<LoginResponse, 'token' | 'expiresAt'> & Partial<Pick<LoginResponse, 'tokenKind'>>,
      config: LoginConfig,
      patientId: string | null,
    ) {
      const kind = login.tokenKind ?? (config.session.kind === 'firebase' ? 'firebase-custom-token' : 'bearer');
      if (kind === 'bearer') {
        save({ kind: 'bearer', token: login.token, expiresAt: Date.parse(login.expiresAt), patientId });
        return;
      }
      if (config.session.kind !== 'firebase') {
        throw new ApiError(0, 'SIGN_IN_FAILED', 'The server gave a Firebase token but no Firebase API key.');
      }
      const apiKey = config.session.apiKey;
      const answer = await google<{ idToken: string; refreshToken: string; expiresIn: string }>(
        `${SIGN_IN_URL}?key=${encodeURIComponent(apiKey)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: login.token, returnSecureToken: true }),
        },
        false,
      );
      save({
        kind: 'firebase',
        apiKey,
        idToken: answer.idToken,
        refreshToken: answer.refreshToken,
        expiresAt: now() + Number(answer.expiresIn) * 1000,
        patientId,
      });
    },

    /**
     * Keeps a Firebase session signed in to directly (a centre's staff member with their account): its ID
     * token is the session, renewed with its refresh token before it expires.
     */
    adopt(tokens: {
      apiKey: string;
      idToken: string;
      refreshToken: string;
      expiresInSeconds: number;
      emulatorUrl?: string | undefined;
    }) {
      save({
        kind: 'firebase',
        apiKey: tokens.apiKey,
        idToken: tokens.idToken,
        refreshToken: tokens.refreshToken,
        expiresAt: now() + tokens.expiresInSeconds * 1000,
        patientId: null,
        ...(tokens.emulatorUrl ? { emulatorUrl: tokens.emulatorUrl } : {}),
      });
    },

    /** The token for the API's Authorization header, renewed when due; throws TOKEN_EXPIRED when it cannot be. */
    async getToken(): Promise<string | null> {
      const session = current;
      if (!session) return null;
      if (session.kind === 'bearer') {
        if (now() >= session.expiresAt) {
          save(null);
          throw expired();
        }
        return session.token;
      }
      if (now() >= session.expiresAt - RENEW_MARGIN_MS) await renew();
      return current?.kind === 'firebase' ? current.idToken : null;
    },

    renew,

    /** Logs out (this tab). */
    clear: () => save(null),

    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Session = ReturnType<typeof createSession>;
