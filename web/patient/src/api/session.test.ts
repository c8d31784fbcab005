/** @jest-environment node */
import { createApiClient } from '../../../shared/src/api-client.ts';
import { assertionFrom, beginLogin, rememberReturn } from './session.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const api = (idpLoginUrl: string) =>
  createApiClient({
    fetch: (async () => ({
      ok: true,
      status: 200,
      json: async () => ({ idpLoginUrl, session: { kind: 'bearer' } }),
    })) as unknown as typeof fetch,
  });

describe('logging in through the identity provider', () => {
  it('sends the browser to the provider with the app’s callback address as the return', async () => {
    const left: string[] = [];
    await beginLogin(api('https://idp.example/login?client=ereg'), memoryStorage(), {
      origin: 'https://e-rejestracja.example',
      returnTo: '/visits',
      leave: (url) => left.push(url),
    });
    expect(left).toEqual([
      'https://idp.example/login?client=ereg&return=https%3A%2F%2Fe-rejestracja.example%2Flogin%2Fcallback',
    ]);
  });

  it('asks the provider to speak the app’s language', async () => {
    const left: string[] = [];
    await beginLogin(api('/dev-idp/login'), memoryStorage(), {
      origin: 'http://localhost',
      returnTo: null,
      leave: (url) => left.push(url),
      language: 'uk',
    });
    expect(left).toEqual(['/dev-idp/login?return=http%3A%2F%2Flocalhost%2Flogin%2Fcallback&ui_locales=uk']);
  });

  it('returns after login only to the app’s own pages, never to another site', async () => {
    const storage = memoryStorage();
    for (const returnTo of ['//evil.example/x', 'https://evil.example', '/login/callback#assertion=x']) {
      await beginLogin(api('/dev-idp/login'), storage, { origin: 'http://localhost', returnTo, leave: () => {} });
      expect({ returnTo, kept: storage.getItem('ereg.patient.return') }).toEqual({ returnTo, kept: null });
    }
    rememberReturn(storage, '/book/s-1');
    expect(storage.getItem('ereg.patient.return')).toBe('/book/s-1');
  });

  it('reads the assertion from the callback’s fragment', () => {
    expect(assertionFrom('#assertion=eyJ.abc.def')).toBe('eyJ.abc.def');
    expect(assertionFrom('#assertion=a%2Bb')).toBe('a+b');
    expect(assertionFrom('#error=cancelled')).toBeNull();
    expect(assertionFrom('')).toBeNull();
  });
});
