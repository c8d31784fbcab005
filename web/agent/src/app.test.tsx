import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { apiError, fakeApi } from '../../shared/src/fake-api.ts';
import { App } from './app.tsx';
import { aCaller } from './book-test-support.tsx';
import { createServices } from './services.ts';

/*
 * The console's shell: signing in through the login config's hotline sign-in, the header and pages of
 * an agent and of a supervisor, the session clock that warns before an idle sign-out and signs out when
 * the session is over, the shortcuts' help, the call strip, and the ways a session ends.
 */

/** Monday 12 January 2026, 09:00 in Warsaw. */
const START = Date.parse('2026-01-12T08:00:00.000Z');
let clock = START;

const CONFIG = {
  idpLoginUrl: '/dev-idp/login',
  session: { kind: 'bearer' },
  staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
  hotline: { kind: 'dev-idp', url: '/dev-idp/login/hotline' },
};

const me = (principal: Record<string, unknown>, endsAt = '2026-01-12T18:00:00.000Z') => ({
  body: {
    principal,
    staff: null,
    patient: null,
    eligibility: null,
    referral: null,
    hotlineSession: principal.role === 'patient' ? null : { idleMinutes: 15, endsAt },
  },
});
const AGENT = { role: 'agent', agentId: 'agent-1', session: { id: 'sgn-1', startedAt: '2026-01-12T08:00:00.000Z' } };
const SUPERVISOR = {
  role: 'supervisor',
  supervisorId: 'sup-1',
  session: { id: 'sgn-2', startedAt: '2026-01-12T08:00:00.000Z' },
};

const JANINA = aCaller();

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

function signedIn(person = 'Anna Agentka') {
  window.sessionStorage.setItem(
    'ereg.agent.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: START + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.agent.person', person);
}

async function open(url: string, routes: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi({ 'GET /api/login/config': { body: CONFIG }, ...routes });
  const left: string[] = [];
  window.history.replaceState(null, '', url);
  const services = {
    ...createServices(window, { fetch: api.fetch, now: () => new Date(clock) }),
    leave: (to: string) => left.push(to),
  };
  render(<App services={services} />);
  await settle();
  await settle();
  return { api, left, services };
}

