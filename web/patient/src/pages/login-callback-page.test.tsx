import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  aCentre,
  apiError,
  aSearchResult,
  aSlot,
  ELIGIBLE_ME,
  fakeApi,
  NOW,
  renderApp,
  resetBrowser,
  VACCINES,
} from '../test-support.tsx';

beforeEach(() => {
  resetBrowser();
  // A page the browser loads is the newest entry of the tab's history, as here after an earlier test's Back.
  window.history.pushState(null, '', '/');
});

const LOGIN = {
  token: 'session-token',
  expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
  tokenKind: 'bearer',
  patient: ELIGIBLE_ME.patient,
  eligibility: ELIGIBLE_ME.eligibility,
  referral: null,
};

const api = () =>
  fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/search': { body: aSearchResult([{ centre: aCentre(), distanceKm: 1.2, slots: [aSlot()] }]) },
    'GET /api/login/config': { body: { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } } },
    'POST /api/login': { body: LOGIN },
    'GET /api/login/me': { body: ELIGIBLE_ME },
    'POST /api/booking/appointments/preview': {
      body: { dose: 1, vaccineId: 'comirnaty', centreId: 'c-0001', slot: { ...aSlot(), free: 3 }, followUp: null },
    },
  });

/**
 * The identity provider's pages, then its return to the callback: in a browser these are other
 * documents, so the app that sent the person there is gone and a new one starts on the callback.
 */
async function throughTheProvider(app: { unmount(): void }, fetch: typeof globalThis.fetch, left: string[]) {
  await waitFor(() => expect(left).toHaveLength(1));
  app.unmount();
  window.history.pushState(null, '', left[0]);
  window.history.pushState(null, '', '/login/callback#assertion=signed.jwt');
  return renderApp({ url: '/login/callback#assertion=signed.jwt', fetch, language: 'en' });
}

