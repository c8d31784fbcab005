import { VACCINES } from '@ereg/shared';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../shared/src/fake-api.ts';
import { App } from './app.tsx';
import { createServices } from './services.ts';

/** Monday 12 January 2026, 09:00 in Warsaw. */
const NOW = new Date('2026-01-12T08:00:00.000Z');
const CENTRE = {
  id: 'ctr-1',
  name: 'Przychodnia Nr 2, Warszawa',
  address: { street: 'Marszałkowska 1', postalCode: '00-950', city: 'Warszawa', voivodeship: 'mazowieckie' },
  location: { lat: 52.23, lng: 21.01 },
  timeZone: 'Europe/Warsaw',
  phone: null,
  schedule: {},
  createdAt: '2025-01-01T00:00:00Z',
};

const SCHEDULE = {
  weekly: {
    days: { mon: [{ from: '08:00', to: '16:00' }], tue: [{ from: '08:00', to: '16:00' }] },
    slotMinutes: 10,
    capacity: { comirnaty: 3 },
  },
  closedDates: [],
  extraHours: [],
};

const CANCELLED = {
  appointmentId: 'apt-1',
  patientId: 'pat-1',
  patientName: 'Janina Kowalska',
  vaccineId: 'comirnaty',
  dose: 1,
  date: '2026-01-13',
  time: '08:10',
  reference: 'GEWLV34C',
  laterDose: false,
};

const PREVIEW = {
  centreId: 'ctr-1',
  created: 0,
  resized: 0,
  removed: 48,
  days: [
    {
      date: '2026-01-13',
      created: 0,
      resized: 0,
      removed: 48,
      capacityBefore: 144,
      capacityAfter: 0,
      cancelled: ['apt-1'],
    },
  ],
  cancellations: [CANCELLED],
};

const me = (role: 'staff' | 'centre-manager') => ({
  body: {
    principal: { role, staffId: 'stf-1', centreId: CENTRE.id },
    staff: null,
    patient: null,
    eligibility: null,
    referral: null,
  },
});

