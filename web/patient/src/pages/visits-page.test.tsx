import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  aCentre,
  aSearchResult,
  aSlot,
  aVisit,
  ELIGIBLE_ME,
  fakeApi,
  logIn,
  renderApp,
  resetBrowser,
  VACCINES,
} from '../test-support.tsx';

beforeEach(resetBrowser);

const dose1 = aVisit();
const dose2 = aVisit({
  id: 'apt-2',
  dose: 2,
  slotId: 'c-0001_comirnaty_20260203T0700Z',
  start: '2026-02-03T07:00:00.000Z',
  localDate: '2026-02-03',
});
const earlier = aVisit({
  id: 'apt-0',
  status: 'cancelled',
  start: '2026-01-05T07:00:00.000Z',
  localDate: '2026-01-05',
  cancellationCause: { code: 'day_closed', note: 'Awaria prądu' },
});

function visitsApi(extra: Parameters<typeof fakeApi>[0] = {}) {
  let visits = [dose1, dose2, earlier];
  const api = fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': { body: ELIGIBLE_ME },
    'GET /api/booking/patients/pat-1/appointments': () => ({ body: { appointments: visits } }),
    'POST /api/booking/appointments/apt-1/cancel': () => {
      const cancelled = [dose1, dose2].map((v) => ({ ...v, status: 'cancelled' as const }));
      visits = [...cancelled, earlier];
      return { body: { cancelled } };
    },
    ...extra,
  });
  return api;
}

const cancels = (requests: ReturnType<typeof fakeApi>['requests']) =>
  requests.filter((r) => r.path.endsWith('/cancel'));

