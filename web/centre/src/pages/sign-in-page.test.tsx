import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeApi } from '../../../shared/src/fake-api.ts';
import { App } from '../app.tsx';
import { createServices } from '../services.ts';

/*
 * The sign-in page where staff sign in with their Firebase Authentication account: the API's config says
 * so, and Google's Identity Toolkit answers at its REST paths (stood in here; the same calls are proven
 * against the real Auth emulator in web/test/firebase/staff-sign-in.test.ts).
 */

const NOW = new Date('2026-01-12T08:00:00.000Z');
const CENTRE = {
  id: 'ctr-1',
  name: 'Przychodnia Nr 2',
  address: { street: 'Marszałkowska 1', postalCode: '00-950', city: 'Warszawa', voivodeship: 'mazowieckie' },
  location: { lat: 52.23, lng: 21.01 },
  timeZone: 'Europe/Warsaw',
  phone: null,
  schedule: {},
  createdAt: '2025-01-01T00:00:00Z',
};
const TOKENS = { idToken: 'id-anna', refreshToken: 'refresh-anna', expiresIn: '3600', displayName: 'Anna Wiśniewska' };
const firebaseError = (message: string) => ({ status: 400, body: { error: { code: 400, message } } });

const api = (identityToolkit: Record<string, unknown>) =>
  fakeApi({
    'GET /api/login/config': {
      body: {
        idpLoginUrl: 'https://login.gov.pl/ereg',
        session: { kind: 'firebase', apiKey: 'web-key' },
        staff: { kind: 'firebase', apiKey: 'web-key' },
      },
    },
    'GET /api/search/vaccines': { body: { vaccines: [] } },
    'GET /api/login/me': {
      body: { principal: { role: 'centre-manager', staffId: 'stf-anna', centreId: 'ctr-1' }, patient: null },
    },
    'GET /api/centres/ctr-1': { body: CENTRE },
    'GET /api/centres/ctr-1/day': { body: { centreId: 'ctr-1', date: '2026-01-12', slots: [], appointments: [] } },
    'GET /api/centres/ctr-1/batches': { body: { batches: [] } },
    ...(identityToolkit as Record<string, { body: unknown }>),
  });

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function renderApp(url: string, fetch: typeof globalThis.fetch) {
  window.history.replaceState(null, '', url);
  render(<App services={createServices(window, { fetch, now: () => NOW })} />);
  await settle();
}

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('signing in with a staff account', () => {
  it('takes e-mail and password, keeps the ID token as the session and shows the desk signed in', async () => {
    const { fetch, requests } = api({ 'POST /v1/accounts:signInWithPassword': { body: TOKENS } });
    await renderApp('/centre/', fetch);

    type('Adres e-mail', 'anna@example.test');
    type('Hasło', 'correct horse');
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));

    await screen.findByText('Zalogowano: Anna Wiśniewska');
    const signIn = requests.find((r) => r.path === '/v1/accounts:signInWithPassword');
    expect(signIn?.url).toBe('https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=web-key');
    expect(signIn?.body).toEqual({ email: 'anna@example.test', password: 'correct horse', returnSecureToken: true });
    expect(requests.find((r) => r.path === '/api/login/me')?.headers.authorization).toBe('Bearer id-anna');
    expect(JSON.parse(window.sessionStorage.getItem('ereg.centre.session') ?? '{}')).toMatchObject({
      kind: 'firebase',
      idToken: 'id-anna',
      refreshToken: 'refresh-anna',
      expiresAt: NOW.getTime() + 3_600_000,
    });
  });

  it.each([
    ['INVALID_PASSWORD', 'Nieprawidłowe hasło. Spróbuj ponownie albo wyślij sobie link do logowania.'],
    ['EMAIL_NOT_FOUND', 'Nie ma konta personelu z tym adresem e-mail.'],
    [
      'TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled',
      'Zbyt wiele nieudanych prób',
    ],
  ])('says in words why Firebase refused (%s), and keeps no session', async (message, words) => {
    const { fetch } = api({ 'POST /v1/accounts:signInWithPassword': firebaseError(message) });
    await renderApp('/centre/', fetch);

    type('Adres e-mail', 'anna@example.test');
    type('Hasło', 'wrong');
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));

    expect((await screen.findByRole('alert')).textContent).toContain(words);
    expect(window.sessionStorage.getItem('ereg.centre.session')).toBeNull();
  });

  it('names the missing e-mail before asking Firebase anything', async () => {
    const { fetch, requests } = api({});
    await renderApp('/centre/', fetch);

    fireEvent.click(screen.getByRole('button', { name: 'Wyślij mi link do logowania' }));

    expect(screen.getByLabelText('Adres e-mail').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Podaj adres e-mail.')).toBeTruthy();
    expect(requests.some((r) => r.path.startsWith('/v1/'))).toBe(false);
  });

  it('e-mails a sign-in link back to this page; opened here, it signs in and leaves the address clean', async () => {
    const first = api({ 'POST /v1/accounts:sendOobCode': { body: { email: 'anna@example.test' } } });
    await renderApp('/centre/day?date=2026-01-13', first.fetch);
    type('Adres e-mail', 'anna@example.test');
    fireEvent.click(screen.getByRole('button', { name: 'Wyślij mi link do logowania' }));
    await screen.findByText(/Wysłaliśmy link do logowania na anna@example.test/);
    expect(first.requests.find((r) => r.path === '/v1/accounts:sendOobCode')?.body).toEqual({
      requestType: 'EMAIL_SIGNIN',
      email: 'anna@example.test',
      continueUrl: 'http://localhost/centre/day',
      canHandleCodeInApp: true,
    });

    const second = api({ 'POST /v1/accounts:signInWithEmailLink': { body: TOKENS } });
    await renderApp('/centre/day?apiKey=web-key&oobCode=code-1&mode=signIn&lang=pl', second.fetch);

    await screen.findByText('Zalogowano: Anna Wiśniewska');
    expect(second.requests.find((r) => r.path === '/v1/accounts:signInWithEmailLink')?.body).toEqual({
      email: 'anna@example.test',
      oobCode: 'code-1',
    });
    expect(window.location.search).toBe('');
    expect(window.localStorage.getItem('ereg.centre.linkEmail')).toBeNull();
  });

  it('asks for the second factor when Firebase wants one, and finishes with the SMS code', async () => {
    const { fetch, requests } = api({
      'POST /v1/accounts:signInWithPassword': {
        body: {
          mfaPendingCredential: 'pending-1',
          mfaInfo: [{ mfaEnrollmentId: 'mfa-1', phoneInfo: '+48******200', displayName: 'Służbowy' }],
        },
      },
      'POST /v2/accounts/mfaSignIn:start': { body: { phoneResponseInfo: { sessionInfo: 'sms-session' } } },
      'POST /v2/accounts/mfaSignIn:finalize': { body: { idToken: 'id-anna', refreshToken: 'refresh-anna' } },
    });
    await renderApp('/centre/', fetch);
    type('Adres e-mail', 'anna@example.test');
    type('Hasło', 'correct horse');
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));

    await screen.findByRole('heading', { name: 'Potrzebny drugi składnik logowania' });
    expect(window.sessionStorage.getItem('ereg.centre.session')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Wyślij kod SMS na Służbowy' }));
    await screen.findByLabelText('Kod');
    type('Kod', '123456');
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdź' }));

    await waitFor(() => expect(window.sessionStorage.getItem('ereg.centre.session')).not.toBeNull());
    expect(requests.find((r) => r.path === '/v2/accounts/mfaSignIn:finalize')?.body).toEqual({
      mfaPendingCredential: 'pending-1',
      phoneVerificationInfo: { sessionInfo: 'sms-session', code: '123456' },
    });
  });
});