const baseApi = (role: 'staff' | 'centre-manager') => ({
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/me': me(role),
  'GET /api/centres/ctr-1': { body: CENTRE },
  'GET /api/centres/ctr-1/schedule': { body: SCHEDULE },
});

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function renderApp(url: string, fetch: typeof globalThis.fetch) {
  window.sessionStorage.setItem(
    'ereg.centre.session',
    JSON.stringify({ kind: 'bearer', token: 'token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.centre.person', 'Anna Zielińska');
  window.history.replaceState(null, '', url);
  render(<App services={{ ...createServices(window, { fetch, now: () => NOW }), leave: () => {} }} />);
  await settle();
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

const puts = (requests: RecordedRequest[]) => requests.filter((r) => r.method === 'PUT');

describe('the centre manager’s pages', () => {
  it('shows staff the day and the batches only, and no schedule at its address', async () => {
    const { fetch, requests } = fakeApi(baseApi('staff'));
    await renderApp('/centre/schedule', fetch);
    const nav = screen.getByRole('navigation', { name: 'Strony punktu' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Dziś', 'Serie']);
    expect(screen.getByText(/^Tę stronę widzi tylko kierownik punktu/)).toBeTruthy();
    expect(requests.some((r) => r.path.endsWith('/schedule'))).toBe(false);
  });

  it('shows a manager every page, the one open marked as current', async () => {
    const { fetch } = fakeApi(baseApi('centre-manager'));
    await renderApp('/centre/schedule', fetch);
    const nav = screen.getByRole('navigation', { name: 'Strony punktu' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Dziś', 'Serie', 'Grafik', 'Personel']);
    expect(within(nav).getByRole('link', { name: 'Grafik' }).getAttribute('aria-current')).toBe('page');
  });

  it('saves a change that cancels visits only once confirmed, sending the ids the preview named', async () => {
    const { fetch, requests } = fakeApi({
      ...baseApi('centre-manager'),
      'POST /api/centres/ctr-1/schedule/preview': { body: PREVIEW },
      'PUT /api/centres/ctr-1/schedule': (request) => ({
        body: { ...PREVIEW, schedule: request.body, cancelledAppointments: 1 },
      }),
    });
    await renderApp('/centre/schedule', fetch);
    const tuesday = await screen.findByRole('group', { name: 'wtorek' });
    fireEvent.click(within(tuesday).getByRole('button', { name: /^Usuń godziny 08:00–16:00/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Pokaż skutki zmian' }));
    const preview = await screen.findByRole('region', { name: 'Co zmieni się w grafiku' });
    const sent = requests.find((r) => r.path.endsWith('/schedule/preview'));
    expect(sent?.body).toEqual({
      ...SCHEDULE,
      weekly: { ...SCHEDULE.weekly, days: { mon: SCHEDULE.weekly.days.mon } },
    });
    expect(within(preview).getByText('Janina Kowalska')).toBeTruthy();
    expect(within(preview).getByText('Rezerwacja GEWL V34C · Comirnaty, dawka 1')).toBeTruthy();

    fireEvent.click(within(preview).getByRole('button', { name: 'Zapisz i odwołaj 1 wizytę' }));
    expect(within(preview).getByText('Zaznacz potwierdzenie, aby odwołać te wizyty.')).toBeTruthy();
    expect(puts(requests)).toEqual([]);

    fireEvent.click(within(preview).getByRole('checkbox', { name: /^Potwierdzam odwołanie 1 wizyty/ }));
    fireEvent.click(within(preview).getByRole('button', { name: 'Zapisz i odwołaj 1 wizytę' }));
    await screen.findByText('Zapisano grafik. Nowe terminy: 0, usunięte: 48, odwołane wizyty: 1.');
    // The preview is gone with its button: focus comes back beside the word of what was saved.
    expect(document.activeElement?.textContent).toBe('Pokaż skutki zmian');
    expect(puts(requests).map((r) => (r.body as { confirmCancellations: string[] }).confirmCancellations)).toEqual([
      ['apt-1'],
    ]);
  });

  it('offers no save for a form changed since its preview', async () => {
    const { fetch } = fakeApi({
      ...baseApi('centre-manager'),
      'POST /api/centres/ctr-1/schedule/preview': { body: { ...PREVIEW, cancellations: [], removed: 0, days: [] } },
    });
    await renderApp('/centre/schedule', fetch);
    fireEvent.click(await screen.findByRole('button', { name: 'Pokaż skutki zmian' }));
    const preview = await screen.findByRole('region', { name: 'Co zmieni się w grafiku' });
    expect(within(preview).getByRole('button', { name: 'Zapisz grafik' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Długość terminu (minuty)'), { target: { value: '15' } });
    expect(within(preview).getByText(/^Formularz zmienił się od podglądu/)).toBeTruthy();
    expect(within(preview).queryByRole('button', { name: 'Zapisz grafik' })).toBeNull();
  });

  it('shows the API’s refusal of a field at that field of the form', async () => {
    const { fetch } = fakeApi({
      ...baseApi('centre-manager'),
      'POST /api/centres/ctr-1/schedule/preview': {
        status: 400,
        body: {
          error: {
            code: 'OVERLAPPING_HOURS',
            message: 'Opening hours overlap.',
            field: 'schedule.weekly.days.mon[0].from',
          },
        },
      },
    });
    await renderApp('/centre/schedule', fetch);
    fireEvent.click(await screen.findByRole('button', { name: 'Pokaż skutki zmian' }));
    const monday = screen.getByRole('group', { name: 'poniedziałek' });
    await waitFor(() =>
      expect(within(monday).getByText('Te godziny nachodzą na inne godziny tego samego dnia.')).toBeTruthy(),
    );
    expect(within(monday).getAllByLabelText('Od')[0]?.getAttribute('aria-invalid')).toBe('true');
  });

  it('names the staff API’s refusal to let the last manager step down', async () => {
    const { fetch } = fakeApi({
      ...baseApi('centre-manager'),
      'GET /api/centres/ctr-1/staff': {
        body: { staff: [{ id: 'stf-1', name: 'Anna Zielińska', role: 'centre-manager', email: 'anna@example.pl' }] },
      },
      'PUT /api/centres/ctr-1/staff/stf-1/role': apiError(409, 'LAST_MANAGER'),
    });
    await renderApp('/centre/staff', fetch);
    fireEvent.click(await screen.findByRole('button', { name: /^Zmień na personel/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Tak, zmień rolę' }));
    await screen.findByText('To jedyny kierownik punktu: najpierw nadaj rolę kierownika komuś innemu.');
    expect(screen.queryByRole('button', { name: /^Usuń z punktu/ })).toBeNull();
  });
});
