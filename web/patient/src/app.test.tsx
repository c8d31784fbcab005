import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ELIGIBLE_ME, fakeApi, NOW, renderApp, resetBrowser, VACCINES } from './test-support.tsx';

beforeEach(resetBrowser);

const LOGIN = {
  token: 'session-token',
  expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
  tokenKind: 'bearer',
  patient: ELIGIBLE_ME.patient,
  eligibility: ELIGIBLE_ME.eligibility,
  referral: null,
};

const baseApi = () => ({
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/config': { body: { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } } },
  'POST /api/login': { body: LOGIN },
  'GET /api/login/me': { body: ELIGIBLE_ME },
});

describe('the patients’ app', () => {
  it('starts in Polish and switches language on request, marking the page’s language and remembering the choice', async () => {
    const { fetch } = fakeApi(baseApi());
    const first = await renderApp({ url: '/', fetch });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Zapisz się na szczepienie');
    expect(document.documentElement.lang).toBe('pl');
    expect(screen.getByRole('button', { name: 'Polski' }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Book your vaccination');
    expect(document.documentElement.lang).toBe('en');
    expect(screen.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Polski' }).getAttribute('aria-pressed')).toBe('false');
    expect(document.title).toBe('Book your vaccination – e-Registration');

    fireEvent.click(screen.getByRole('button', { name: 'Українська' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Запишіться на щеплення');
    expect(document.documentElement.lang).toBe('uk');

    first.unmount();
    await renderApp({ url: '/', fetch });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Запишіться на щеплення');
    expect(document.documentElement.lang).toBe('uk');
  });

  it('sends the person to the identity provider, with the app’s callback as the return address', async () => {
    const left: string[] = [];
    const { fetch } = fakeApi(baseApi());
    await renderApp({ url: '/', fetch, language: 'en', leave: (url) => left.push(url) });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(left).toHaveLength(1));
    expect(left[0]).toBe('/dev-idp/login?return=http%3A%2F%2Flocalhost%2Flogin%2Fcallback&ui_locales=en');
  });

  it('turns the provider’s assertion into a session, in the chosen language, and goes on to the search', async () => {
    const { fetch, requests } = fakeApi(baseApi());
    await renderApp({ url: '/login/callback#assertion=signed.jwt.value', fetch, language: 'uk' });
    await screen.findByRole('heading', { level: 1, name: 'Знайдіть термін щеплення' });

    const login = requests.find((r) => r.method === 'POST' && r.path === '/api/login');
    expect(login?.body).toEqual({ assertion: 'signed.jwt.value', language: 'uk' });
    expect(requests.filter((r) => r.path === '/api/login')).toHaveLength(1);
    expect(window.location.pathname + window.location.hash).toBe('/search');
    expect(JSON.parse(window.sessionStorage.getItem('ereg.patient.session') ?? '{}')).toMatchObject({
      kind: 'bearer',
      token: 'session-token',
      patientId: 'pat-1',
    });
    expect(screen.getByRole('link', { name: 'Мої візити' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Вийти' })).toBeTruthy();
  });

  it('goes back after logging in to the page the person was on', async () => {
    window.sessionStorage.setItem('ereg.patient.return', '/book/c-0001_comirnaty_20260113T0700Z');
    const { fetch } = fakeApi(baseApi());
    await renderApp({ url: '/login/callback#assertion=a', fetch, language: 'en' });
    await screen.findByRole('heading', { level: 1, name: 'Confirm your booking' });
    expect(window.location.pathname).toBe('/book/c-0001_comirnaty_20260113T0700Z');
  });

  it('explains a refused or missing assertion and offers to log in again', async () => {
    const { fetch } = fakeApi({
      ...baseApi(),
      'POST /api/login': { status: 401, body: { error: { code: 'INVALID_ASSERTION', message: 'expired' } } },
    });
    const first = await renderApp({ url: '/login/callback#assertion=old', fetch, language: 'en' });
    expect((await screen.findByRole('alert')).textContent).toContain('Logging in failed or took too long.');
    expect(screen.getByRole('button', { name: 'Log in' })).toBeTruthy();
    first.unmount();

    await renderApp({ url: '/login/callback', fetch, language: 'en' });
    expect((await screen.findByRole('alert')).textContent).toContain('Logging in did not finish.');
  });

  it('moves focus to the new page’s heading on navigation, and the skip link to the main content', async () => {
    const { fetch } = fakeApi(baseApi());
    await renderApp({ url: '/', fetch, language: 'en' });
    expect(document.activeElement).toBe(document.body);

    fireEvent.click(screen.getByRole('link', { name: 'Find a slot' }));
    const heading = screen.getByRole('heading', { level: 1, name: 'Find a vaccination slot' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('link', { name: 'Find a slot' }).getAttribute('aria-current')).toBe('page');

    fireEvent.click(screen.getByRole('link', { name: 'Skip to main content' }));
    expect(document.activeElement).toBe(screen.getByRole('main'));
  });

  it('logs out: the session ends and the menu offers logging in', async () => {
    window.sessionStorage.setItem(
      'ereg.patient.session',
      JSON.stringify({ kind: 'bearer', token: 't', expiresAt: NOW.getTime() + 60_000, patientId: 'pat-1' }),
    );
    const { fetch } = fakeApi(baseApi());
    await renderApp({ url: '/visits', fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(window.sessionStorage.getItem('ereg.patient.session')).toBeNull();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Book your vaccination');
    expect(screen.getByText('You have logged out.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'My visits' })).toBeNull();
  });

  it('sends someone whose session ran out back to the start, saying so once, and returns them afterwards', async () => {
    window.sessionStorage.setItem(
      'ereg.patient.session',
      JSON.stringify({ kind: 'bearer', token: 't', expiresAt: NOW.getTime() - 1, patientId: 'pat-1' }),
    );
    const { fetch, requests } = fakeApi(baseApi());
    await renderApp({ url: '/visits', fetch, language: 'en' });
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('alert').textContent).toContain('Your session has expired.');
    expect(requests.filter((r) => r.path.startsWith('/api/booking'))).toHaveLength(0);
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBe('/visits');
  });

  it('answers an unknown path with a page that says so', async () => {
    const { fetch } = fakeApi(baseApi());
    await renderApp({ url: '/no/such/page', fetch, language: 'en' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found');
  });
});
