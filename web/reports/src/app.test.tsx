import { act, fireEvent, screen } from '@testing-library/react';
import { apiError } from '../../shared/src/fake-api.ts';
import { ANALYST, aReport, me, NOW, openDashboard, settle, signedIn } from './test-support.tsx';

/*
 * The dashboard's shell: signing in through the login config's reports sign-in, who may see the whole
 * figures (analysts and administrators, no one else), the header, and the ways a session ends.
 */

const SUMMARY = 'GET /api/reports/summary';

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('signing in to the dashboard', () => {
  test('someone not signed in is offered the reports’ sign-in, and the public summary without one', async () => {
    const { left, requests } = await openDashboard('/reports/?voivodeship=14', {});

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logowanie do raportów');
    expect(screen.getByText(/dla analityków i administratorów ministerstwa/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Bez logowania: podsumowanie publiczne' }).getAttribute('href')).toBe(
      '/reports/public',
    );
    expect(requests.some((r) => r.path.startsWith('/api/reports'))).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));
    expect(left).toEqual([
      '/dev-idp/login/reports?return=http%3A%2F%2Flocalhost%2Freports%2Flogin%2Fcallback&ui_locales=pl',
    ]);
    expect(window.sessionStorage.getItem('ereg.reports.return')).toBe('/reports/?voivodeship=14');
  });

  test('the provider’s answer becomes the tab’s session, and the analyst goes back to the page they were on', async () => {
    window.sessionStorage.setItem('ereg.reports.return', '/reports/?voivodeship=14');
    const expiresAt = new Date(NOW.getTime() + 3_600_000).toISOString();
    const { requests, services } = await openDashboard(
      `/reports/login/callback#token=tok-1&expiresAt=${encodeURIComponent(expiresAt)}&role=analyst&name=Joanna%20Kami%C5%84ska`,
      { [SUMMARY]: { body: aReport() } },
    );
    await settle();

    expect(services.router.href()).toBe('/reports/?voivodeship=14');
    expect(screen.getByText('Zalogowano: Joanna Kamińska (analityk)')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Szczepienia w Polsce');
    const asked = requests.find((r) => r.path === '/api/reports/summary');
    expect(asked?.headers.authorization).toBe('Bearer tok-1');
    expect(asked?.query.get('voivodeship')).toBe('14');
  });

  test('an administrator sees the whole figures too', async () => {
    signedIn('Ministry administrator');
    await openDashboard('/reports/', {
      'GET /api/login/me': me({ role: 'admin', adminId: 'admin-1' }),
      [SUMMARY]: { body: aReport() },
    });
    expect(screen.getByText('Zalogowano: Ministry administrator (administrator)')).toBeTruthy();
    expect(screen.getByText('Dawki podane dziś')).toBeTruthy();
  });

  test.each([
    ['a patient', { role: 'patient', patientId: 'pat-1' }],
    ['a hotline agent', { role: 'agent', agentId: 'agent-1' }],
    ['centre staff', { role: 'staff', staffId: 'stf-1', centreId: 'ctr-1' }],
    ['a supervisor', { role: 'supervisor', supervisorId: 'supervisor-1' }],
  ])(
    '%s signed in here is signed out and told the dashboard is not theirs, the figures never asked for',
    async (_who, principal) => {
      signedIn('Someone');
      const { requests } = await openDashboard('/reports/', {
        'GET /api/login/me': me(principal),
        [SUMMARY]: { body: aReport() },
      });
      await settle();
      expect(screen.getByText(/To konto nie należy do analityka ani administratora ministerstwa/)).toBeTruthy();
      expect(window.sessionStorage.getItem('ereg.reports.session')).toBeNull();
      expect(requests.some((r) => r.path === '/api/reports/summary')).toBe(false);
    },
  );

  test('a session the API refuses ends at once: the sign-in says so and keeps the page to come back to', async () => {
    signedIn();
    await openDashboard('/reports/?ageBand=80%2B', { [SUMMARY]: apiError(401, 'INVALID_TOKEN') });
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logowanie do raportów');
    expect(screen.getByText('Sesja się skończyła. Zaloguj się ponownie, a wrócisz do tej samej strony.')).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.reports.return')).toBe('/reports/?ageBand=80%2B');
  });

  test('signing out leaves the sign-in, saying so', async () => {
    signedIn();
    await openDashboard('/reports/', { 'GET /api/login/me': me(ANALYST), [SUMMARY]: { body: aReport() } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Wyloguj się' }));
    });
    expect(screen.getByText('Wylogowano.')).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.reports.session')).toBeNull();
  });

  test('an address the dashboard does not have says so, and leads to the public summary', async () => {
    await openDashboard('/reports/nothing-here', {});
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Nie ma takiej strony');
    expect(screen.getByRole('link', { name: /podsumowania publicznego/ }).getAttribute('href')).toBe('/reports/public');
  });
});
