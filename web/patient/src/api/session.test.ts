/** @jest-environment node */
import { createApiClient } from '../../../shared/src/api-client.ts';
import {
  assertionFrom,
  beginLogin,
  rememberReturn,
  resumeAfterLogin,
  returnAfterLogin,
  stayAfterLogin,
} from './session.ts';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

/** A tab's history as the router sees it: its entries and which one is shown. */
function aHistory(entries: string[]) {
  const tab = { entries: [...entries], at: entries.length - 1 };
  return {
    tab,
    href: () => tab.entries[tab.at] ?? '/',
    position: (): number | null => tab.at,
    navigate(to: string, options: { replace?: boolean } = {}) {
      if (options.replace) tab.entries[tab.at] = to;
      else {
        tab.entries.splice(tab.at + 1, tab.entries.length, to);
        tab.at += 1;
      }
    },
    go(delta: number) {
      tab.at += delta;
    },
    /** The browser follows a link to another site (the identity provider's pages). */
    visit(url: string) {
      tab.entries.splice(tab.at + 1, tab.entries.length, url);
      tab.at += 1;
    },
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
      router: aHistory(['/visits']),
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
      router: aHistory(['/']),
      language: 'uk',
    });
    expect(left).toEqual(['/dev-idp/login?return=http%3A%2F%2Flocalhost%2Flogin%2Fcallback&ui_locales=uk']);
  });

  it('returns after login only to the app’s own pages, never to another site', async () => {
    const storage = memoryStorage();
    for (const returnTo of ['//evil.example/x', 'https://evil.example', '/login/callback#assertion=x']) {
      await beginLogin(api('/dev-idp/login'), storage, {
        origin: 'http://localhost',
        returnTo,
        leave: () => {},
        router: aHistory(['/']),
      });
      expect({ returnTo, kept: storage.getItem('ereg.patient.return') }).toEqual({ returnTo, kept: null });
    }
    rememberReturn(storage, '/book/s-1');
    expect(storage.getItem('ereg.patient.return')).toBe('/book/s-1');
  });

  it('comes back over the provider’s pages to the page the login began on, so that Back leads to the search', async () => {
    const storage = memoryStorage();
    const tab = aHistory(['/', '/search?postalCode=00-950', '/book/s-1']);
    await beginLogin(api('/dev-idp/login'), storage, {
      origin: 'http://localhost',
      returnTo: '/book/s-1',
      leave: (url) => tab.visit(url),
      router: tab,
    });
    tab.visit('/login/callback#assertion=a');
    expect(returnAfterLogin(storage, tab, '/book/s-1')).toBe('back');
    expect(tab.href()).toBe('/book/s-1');
    resumeAfterLogin(storage, tab);
    expect(tab.href()).toBe('/book/s-1');
    tab.go(-1);
    expect(tab.href()).toBe('/search?postalCode=00-950');
    // Nothing is left to resume: a later page of the tab stays where it is.
    tab.navigate('/visits');
    resumeAfterLogin(storage, tab);
    expect(tab.href()).toBe('/visits');
  });

  it('goes on to the search from the start page once back on it, so that Back from the search is the start page', async () => {
    const storage = memoryStorage();
    const tab = aHistory(['/']);
    await beginLogin(api('/dev-idp/login'), storage, {
      origin: 'http://localhost',
      returnTo: null,
      leave: (url) => tab.visit(url),
      router: tab,
    });
    tab.visit('/dev-idp/login/done');
    tab.visit('/login/callback#assertion=a');
    expect(returnAfterLogin(storage, tab, '/search')).toBe('back');
    // The callback's page is still shown until the browser has gone back: it resumes nothing.
    expect(tab.tab.at).toBe(0);
    resumeAfterLogin(storage, tab);
    expect(tab.tab.entries).toEqual(['/', '/search']);
    expect(tab.href()).toBe('/search');
  });

  it('makes the callback the next page when the login began elsewhere, or too far back to count', async () => {
    const storage = memoryStorage();
    const fresh = aHistory(['https://news.example', '/login/callback']);
    expect(returnAfterLogin(storage, fresh, '/search')).toBe('replaced');
    expect(fresh.tab.entries).toEqual(['https://news.example', '/search']);

    const long = aHistory(['/search']);
    await beginLogin(api('/dev-idp/login'), storage, {
      origin: '',
      returnTo: '/search',
      leave: () => {},
      router: long,
    });
    for (let i = 0; i < 25; i++) long.visit(`https://idp.example/step-${i}`);
    expect(returnAfterLogin(storage, long, '/search')).toBe('replaced');
    expect(long.href()).toBe('/search');
    expect(long.tab.at).toBe(25);

    const limited = { ...aHistory(['/search', '/login/callback']), position: () => null };
    storage.setItem('ereg.patient.loginFrom', '0');
    expect(returnAfterLogin(storage, limited, '/search')).toBe('replaced');
  });

  it('goes on from the callback after all when the browser did not go back', async () => {
    const storage = memoryStorage();
    const tab = aHistory(['/book/s-1']);
    await beginLogin(api('/dev-idp/login'), storage, {
      origin: '',
      returnTo: '/book/s-1',
      leave: () => {},
      router: tab,
    });
    tab.visit('/login/callback');
    const stuck = { ...tab, go: () => {} };
    expect(returnAfterLogin(storage, stuck, '/book/s-1')).toBe('back');
    stayAfterLogin(storage, stuck, '/book/s-1');
    expect(tab.tab.entries).toEqual(['/book/s-1', '/book/s-1']);
    // Should the browser go back later after all, the first page stays as it is.
    tab.go(-1);
    resumeAfterLogin(storage, tab);
    expect(tab.tab.entries).toEqual(['/book/s-1', '/book/s-1']);
    expect(tab.tab.at).toBe(0);
  });

  it('reads the assertion from the callback’s fragment', () => {
    expect(assertionFrom('#assertion=eyJ.abc.def')).toBe('eyJ.abc.def');
    expect(assertionFrom('#assertion=a%2Bb')).toBe('a+b');
    expect(assertionFrom('#error=cancelled')).toBeNull();
    expect(assertionFrom('')).toBeNull();
  });
});
