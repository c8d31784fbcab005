/** @jest-environment node */
import { ApiError, type LoginConfig } from './api-client.ts';
import { createSession } from './session.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
    items,
  };
}

interface Call {
  url: string;
  init: RequestInit;
}

/** Google's identity REST API, stubbed: each call answered in turn. */
function google(...answers: Array<{ status?: number; body: unknown }>) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new TypeError('no more answers');
    const status = answer.status ?? 200;
    return { ok: status < 300, status, json: async () => answer.body } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const BEARER: LoginConfig = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
  reports: { kind: 'dev-idp', url: '/dev-idp/login/reports' },
};
const FIREBASE: LoginConfig = {
  idpLoginUrl: 'https://idp.example/login',
  session: { kind: 'firebase', apiKey: 'web-key' },
  staff: { kind: 'firebase', apiKey: 'web-key' },
  hotline: { kind: 'firebase', apiKey: 'web-key' },
  reports: { kind: 'firebase', apiKey: 'web-key' },
};
const T0 = Date.parse('2026-01-12T08:00:00Z');

describe('the session', () => {
  it('keeps a bearer token as the API gave it, in the tab’s storage, until it expires', async () => {
    const storage = memoryStorage();
    let now = T0;
    const session = createSession({ storage, key: 's', now: () => now });
    await session.start({ token: 'tok', expiresAt: '2026-01-12T09:00:00Z', tokenKind: 'bearer' }, BEARER, 'pat-1');
    expect(await session.getToken()).toBe('tok');
    expect(session.patientId()).toBe('pat-1');
    expect(JSON.parse(storage.items.get('s') as string)).toMatchObject({ kind: 'bearer', token: 'tok' });

    // A reload of the tab finds it again.
    expect(await createSession({ storage, key: 's', now: () => now }).getToken()).toBe('tok');

    now = Date.parse('2026-01-12T09:00:00Z');
    await expect(session.getToken()).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(session.current()).toBeNull();
    expect(storage.items.has('s')).toBe(false);
  });

  it('keeps a staff member’s own Firebase ID token and renews it before it expires, at the Auth emulator when it came from there', async () => {
    const stub = google({ body: { id_token: 'id-2', refresh_token: 'refresh-2', expires_in: '3600' } });
    let now = T0;
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => now });
    session.adopt({
      apiKey: 'web-key',
      idToken: 'id-1',
      refreshToken: 'refresh-1',
      expiresInSeconds: 3600,
      emulatorUrl: 'http://127.0.0.1:9099',
    });
    expect(await session.getToken()).toBe('id-1');
    expect(session.patientId()).toBeNull();
    expect(stub.calls).toHaveLength(0);

    now = T0 + 3600_000 - 30_000;
    expect(await session.getToken()).toBe('id-2');
    expect(stub.calls[0]?.url).toBe('http://127.0.0.1:9099/securetoken.googleapis.com/v1/token?key=web-key');
  });

  it('exchanges a Firebase custom token for an ID token through Google’s REST API', async () => {
    const stub = google({ body: { idToken: 'id-1', refreshToken: 'refresh-1', expiresIn: '3600' } });
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => T0 });
    await session.start(
      { token: 'custom', expiresAt: '2026-01-12T09:00:00Z', tokenKind: 'firebase-custom-token' },
      FIREBASE,
      'pat-1',
    );
    expect(stub.calls).toHaveLength(1);
    const [call] = stub.calls;
    expect(call?.url).toBe('https://identitytoolkit.googleapis.com/v1/accounts:signInWithCustomToken?key=web-key');
    expect(call?.init.method).toBe('POST');
    expect(JSON.parse(call?.init.body as string)).toEqual({ token: 'custom', returnSecureToken: true });
    expect(await session.getToken()).toBe('id-1');
  });

  it('renews the ID token with the refresh token a minute before it expires, once for many callers', async () => {
    const stub = google(
      { body: { idToken: 'id-1', refreshToken: 'refresh-1', expiresIn: '3600' } },
      { body: { id_token: 'id-2', refresh_token: 'refresh-2', expires_in: '3600' } },
    );
    let now = T0;
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => now });
    await session.start({ token: 'custom', expiresAt: '', tokenKind: 'firebase-custom-token' }, FIREBASE, 'pat-1');

    now = T0 + 3_600_000 - 120_000;
    expect(await session.getToken()).toBe('id-1');
    now = T0 + 3_600_000 - 30_000;
    expect(await Promise.all([session.getToken(), session.getToken()])).toEqual(['id-2', 'id-2']);
    expect(stub.calls).toHaveLength(2);
    const refresh = stub.calls[1] as Call;
    expect(refresh.url).toBe('https://securetoken.googleapis.com/v1/token?key=web-key');
    expect((refresh.init.headers as Record<string, string>)['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(refresh.init.body as string))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
    });
  });

  it('infers a Firebase session from the login configuration when the login does not name its kind', async () => {
    const stub = google({ body: { idToken: 'id-1', refreshToken: 'r', expiresIn: '3600' } });
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => T0 });
    await session.start({ token: 'custom', expiresAt: '' }, FIREBASE, 'pat-1');
    expect(await session.getToken()).toBe('id-1');
  });

  it('ends the session when Google refuses the refresh token, so the person logs in again', async () => {
    const stub = google(
      { body: { idToken: 'id-1', refreshToken: 'refresh-1', expiresIn: '3600' } },
      { status: 400, body: { error: { code: 400, message: 'TOKEN_EXPIRED' } } },
    );
    let now = T0;
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => now });
    await session.start({ token: 'c', expiresAt: '', tokenKind: 'firebase-custom-token' }, FIREBASE, null);
    now = T0 + 3_600_000;
    await expect(session.getToken()).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(session.current()).toBeNull();
  });

  it('keeps the session when the refresh fails for want of a network, and says so', async () => {
    const stub = google({ body: { idToken: 'id-1', refreshToken: 'refresh-1', expiresIn: '3600' } });
    let now = T0;
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => now });
    await session.start({ token: 'c', expiresAt: '', tokenKind: 'firebase-custom-token' }, FIREBASE, null);
    now = T0 + 3_600_000;
    const failure = await session.getToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 0, code: 'NETWORK' });
    expect(session.current()).not.toBeNull();
  });

  it('reports a refused custom token as a failed sign-in and keeps no session', async () => {
    const stub = google({ status: 400, body: { error: { code: 400, message: 'INVALID_CUSTOM_TOKEN' } } });
    const session = createSession({ storage: memoryStorage(), key: 's', fetch: stub.fetch, now: () => T0 });
    await expect(
      session.start({ token: 'bad', expiresAt: '', tokenKind: 'firebase-custom-token' }, FIREBASE, null),
    ).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
    expect(session.current()).toBeNull();
  });

  it('tells its listeners when someone logs in and out, and ignores a damaged stored entry', async () => {
    const storage = memoryStorage();
    storage.setItem('s', '{not json');
    const session = createSession({ storage, key: 's', now: () => T0 });
    expect(session.current()).toBeNull();
    const seen: Array<string | null> = [];
    session.subscribe(() => seen.push(session.current()?.kind ?? null));
    await session.start({ token: 't', expiresAt: '2026-01-12T09:00:00Z', tokenKind: 'bearer' }, BEARER, null);
    session.clear();
    expect(seen).toEqual(['bearer', null]);
  });
});