describe('my visits', () => {
  it('lists upcoming visits soonest first, then past and cancelled ones', async () => {
    logIn();
    const { fetch } = visitsApi();
    await renderApp({ url: '/visits', fetch, language: 'en' });
    const upcoming = screen.getByRole('region', { name: 'Upcoming visits' });
    expect(
      within(upcoming)
        .getAllByRole('article')
        .map((a) => a.getAttribute('aria-labelledby')),
    ).toEqual(['visit-apt-1', 'visit-apt-2']);
    const past = screen.getByRole('region', { name: 'Past and cancelled' });
    expect(within(past).getByText('Cancelled')).toBeTruthy();
    expect(within(past).getByText('The centre is closed that day: “Awaria prądu”')).toBeTruthy();
    expect(within(past).queryByRole('button', { name: 'Cancel visit' })).toBeNull();
  });

  it('says why a visit was cancelled in the person’s language, from its code', async () => {
    logIn();
    const cancelled = (id: string, cause: { code: 'patient' | 'hotline' | 'dose_missed'; note: null }) =>
      aVisit({
        id,
        status: 'cancelled',
        start: '2026-01-05T07:00:00.000Z',
        localDate: '2026-01-05',
        cancellationCause: cause,
      });
    const { fetch } = visitsApi({
      'GET /api/booking/patients/pat-1/appointments': {
        body: {
          appointments: [
            cancelled('apt-5', { code: 'patient', note: null }),
            cancelled('apt-6', { code: 'hotline', note: null }),
            cancelled('apt-7', { code: 'dose_missed', note: null }),
          ],
        },
      },
    });
    await renderApp({ url: '/visits', fetch, language: 'pl' });
    const past = screen.getByRole('region', { name: 'Wcześniejsze i odwołane' });
    for (const text of ['Na Twoją prośbę', 'Na Twoją prośbę, przez infolinię', 'Nie przyjęto poprzedniej dawki']) {
      expect(within(past).getByText(text)).toBeTruthy();
    }
    expect(past.textContent).not.toMatch(/patient|hotline|dose_missed/);
  });

  it('lists a past course in the order it was given: dose 1, then dose 2', async () => {
    logIn();
    const given = (id: string, dose: 1 | 2, day: string) =>
      aVisit({ id, dose, status: 'completed', start: `${day}T07:00:00.000Z`, localDate: day });
    const { fetch } = visitsApi({
      'GET /api/booking/patients/pat-1/appointments': {
        body: { appointments: [given('apt-8', 2, '2025-12-01'), given('apt-7', 1, '2025-11-03')] },
      },
    });
    await renderApp({ url: '/visits', fetch, language: 'en' });
    const past = await screen.findByRole('region', { name: 'Past and cancelled' });
    expect(
      within(past)
        .getAllByRole('article')
        .map((a) => a.getAttribute('aria-labelledby')),
    ).toEqual(['visit-apt-7', 'visit-apt-8']);
  });

  it('asks before cancelling, says the later dose goes with it, and keeps the visit on “no”', async () => {
    logIn();
    const { fetch, requests } = visitsApi();
    await renderApp({ url: '/visits', fetch, language: 'en' });
    const first = within(screen.getByRole('region', { name: 'Upcoming visits' })).getByRole('article', {
      name: 'Dose 1',
    });

    fireEvent.click(within(first).getByRole('button', { name: 'Cancel visit' }));
    const question = within(first).getByText('Do you really want to cancel this visit (dose 1)?');
    await waitFor(() => expect(document.activeElement).toBe(question));
    expect(within(first).getByText('Your booked dose 2 will be cancelled with it.')).toBeTruthy();
    expect(cancels(requests)).toHaveLength(0);

    fireEvent.click(within(first).getByRole('button', { name: 'No, keep the visit' }));
    expect(within(first).queryByText('Do you really want to cancel this visit (dose 1)?')).toBeNull();
    expect(cancels(requests)).toHaveLength(0);
  });

  it('cancels on “yes”, says how many visits were cancelled and shows the list afresh', async () => {
    logIn();
    const { fetch, requests } = visitsApi();
    await renderApp({ url: '/visits', fetch, language: 'pl' });
    const first = within(screen.getByRole('region', { name: 'Zaplanowane wizyty' })).getByRole('article', {
      name: 'Dawka 1',
    });
    fireEvent.click(within(first).getByRole('button', { name: 'Odwołaj wizytę' }));
    fireEvent.click(within(first).getByRole('button', { name: 'Tak, odwołaj' }));

    expect(await screen.findByText('Odwołano 2 wizyty.')).toBeTruthy();
    expect(cancels(requests)).toHaveLength(1);
    expect(cancels(requests)[0]?.headers.authorization).toBe('Bearer test-token');
    await waitFor(() => expect(screen.getByText('Nie masz zaplanowanych wizyt.')).toBeTruthy());
    expect(
      within(screen.getByRole('region', { name: 'Wcześniejsze i odwołane' })).getAllByRole('article'),
    ).toHaveLength(3);
  });

  it('shows why a cancellation failed, by the visit', async () => {
    logIn();
    const { fetch } = visitsApi({
      'POST /api/booking/appointments/apt-1/cancel': {
        status: 409,
        body: { error: { code: 'NOT_CANCELLABLE', message: 'no' } },
      },
    });
    await renderApp({ url: '/visits', fetch, language: 'en' });
    const first = within(screen.getByRole('region', { name: 'Upcoming visits' })).getByRole('article', {
      name: 'Dose 1',
    });
    fireEvent.click(within(first).getByRole('button', { name: 'Cancel visit' }));
    fireEvent.click(within(first).getByRole('button', { name: 'Yes, cancel it' }));
    expect((await within(first).findByRole('alert')).textContent).toContain('This visit can no longer be cancelled.');
  });

  it('downloads a calendar file of a visit in the person’s language', async () => {
    logIn();
    const files: Array<{ name: string; text: string; type: string }> = [];
    const { fetch } = visitsApi();
    await renderApp({
      url: '/visits',
      fetch,
      language: 'uk',
      download: (name, text, type) => files.push({ name, text, type }),
    });
    const second = screen.getByRole('article', { name: 'Доза 2' });
    fireEvent.click(within(second).getByRole('button', { name: 'Додати до календаря (.ics)' }));
    expect(files).toHaveLength(1);
    expect(files[0]?.name).toBe('щеплення-2026-02-03-доза-2.ics');
    expect(files[0]?.type).toBe('text/calendar;charset=utf-8');
    const text = (files[0]?.text ?? '').replace(/\r\n /g, '');
    expect(text).toContain('SUMMARY:Щеплення — доза 2 (Comirnaty)');
    expect(text).toContain('DTSTART:20260203T070000Z');
    expect(text).toContain('UID:apt-2@localhost');
    expect(text).toContain('DESCRIPTION:Номер бронювання: K7M2QX9P.');
    expect(text).toContain('http://localhost/bookings/K7M2QX9P');
  });

  it('moves a visit: slots near its centre with its vaccine, a choice, a confirmation, the new time', async () => {
    logIn();
    const newSlot = aSlot({ slotId: 'c-0001_comirnaty_20260203T0800Z', start: '2026-02-03T08:00:00.000Z' });
    const { fetch, requests } = visitsApi({
      'GET /api/search': { body: aSearchResult([{ centre: aCentre(), distanceKm: 0.4, slots: [newSlot] }]) },
      'POST /api/booking/appointments/apt-2/reschedule': {
        body: { appointments: [{ ...dose2, slotId: newSlot.slotId, start: newSlot.start, version: 2 }] },
      },
    });
    await renderApp({ url: '/visits', fetch, language: 'en' });
    fireEvent.click(within(screen.getByRole('article', { name: 'Dose 2' })).getByRole('link', { name: 'Reschedule' }));
    expect(window.location.pathname).toBe('/visits/apt-2/reschedule');
    await screen.findByRole('heading', { level: 1, name: 'Reschedule your visit' });
    await screen.findByText('Found 1 vaccination centre with free slots.');

    // Near the visit's centre, with its vaccine, within dose 2's interval after dose 1 (21–42 days).
    const search = requests.find((r) => r.path === '/api/search');
    expect(Object.fromEntries(search?.query ?? [])).toMatchObject({
      postalCode: '02-512',
      vaccineId: 'comirnaty',
      from: '2026-02-03',
      to: '2026-02-24',
    });
    expect(screen.getByText('Vaccine: Comirnaty (a visit keeps its vaccine when it moves)')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /^Choose: Tue 3 February 09:00 · Comirnaty/ }));
    const confirm = screen.getByRole('region', { name: 'Confirm the new time' });
    expect(
      within(confirm).getByText(/from Tuesday, 3 February 2026 at 08:00 to Tuesday, 3 February 2026 at 09:00/),
    ).toBeTruthy();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Confirm the new time' }));

    await screen.findByRole('heading', { level: 1, name: 'Your visit has been moved' });
    const moved = requests.find((r) => r.path.endsWith('/reschedule'));
    expect(moved?.body).toEqual({ slotId: newSlot.slotId });
    expect(screen.getByText('Tuesday, 3 February 2026 at 09:00')).toBeTruthy();
  });

  it('asks someone not logged in to log in first', async () => {
    const { fetch, requests } = visitsApi();
    await renderApp({ url: '/visits', fetch, language: 'en' });
    expect(screen.getByRole('heading', { name: 'Log in to continue' })).toBeTruthy();
    expect(requests.filter((r) => r.path.startsWith('/api/booking'))).toHaveLength(0);
  });
});