describe('coming back from the identity provider', () => {
  it('after logging in to book a slot, Back from the booking page leads to the search, not to the login', async () => {
    const { fetch } = api();
    const left: string[] = [];
    const first = await renderApp({
      url: '/search?postalCode=00-950',
      fetch,
      language: 'en',
      leave: (url) => left.push(url),
    });
    fireEvent.click(screen.getByRole('link', { name: /Comirnaty/ }));
    await screen.findByRole('heading', { level: 1, name: 'Confirm your booking' });
    fireEvent.click(within(screen.getByRole('main')).getByRole('button', { name: 'Log in' }));

    await throughTheProvider(first, fetch, left);
    await screen.findByRole('button', { name: 'Confirm booking' });
    expect(window.location.pathname).toBe('/book/c-0001_comirnaty_20260113T0700Z');

    window.history.back();
    await screen.findByRole('heading', { level: 1, name: 'Find a vaccination slot' });
    expect(window.location.pathname + window.location.search).toBe('/search?postalCode=00-950');
  });

  it('after logging in from the start page, goes on to the search, and Back from there is the start page', async () => {
    const { fetch } = api();
    const left: string[] = [];
    const first = await renderApp({ url: '/', fetch, language: 'en', leave: (url) => left.push(url) });
    fireEvent.click(within(screen.getByRole('main')).getByRole('button', { name: 'Log in' }));

    await throughTheProvider(first, fetch, left);
    await screen.findByRole('heading', { level: 1, name: 'Find a vaccination slot' });
    expect(window.location.pathname).toBe('/search');
    expect(window.sessionStorage.getItem('ereg.patient.resume')).toBeNull();

    window.history.back();
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(window.location.pathname).toBe('/');
    expect(screen.getByText('You are logged in. What would you like to do?')).toBeTruthy();
  });

  it('after the session ended on a page, logging in again from the start page returns to that page', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/config': { body: { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } } },
      'POST /api/login': { body: LOGIN },
      'GET /api/booking/patients/pat-1/appointments': apiError(401, 'TOKEN_EXPIRED'),
    });
    window.sessionStorage.setItem(
      'ereg.patient.session',
      JSON.stringify({ kind: 'bearer', token: 'old', expiresAt: NOW.getTime() + 60_000, patientId: 'pat-1' }),
    );
    const left: string[] = [];
    const first = await renderApp({ url: '/visits', fetch, language: 'en', leave: (url) => left.push(url) });
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(screen.getByRole('alert').textContent).toContain('Your session has expired');
    fireEvent.click(within(screen.getByRole('main')).getByRole('button', { name: 'Log in' }));

    await throughTheProvider(first, fetch, left);
    await waitFor(() => expect(window.location.pathname).toBe('/visits'));
  });

  it('shows the start page, not an error, to someone already logged in who comes Forward to the callback', async () => {
    const { fetch } = api();
    window.sessionStorage.setItem(
      'ereg.patient.session',
      JSON.stringify({ kind: 'bearer', token: 't', expiresAt: NOW.getTime() + 60_000, patientId: 'pat-1' }),
    );
    await renderApp({ url: '/login/callback', fetch, language: 'en' });
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the header’s log-in link', () => {
  it('leads to the identity provider and back to the page the person was on', async () => {
    const { fetch, requests } = api();
    const left: string[] = [];
    const first = await renderApp({
      url: '/search?postalCode=00-950',
      fetch,
      language: 'en',
      leave: (url) => left.push(url),
    });
    const link = within(screen.getByRole('navigation', { name: 'Main menu' })).getByRole('link', { name: 'Log in' });
    // Opened in a new tab, the link starts the login there, with the same return.
    expect(link.getAttribute('href')).toBe(`/login?return=${encodeURIComponent('/search?postalCode=00-950')}`);
    fireEvent.click(link);
    expect(window.location.pathname).toBe('/search');

    await throughTheProvider(first, fetch, left);
    expect(left[0]).toBe('/dev-idp/login?return=http%3A%2F%2Flocalhost%2Flogin%2Fcallback&ui_locales=en');
    await screen.findByRole('heading', { level: 2, name: /You can book a vaccination/ });
    expect(window.location.pathname + window.location.search).toBe('/search?postalCode=00-950');
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/api/login')).toHaveLength(1);
    expect(within(screen.getByRole('navigation')).queryByRole('link', { name: 'Log in' })).toBeNull();
  });

  it('opened in a new tab, starts the login at once, and its entry gives way to the page asked for', async () => {
    const { fetch } = api();
    const left: string[] = [];
    const first = await renderApp({
      url: `/login?return=${encodeURIComponent('/visits')}`,
      fetch,
      language: 'en',
      leave: (url) => left.push(url),
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logging in');

    await throughTheProvider(first, fetch, left);
    await screen.findByRole('heading', { level: 1, name: 'My visits' });
    expect(window.location.pathname).toBe('/visits');
    // The login page's entry became the visits: Back does not start the login again.
    window.history.back();
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(window.location.pathname).toBe('/');
  });

  it('says under the menu why the login could not start, and the page stays as it was', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/config': apiError(429, 'TOO_MANY_REQUESTS'),
    });
    const left: string[] = [];
    await renderApp({ url: '/visits', fetch, language: 'en', leave: (url) => left.push(url) });
    fireEvent.click(within(screen.getByRole('navigation')).getByRole('link', { name: 'Log in' }));
    const alert = await within(screen.getByRole('banner')).findByRole('alert');
    expect(alert.textContent).toContain('A great many people are booking right now');
    expect(left).toEqual([]);
    expect(window.location.pathname).toBe('/visits');
  });

  it('does not come back to another site, nor to the login page itself', async () => {
    const { fetch } = api();
    const left: string[] = [];
    await renderApp({
      url: `/login?return=${encodeURIComponent('//evil.example/')}`,
      fetch,
      language: 'en',
      leave: (url) => left.push(url),
    });
    await waitFor(() => expect(left).toHaveLength(1));
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBeNull();
  });
});