function pressAlt(key: string) {
  const code = key === '/' ? 'Slash' : /\d/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`;
  act(() => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key, code, altKey: true, bubbles: true }));
  });
}

beforeEach(() => {
  clock = START;
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('signing in', () => {
  test('not signed in, the console says what it is for and sends the person to the hotline sign-in, asking to come back', async () => {
    const { left } = await open('/agent/', {});

    expect(screen.getByRole('heading', { level: 1, name: 'Logowanie do infolinii' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Strony infolinii' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));

    expect(left).toHaveLength(1);
    const to = new URL(left[0] ?? '', 'http://localhost');
    expect(to.pathname).toBe('/dev-idp/login/hotline');
    expect(to.searchParams.get('return')).toBe('http://localhost/agent/login/callback');
    expect(to.searchParams.get('ui_locales')).toBe('pl');
  });

  test('on Google Cloud an agent signs in with their account and an authenticator app’s code, as the hotline sign-in says', async () => {
    const { api } = await open('/agent/', {
      'GET /api/login/config': {
        body: {
          ...CONFIG,
          session: { kind: 'firebase', apiKey: 'web-key' },
          hotline: { kind: 'firebase', apiKey: 'web-key' },
        },
      },
      'POST /v1/accounts:signInWithPassword': {
        body: {
          mfaPendingCredential: 'pending-1',
          mfaInfo: [{ mfaEnrollmentId: 'mfa-1', totpInfo: {}, displayName: 'Telefon służbowy' }],
        },
      },
      'POST /v2/accounts/mfaSignIn:finalize': {
        body: { idToken: 'id-magda', refreshToken: 'refresh-magda', displayName: 'Magdalena Sikora' },
      },
      'GET /api/login/me': me(AGENT),
    });

    fireEvent.change(screen.getByLabelText('Adres e-mail'), { target: { value: 'magda@example.test' } });
    fireEvent.change(screen.getByLabelText('Hasło'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));
    await screen.findByText(/Wpisz kod z aplikacji uwierzytelniającej \(Telefon służbowy\)/);
    fireEvent.change(screen.getByLabelText('Kod'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdź' }));

    await screen.findByRole('navigation', { name: 'Strony infolinii' });
    expect(api.requests.find((r) => r.path === '/v2/accounts/mfaSignIn:finalize')?.body).toEqual({
      mfaPendingCredential: 'pending-1',
      mfaEnrollmentId: 'mfa-1',
      totpVerificationInfo: { verificationCode: '654321' },
    });
    expect(api.requests.find((r) => r.path === '/api/login/me')?.headers.authorization).toBe('Bearer id-magda');
  });

  test('the provider hands back a session: the agent lands on the call page, named in the header, with the agent’s pages', async () => {
    window.history.replaceState(
      null,
      '',
      '/agent/login/callback#token=t-1&expiresAt=2026-01-12T09:00:00.000Z&name=Anna%20Agentka',
    );
    const { api } = await open(
      '/agent/login/callback#token=t-1&expiresAt=2026-01-12T09:00:00.000Z&name=Anna%20Agentka',
      {
        'GET /api/login/me': me(AGENT),
      },
    );
    await waitFor(() => expect(window.location.pathname).toBe('/agent/'));
    await settle();

    expect(screen.getByText('Zalogowano: Anna Agentka · agent-1')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Strony infolinii' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((l) => l.getAttribute('href')),
    ).toEqual(['/agent/']);
    expect(
      within(nav)
        .getByRole('link', { name: /Rozmowa/ })
        .getAttribute('aria-current'),
    ).toBe('page');
    expect(api.requests.some((r) => r.path === '/api/login/me' && r.headers.authorization === 'Bearer t-1')).toBe(true);
    expect(window.location.hash).toBe('');
  });

  test('a supervisor gets the access log, the review and the alerts, on Alt and their number', async () => {
    signedIn('Piotr Inspektor');
    await open('/agent/', {
      'GET /api/login/me': me(SUPERVISOR),
      'GET /api/admin/hotline/audit': { body: { records: [], next: null } },
      'GET /api/admin/hotline/reviews': { body: { reviews: [] } },
    });

    const nav = screen.getByRole('navigation', { name: 'Strony infolinii' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((l) => l.getAttribute('href')),
    ).toEqual(['/agent/audit', '/agent/reviews', '/agent/alerts']);
    expect(screen.getByText('Zalogowano: Piotr Inspektor · sup-1')).toBeTruthy();
    pressAlt('2');
    expect(window.location.pathname).toBe('/agent/reviews');
  });

  test('someone the console is not for (a patient) is signed out and told why', async () => {
    signedIn('Jan');
    await open('/agent/', { 'GET /api/login/me': me({ role: 'patient', patientId: 'pat-9' }) });
    await settle();

    expect(screen.getByRole('heading', { level: 1, name: 'Logowanie do infolinii' })).toBeTruthy();
    expect(screen.getByText(/nie należy do konsultanta ani inspektora infolinii/)).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.agent.session')).toBeNull();
  });

  test('the server ends an idle session: the sign-in says so, and the call is forgotten', async () => {
    signedIn();
    window.sessionStorage.setItem(
      'ereg.agent.call',
      JSON.stringify({ reason: { code: 'caller-booking' }, people: [JANINA] }),
    );
    await open('/agent/', { 'GET /api/login/me': apiError(401, 'SESSION_IDLE') });
    await settle();

    expect(screen.getByText(/po 15 minutach bez pracy/)).toBeTruthy();
    expect(screen.queryByText(/Janina/)).toBeNull();
    expect(window.sessionStorage.getItem('ereg.agent.call')).toBeNull();
  });

  test('an account without a second factor is refused by the server, and the sign-in says what to ask for', async () => {
    signedIn();
    await open('/agent/', { 'GET /api/login/me': apiError(401, 'MFA_REQUIRED') });
    await settle();

    expect(screen.getByText(/Poproś koordynatora infolinii o jego dodanie/)).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.agent.session')).toBeNull();
  });

  test('signing out from the header ends the session and says so', async () => {
    signedIn();
    await open('/agent/', { 'GET /api/login/me': me(AGENT) });

    fireEvent.click(screen.getByRole('button', { name: 'Wyloguj się' }));
    await settle();

    expect(screen.getByText('Wylogowano.')).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.agent.session')).toBeNull();
  });
});

describe('the session clock', () => {
  test('says when the session ends idle and at the latest; two minutes before the idle end it warns and one request keeps it', async () => {
    signedIn();
    const { api } = await open('/agent/', { 'GET /api/login/me': me(AGENT) });

    // Idle time counts from the last request less a minute's margin: 15 − 1 minutes after 09:00.
    expect(screen.getByText(/Wylogowanie po bezczynności: 09:14/)).toBeTruthy();
    expect(screen.getByText(/koniec sesji: 19:00/)).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();

    clock = START + 12 * 60_000 + 30_000;
    const warning = await screen.findByRole('alertdialog', { name: 'Za chwilę wylogujemy Cię' }, { timeout: 2500 });
    expect(within(warning).getByText(/O 09:14 wylogujemy Cię/)).toBeTruthy();
    const keep = within(warning).getByRole('button', { name: 'Pracuję dalej' });
    expect(document.activeElement).toBe(keep);

    const before = api.requests.filter((r) => r.path === '/api/login/me').length;
    fireEvent.click(keep);
    await settle();

    expect(api.requests.filter((r) => r.path === '/api/login/me')).toHaveLength(before + 1);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByText(/Wylogowanie po bezczynności: 09:26/)).toBeTruthy();
  });

  test('past the idle end the console signs out by itself, saying why', async () => {
    signedIn();
    await open('/agent/', { 'GET /api/login/me': me(AGENT) });

    clock = START + 14 * 60_000 + 1_000;
    await screen.findByText(/po 15 minutach bez pracy/, undefined, { timeout: 2500 });

    expect(window.sessionStorage.getItem('ereg.agent.session')).toBeNull();
  });

  test('at the end of the longest session it signs out whatever the work', async () => {
    signedIn();
    await open('/agent/', { 'GET /api/login/me': me(AGENT, '2026-01-12T08:05:00.000Z') });

    clock = START + 5 * 60_000;
    await screen.findByText(/Sesja trwała najdłużej, jak można/, undefined, { timeout: 2500 });
  });
});

describe('the keyboard and the call', () => {
  test('Alt+/ lists the shortcuts the page offers; Escape closes the list and the focus goes back', async () => {
    signedIn();
    window.sessionStorage.setItem(
      'ereg.agent.call',
      JSON.stringify({ reason: { code: 'caller-booking' }, people: [JANINA] }),
    );
    await open('/agent/', { 'GET /api/login/me': me(AGENT) });
    const before = screen.getByRole('button', { name: /Zakończ rozmowę/ });
    before.focus();

    pressAlt('/');
    const help = screen.getByRole('dialog', { name: 'Skróty klawiszowe' });
    const listed = within(help)
      .getAllByRole('term')
      .map((term) => term.textContent);
    expect(listed).toEqual(expect.arrayContaining(['Alt+1', 'Alt+E', 'Alt+/']));
    expect(within(help).getByText('Zakończ rozmowę')).toBeTruthy();

    fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Skróty klawiszowe' })).toBeNull();
    expect(document.activeElement).toBe(before);
  });

  test('the call strip names the reason and the people; Alt+E ends the call, forgetting them', async () => {
    signedIn();
    window.sessionStorage.setItem(
      'ereg.agent.call',
      JSON.stringify({
        reason: { code: 'other', note: 'pyta o córkę' },
        people: [JANINA, { ...JANINA, patientId: 'pat-2', givenName: 'Jan' }],
      }),
    );
    await open('/agent/caller/pat-1', { 'GET /api/login/me': me(AGENT) });

    const strip = screen.getByRole('region', { name: 'Trwająca rozmowa' });
    expect(within(strip).getByText('Powód: Inny powód: pyta o córkę')).toBeTruthy();
    expect(within(strip).getByRole('link', { name: 'Janina Kowalska' }).getAttribute('href')).toBe(
      '/agent/caller/pat-1',
    );
    // Two people in the call: the household booking is offered.
    expect(screen.getByRole('link', { name: /Gospodarstwo domowe/ }).getAttribute('href')).toBe('/agent/household');

    pressAlt('e');

    expect(window.location.pathname).toBe('/agent/');
    expect(screen.queryByRole('region', { name: 'Trwająca rozmowa' })).toBeNull();
    expect(window.sessionStorage.getItem('ereg.agent.call')).toBeNull();
  });

  test('the console speaks the chosen language, English and Ukrainian included', async () => {
    signedIn();
    window.localStorage.setItem('ereg.language', 'uk');
    await open('/agent/', { 'GET /api/login/me': me(AGENT) });

    expect(screen.getByRole('navigation', { name: 'Сторінки гарячої лінії' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /English/ }));
    expect(screen.getByRole('navigation', { name: 'Hotline pages' })).toBeTruthy();
    expect(screen.getByText(/Idle sign-out: 09:14/)).toBeTruthy();
  });
});
