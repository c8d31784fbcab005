import { VACCINES } from '@ereg/shared';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { apiError, fakeApi } from '../../shared/src/fake-api.ts';
import { App } from './app.tsx';
import type { Visit } from './lib/day.ts';
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

function aVisit(overrides: Partial<Omit<Visit, 'patient'>> & { patient?: Partial<Visit['patient']> } = {}): Visit {
  const { patient, ...rest } = overrides;
  return {
    appointmentId: 'apt-janina',
    reference: 'GEWLV34C',
    localStart: '2026-01-12T09:10',
    status: 'booked',
    vaccineId: 'comirnaty',
    dose: 1,
    checkedInAt: null,
    completion: null,
    corrections: [],
    notGiven: null,
    updatedAt: '2026-01-12T07:00:00.000Z',
    identityCheck: null,
    ...rest,
    patient: {
      id: 'pat-1',
      pesel: '46031464864',
      givenName: 'Janina',
      familyName: 'Kowalska',
      birthDate: '1946-03-14',
      phone: null,
      ...patient,
    },
  };
}

const ANDRZEJ = aVisit({
  appointmentId: 'apt-andrzej',
  reference: 'HJKM6789',
  localStart: '2026-01-12T09:30',
  identityCheck: { channel: 'sms', bookedByPhone: '+48600700800' },
  patient: { id: 'pat-2', pesel: '71123113135', givenName: 'Andrzej', familyName: 'Nowak', birthDate: '1971-12-31' },
});

const day = (appointments: Visit[]) => ({
  body: { centreId: CENTRE.id, date: '2026-01-12', slots: [], appointments },
});

/** An appointment as the API answers a change: the visit's new status and check-in. */
const changed = (visit: Visit, status: string, checkedInAt: string | null) => ({
  body: { id: visit.appointmentId, status, checkedInAt, updatedAt: NOW.toISOString() },
});

/** The centre's batches: two of comirnaty (the first to expire first), one used up. */
const BATCHES = [
  {
    id: 'bat-2',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    number: 'FK9001',
    expiry: '2026-09-30',
    doses: 100,
    status: 'active',
    remaining: 80,
    wasted: 0,
    expired: false,
  },
  {
    id: 'bat-1',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    number: 'FK5127',
    expiry: '2026-03-31',
    doses: 100,
    status: 'active',
    remaining: 12,
    wasted: 1,
    expired: false,
  },
  {
    id: 'bat-0',
    centreId: 'ctr-1',
    vaccineId: 'comirnaty',
    number: 'FK0001',
    expiry: '2026-02-28',
    doses: 10,
    status: 'depleted',
    remaining: 0,
    wasted: 0,
    expired: false,
  },
];

const baseApi = () => ({
  'GET /api/centres/ctr-1/batches': { body: { batches: BATCHES } },
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/config': {
    body: {
      idpLoginUrl: '/dev-idp/login',
      session: { kind: 'bearer' },
      staff: { kind: 'dev-idp', url: '/dev-idp/login/staff' },
    },
  },
  'GET /api/login/me': {
    body: {
      principal: { role: 'staff', staffId: 'stf-1', centreId: CENTRE.id },
      patient: null,
      eligibility: null,
      referral: null,
    },
  },
  'GET /api/centres/ctr-1': { body: CENTRE },
});

function signIn(): void {
  window.sessionStorage.setItem(
    'ereg.centre.session',
    JSON.stringify({ kind: 'bearer', token: 'staff-token', expiresAt: NOW.getTime() + 3_600_000, patientId: null }),
  );
  window.sessionStorage.setItem('ereg.centre.person', 'Anna Zielińska');
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function renderApp(url: string, fetch: typeof globalThis.fetch, leave: (url: string) => void = () => {}) {
  window.history.replaceState(null, '', url);
  const services = { ...createServices(window, { fetch, now: () => NOW }), leave };
  const rendered = render(<App services={services} />);
  await settle();
  return rendered;
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});

const counter = (name: string) => document.querySelector(`[data-counter="${name}"] .counter-value`)?.textContent;

describe('the centres’ app', () => {
  it('asks someone not signed in to sign in, and sends them to the staff sign-in with the way back', async () => {
    const left: string[] = [];
    const { fetch } = fakeApi(baseApi());
    await renderApp('/centre/day?date=2026-01-13', fetch, (url) => left.push(url));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logowanie personelu');
    fireEvent.click(screen.getByRole('button', { name: 'Zaloguj się' }));
    await waitFor(() => expect(left).toHaveLength(1));
    expect(left[0]).toBe(
      '/dev-idp/login/staff?return=http%3A%2F%2Flocalhost%2Fcentre%2Flogin%2Fcallback&ui_locales=pl',
    );
    expect(window.sessionStorage.getItem('ereg.centre.return')).toBe('/centre/day?date=2026-01-13');
  });

  it('keeps the session handed back, takes the token out of the address, and returns to the page', async () => {
    window.sessionStorage.setItem('ereg.centre.return', '/centre/day?date=2026-01-13');
    const { fetch, requests } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': day([]) });
    const expiresAt = new Date(NOW.getTime() + 3_600_000).toISOString();
    await renderApp(
      `/centre/login/callback#token=t-1&expiresAt=${encodeURIComponent(expiresAt)}&name=Anna%20Zieli%C5%84ska`,
      fetch,
    );
    await screen.findByRole('heading', { level: 1, name: 'Wizyty 13 stycznia 2026' });
    expect(window.location.pathname + window.location.search + window.location.hash).toBe(
      '/centre/day?date=2026-01-13',
    );
    expect(screen.getByText('Zalogowano: Anna Zielińska')).toBeTruthy();
    expect(within(screen.getByRole('banner')).getByText(CENTRE.name)).toBeTruthy();
    const dayRequest = requests.find((r) => r.path === '/api/centres/ctr-1/day');
    expect(dayRequest?.headers.authorization).toBe('Bearer t-1');
    expect(dayRequest?.query.get('date')).toBe('2026-01-13');
    expect(screen.getByText('Na ten dzień nie ma żadnych wizyt.')).toBeTruthy();
  });

  it('shows today’s visits by time with the counters, and flags a visit booked by text message', async () => {
    signIn();
    const { fetch, requests } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': day([ANDRZEJ, aVisit()]) });
    await renderApp('/centre/', fetch);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Wizyty dzisiaj');
    expect(requests.find((r) => r.path === '/api/centres/ctr-1/day')?.query.get('date')).toBe('2026-01-12');
    expect([counter('expected'), counter('checkedIn'), counter('vaccinated'), counter('left')]).toEqual([
      '2',
      '0',
      '0',
      '2',
    ]);
    const rows = screen.getAllByRole('button', { name: /Comirnaty, dawka 1/ });
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^09:10Kowalska Janina/),
      expect.stringMatching(/^09:30Nowak Andrzej.*Sprawdź dokument tożsamości/),
    ]);
  });

  it('checks a patient in from the list and records the vaccination with the product booked and the time now', async () => {
    signIn();
    let visits = [aVisit()];
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': () => day(visits),
      'POST /api/centres/ctr-1/appointments/apt-janina/check-in': () => {
        visits = [aVisit({ checkedInAt: NOW.toISOString() })];
        return changed(visits[0] as Visit, 'booked', NOW.toISOString());
      },
      'POST /api/centres/ctr-1/appointments/apt-janina/complete': () => {
        visits = [aVisit({ status: 'completed', checkedInAt: NOW.toISOString() })];
        return changed(visits[0] as Visit, 'completed', NOW.toISOString());
      },
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    expect(screen.getByText('46031464864')).toBeTruthy();
    expect(screen.getByText('14 marca 1946')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Zarejestruj przybycie' }));
    await settle();
    expect(counter('checkedIn')).toBe('1');
    expect(document.activeElement?.textContent).toBe('Zapisz szczepienie');
    await settle();
    // The batch that expires first is offered; the used-up one is not.
    const batch = screen.getByLabelText('Seria') as HTMLSelectElement;
    expect(batch.value).toBe('bat-1');
    expect([...batch.options].map((o) => o.value)).toEqual(['bat-1', 'bat-2']);
    fireEvent.click(screen.getByLabelText('Prawe ramię'));
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz szczepienie' }));
    await settle();
    const complete = requests.find((r) => r.path.endsWith('/complete'));
    // Given now: the moment on the server's clock is sent, so a recording sent later keeps it.
    expect(complete?.body).toEqual({
      vaccineId: 'comirnaty',
      batchId: 'bat-1',
      site: 'right_deltoid',
      at: NOW.toISOString(),
    });
    expect(counter('vaccinated')).toBe('1');
    expect(counter('left')).toBe('0');
    expect(window.localStorage.getItem('ereg.centre.batch.comirnaty')).toBe('bat-1');
    expect(window.localStorage.getItem('ereg.centre.site')).toBe('right_deltoid');
  });

  it('offers the last batch and site of the product and records in one tap; a refused batch is shown at its field', async () => {
    signIn();
    window.localStorage.setItem('ereg.centre.batch.comirnaty', 'bat-2');
    window.localStorage.setItem('ereg.centre.site', 'left_thigh');
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit({ checkedInAt: NOW.toISOString() })]),
      'POST /api/centres/ctr-1/appointments/apt-janina/complete': {
        status: 400,
        body: { error: { code: 'BATCH_EXPIRED', message: 'expired', field: 'batchId' } },
      },
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    await settle();
    const batch = screen.getByLabelText('Seria') as HTMLSelectElement;
    expect(batch.value).toBe('bat-2');
    expect((screen.getByLabelText('Lewe udo') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Ta sama co przy ostatnim szczepieniu na tym urządzeniu.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz szczepienie' }));
    await settle();
    expect(requests.filter((r) => r.path.endsWith('/complete'))).toHaveLength(1);
    expect(requests.find((r) => r.path.endsWith('/complete'))?.body).toMatchObject({
      batchId: 'bat-2',
      site: 'left_thigh',
    });
    expect(batch.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Termin ważności tej serii minął. Wybierz inną.')).toBeTruthy();
  });

  it('records a time given earlier as the instant on the centre’s clock', async () => {
    signIn();
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit({ checkedInAt: '2026-01-12T07:30:00.000Z' })]),
      'POST /api/centres/ctr-1/appointments/apt-janina/complete': changed(aVisit(), 'completed', NOW.toISOString()),
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Zmień godzinę' }));
    fireEvent.change(screen.getByLabelText('Godzina podania'), { target: { value: '08:45' } });
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz szczepienie' }));
    await settle();
    expect(requests.find((r) => r.path.endsWith('/complete'))?.body).toEqual({
      vaccineId: 'comirnaty',
      batchId: 'bat-1',
      site: 'left_deltoid',
      at: '2026-01-12T07:45:00.000Z',
    });
  });

  it('refreshes the list when looked at again, keeping the open visit and what was typed', async () => {
    signIn();
    let visits = [aVisit({ checkedInAt: NOW.toISOString() })];
    const { fetch, requests } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': () => day(visits) });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    await settle();
    fireEvent.change(screen.getByLabelText('Seria'), { target: { value: 'bat-2' } });
    visits = [...visits, ANDRZEJ];
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    await settle();
    expect(requests.filter((r) => r.path === '/api/centres/ctr-1/day')).toHaveLength(2);
    expect(counter('expected')).toBe('2');
    expect((screen.getByLabelText('Seria') as HTMLSelectElement).value).toBe('bat-2');
  });

  it('filters the loaded list by what is typed, without asking the server', async () => {
    signIn();
    const { fetch, requests } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': day([aVisit(), ANDRZEJ]) });
    await renderApp('/centre/', fetch);
    fireEvent.change(screen.getByLabelText('Szukaj na liście'), { target: { value: 'hjkm-6789' } });
    expect(screen.queryByRole('button', { name: /Kowalska Janina/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Nowak Andrzej/ })).toBeTruthy();
    expect(screen.getByText('Pasuje 1 wizyta.')).toBeTruthy();
    expect(requests.filter((r) => r.path === '/api/centres/ctr-1/day')).toHaveLength(1);
  });

  it('checks a reference before asking, then shows the visit with what to compare with the document', async () => {
    signIn();
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([ANDRZEJ]),
      'GET /api/centres/ctr-1/references/HJKM6789': {
        body: { centreId: 'ctr-1', reference: 'HJKM6789', appointments: [ANDRZEJ] },
      },
    });
    await renderApp('/centre/', fetch);
    const input = screen.getByLabelText('Numer rezerwacji');
    fireEvent.change(input, { target: { value: 'hjkm 67o9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Znajdź' }));
    expect(screen.getByText('Numer rezerwacji nie zawiera znaku „O” (nigdy nie ma w nim 0, O, 1 ani I).')).toBeTruthy();
    expect(requests.some((r) => r.path.includes('/references/'))).toBe(false);

    fireEvent.change(input, { target: { value: 'hjkm-6789' } });
    fireEvent.click(screen.getByRole('button', { name: 'Znajdź' }));
    await settle();
    const result = screen.getByRole('heading', { name: 'Znaleziono 1 wizytę: HJKM 6789' }).parentElement as HTMLElement;
    expect(within(result).getByText('Andrzej Nowak')).toBeTruthy();
    expect(within(result).getByText('71123113135')).toBeTruthy();
    expect(within(result).getByText(/zarezerwowano SMS-em z numeru \+48600700800/)).toBeTruthy();
    expect(within(result).getByRole('button', { name: 'Zarejestruj przybycie' })).toBeTruthy();
  });

  it.each([
    ['pl', 'Znajdź', 'Numer rezerwacji', /zarejestrowano telefonicznie przez infolinię.*sprawdź dokument tożsamości/],
    ['en', 'Find', 'Booking reference', /registered by phone through the hotline.*Check their identity document/],
    ['uk', 'Знайти', 'Номер бронювання', /зареєстровано телефоном через гарячу лінію.*перевірте документ/],
  ] as const)(
    'in %s, says a person registered by phone through the hotline needs their identity document checked',
    async (language, find, label, wording) => {
      signIn();
      const registeredByPhone = {
        ...ANDRZEJ,
        identityCheck: { channel: 'phone' as const, bookedByPhone: '+48600700800' },
      };
      const { fetch } = fakeApi({
        ...baseApi(),
        'GET /api/centres/ctr-1/day': day([registeredByPhone]),
        'GET /api/centres/ctr-1/references/HJKM6789': {
          body: { centreId: 'ctr-1', reference: 'HJKM6789', appointments: [registeredByPhone] },
        },
      });
      window.localStorage.setItem('ereg.language', language);
      await renderApp('/centre/', fetch);
      fireEvent.change(screen.getByLabelText(label), { target: { value: 'HJKM6789' } });
      fireEvent.click(screen.getByRole('button', { name: find }));
      await settle();
      const note = screen.getByRole('note');
      expect(note.textContent).toMatch(wording);
      expect(note.textContent).not.toMatch(/SMS|text message|\+48600700800/);
    },
  );

  it('says a reference unknown here in the person’s language, at the field', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([]),
      'GET /api/centres/ctr-1/references/HJKM6789': {
        status: 404,
        body: { error: { code: 'REFERENCE_NOT_FOUND', message: 'No visit.', field: 'reference' } },
      },
    });
    window.localStorage.setItem('ereg.language', 'en');
    await renderApp('/centre/', fetch);
    fireEvent.change(screen.getByLabelText('Booking reference'), { target: { value: 'HJKM6789' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find' }));
    await settle();
    expect(screen.getByLabelText('Booking reference').getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByText('No visit at this centre has this booking reference. Check the reference with the patient.'),
    ).toBeTruthy();
  });

  it('marks a no-show and says why one cannot be marked before the visit', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit()]),
      'POST /api/centres/ctr-1/appointments/apt-janina/no-show': apiError(409, 'NOT_YET_DUE'),
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Oznacz nieobecność' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe('Nie można tego zrobićTa wizyta jeszcze się nie zaczęła.');
  });

  it('marks a missed visit, keeps it on the list as such and takes focus to what was done', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit()]),
      'POST /api/centres/ctr-1/appointments/apt-janina/no-show': changed(aVisit(), 'no_show', null),
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Oznacz nieobecność' }));
    await settle();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Oznaczono nieobecność: Janina Kowalska.'));
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).toContain('Nieobecność');
    expect([counter('expected'), counter('left')]).toEqual(['1', '0']);
  });

  it('shows who is signed in and their role, as the centre keeps them', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/login/me': {
        body: {
          principal: { role: 'centre-manager', staffId: 'stf-1', centreId: CENTRE.id },
          staff: {
            id: 'stf-1',
            name: 'Anna Zielińska-Nowak',
            email: 'a@example.org',
            centreId: CENTRE.id,
            role: 'centre-manager',
          },
          patient: null,
          eligibility: null,
          referral: null,
        },
      },
      'GET /api/centres/ctr-1/day': day([]),
    });
    await renderApp('/centre/', fetch);
    expect(screen.getByText('Zalogowano: Anna Zielińska-Nowak · kierownik punktu')).toBeTruthy();
  });

  it('records that a vaccine was not given, asking for the reason and for a note when it is “other”', async () => {
    signIn();
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit({ checkedInAt: NOW.toISOString() })]),
      'POST /api/centres/ctr-1/appointments/apt-janina/not-given': changed(aVisit(), 'not_given', NOW.toISOString()),
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Nie podano szczepienia…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz: nie podano' }));
    expect(screen.getByText('Wybierz powód.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Inny powód'));
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz: nie podano' }));
    expect(screen.getByLabelText('Opis powodu').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Opisz powód (co najmniej 3 znaki).')).toBeTruthy();
    expect(requests.some((r) => r.path.endsWith('/not-given'))).toBe(false);
    fireEvent.change(screen.getByLabelText('Opis powodu'), { target: { value: ' bez skierowania ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz: nie podano' }));
    await settle();
    const sent = requests.filter((r) => r.path.endsWith('/not-given'));
    expect(sent.map((r) => r.body)).toEqual([{ reason: 'other', note: 'bez skierowania' }]);
    expect(sent[0]?.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
    expect(screen.getByText('Zapisano, że nie podano szczepienia: Janina Kowalska.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).toContain('Nie podano');
    expect([counter('checkedIn'), counter('vaccinated'), counter('left')]).toEqual(['1', '0', '0']);
  });

  it('shows the warnings a recording answers, after recording and with the visit, without blocking', async () => {
    signIn();
    const checkedIn = aVisit({ checkedInAt: NOW.toISOString() });
    const completion = {
      vaccineId: 'comirnaty',
      lot: 'FK5127',
      batchId: 'bat-1',
      dose: 2,
      site: 'left_deltoid',
      vaccinatorId: 'stf-1',
      responsibleId: 'stf-1',
      warnings: ['INTERVAL_TOO_SHORT', 'DOSE_DIFFERS_FROM_COURSE'],
      by: { role: 'staff', id: 'stf-1' },
      at: NOW.toISOString(),
    };
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([checkedIn]),
      'POST /api/centres/ctr-1/appointments/apt-janina/complete': {
        body: {
          id: 'apt-janina',
          status: 'completed',
          checkedInAt: NOW.toISOString(),
          completion,
          updatedAt: NOW.toISOString(),
        },
      },
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz szczepienie' }));
    await settle();
    expect(screen.getByText('Zapisano szczepienie: Janina Kowalska.')).toBeTruthy();
    const note = screen.getByRole('note');
    expect(within(note).getByText('Zapisano z uwagami:')).toBeTruthy();
    expect(
      within(note)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['odstęp od poprzedniej dawki krótszy niż zalecany', 'numer dawki inny niż w schemacie']);
    expect(counter('vaccinated')).toBe('1');
    expect(screen.getByRole('button', { name: 'Popraw wpis' })).toBeTruthy();
  });

  it('corrects a recorded vaccination with a reason, and shows the record was corrected with the one before', async () => {
    signIn();
    const recorded = {
      vaccineId: 'comirnaty',
      lot: 'FK5127',
      batchId: 'bat-1',
      dose: 1,
      site: 'left_deltoid',
      vaccinatorId: 'stf-1',
      responsibleId: 'stf-1',
      warnings: [],
      by: { role: 'staff', id: 'stf-1' },
      at: '2026-01-12T07:50:00.000Z',
    };
    const vaccinated = aVisit({
      status: 'completed',
      checkedInAt: '2026-01-12T07:45:00.000Z',
      completion: recorded as Visit['completion'],
    });
    const corrected = {
      ...recorded,
      lot: 'FK9001',
      batchId: 'bat-2',
      site: 'right_deltoid',
    };
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([vaccinated]),
      'POST /api/centres/ctr-1/appointments/apt-janina/correct': {
        body: {
          id: 'apt-janina',
          status: 'completed',
          checkedInAt: vaccinated.checkedInAt,
          completion: corrected,
          corrections: [
            {
              before: recorded,
              reason: 'wybrano złą serię',
              by: { role: 'staff', id: 'stf-1' },
              at: NOW.toISOString(),
            },
          ],
          updatedAt: NOW.toISOString(),
        },
      },
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    expect(screen.getByText(/seria FK5127 · Lewe ramię · 08:50/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Popraw wpis' }));
    await settle();
    fireEvent.change(screen.getByLabelText('Seria'), { target: { value: 'bat-2' } });
    fireEvent.click(screen.getByLabelText('Prawe ramię'));
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz poprawkę' }));
    expect(screen.getByText('Podaj powód poprawki (co najmniej 3 znaki).')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Powód poprawki'));
    fireEvent.change(screen.getByLabelText('Powód poprawki'), { target: { value: 'wybrano złą serię' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz poprawkę' }));
    await settle();
    expect(requests.filter((r) => r.path.endsWith('/correct')).map((r) => r.body)).toEqual([
      { vaccineId: 'comirnaty', batchId: 'bat-2', site: 'right_deltoid', dose: 1, reason: 'wybrano złą serię' },
    ]);
    expect(screen.getByText('Poprawiono wpis szczepienia: Janina Kowalska.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).toContain('Wpis poprawiony');
    expect(screen.getByText(/seria FK9001 · Prawe ramię · 08:50/)).toBeTruthy();
    expect(screen.getByText('Wpis poprawiono 1 raz — pokaż wcześniejszy')).toBeTruthy();
    expect(screen.getByText('Powód poprawki: wybrano złą serię')).toBeTruthy();
  });

  it('books a walk-in into the slot running now and checks them in, saying why when no slot runs', async () => {
    signIn();
    const running = {
      id: 'slot-0900',
      centreId: 'ctr-1',
      vaccineId: 'comirnaty',
      start: '2026-01-12T07:45:00.000Z',
      end: '2026-01-12T08:15:00.000Z',
      localDate: '2026-01-12',
      localStart: '2026-01-12T08:45',
      capacity: 6,
      booked: 6,
    };
    let answers = [
      apiError(409, 'NO_CURRENT_SLOT'),
      {
        status: 201,
        body: {
          patient: {
            id: 'pat-9',
            pesel: '50010112345',
            givenName: 'Zofia',
            familyName: 'Wójcik',
            birthDate: '1950-01-01',
          },
          booking: { appointments: [] },
          appointment: {
            id: 'apt-zofia',
            reference: 'ZXCV2345',
            start: running.start,
            status: 'booked',
            vaccineId: 'comirnaty',
            dose: 1,
            checkedInAt: NOW.toISOString(),
            completion: null,
            updatedAt: NOW.toISOString(),
          },
        },
      },
    ];
    const { fetch, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': { body: { ...day([]).body, slots: [running] } },
      'POST /api/centres/ctr-1/walk-ins': () => {
        const [next, ...rest] = answers;
        answers = rest;
        return next as { status: number; body: unknown };
      },
    });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Pacjent bez rezerwacji' }));
    expect(document.activeElement?.textContent).toBe('Pacjent bez rezerwacji');
    const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Zarezerwuj i zarejestruj przybycie' }));
    submit();
    expect(screen.getByLabelText('PESEL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('PESEL ma 11 cyfr.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('PESEL'), { target: { value: '5001 0112 345' } });
    fireEvent.change(screen.getByLabelText('Imię'), { target: { value: 'Zofia' } });
    fireEvent.change(screen.getByLabelText('Nazwisko'), { target: { value: 'Wójcik' } });
    fireEvent.change(screen.getByLabelText('Telefon komórkowy (nieobowiązkowo)'), { target: { value: '600 700 800' } });
    expect((screen.getByLabelText('Preparat') as HTMLSelectElement).value).toBe('comirnaty');
    submit();
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Teraz nie trwa żaden termin tego preparatu');
    submit();
    await settle();
    const sent = requests.filter((r) => r.path.endsWith('/walk-ins'));
    expect(sent.map((r) => r.body)).toEqual([
      {
        pesel: '50010112345',
        givenName: 'Zofia',
        familyName: 'Wójcik',
        vaccineId: 'comirnaty',
        language: 'pl',
        phone: '600 700 800',
      },
      {
        pesel: '50010112345',
        givenName: 'Zofia',
        familyName: 'Wójcik',
        vaccineId: 'comirnaty',
        language: 'pl',
        phone: '600 700 800',
      },
    ]);
    // A refusal makes the next try a new request: a new key.
    expect(sent[0]?.headers['idempotency-key']).not.toBe(sent[1]?.headers['idempotency-key']);
    expect(screen.getByRole('heading', { name: 'Zarezerwowano i zarejestrowano: Zofia Wójcik' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Zapisz szczepienie' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Wójcik Zofia/ }).textContent).toContain('Na miejscu');
    expect(counter('checkedIn')).toBe('1');
  });

  it('explains a camera that cannot be used, and keeps the typed reference beside it', async () => {
    signIn();
    const { fetch } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': day([]) });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Skanuj kod QR' }));
    await waitFor(() => expect(screen.getByText(/Nie można użyć aparatu/)).toBeTruthy());
    expect(screen.getByLabelText('Numer rezerwacji')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Zamknij skaner' }));
    expect(screen.queryByText(/Nie można użyć aparatu/)).toBeNull();
    expect(document.activeElement?.textContent).toContain('Skanuj kod QR');
  });

  it('without a network keeps check-in and recording on the device, shows them waiting, and sends them once, in order, when it returns', async () => {
    signIn();
    let visit = aVisit();
    const { fetch: online, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': () => day([visit]),
      'POST /api/centres/ctr-1/appointments/apt-janina/check-in': (request) => {
        visit = aVisit({ checkedInAt: (request.body as { at: string }).at, updatedAt: NOW.toISOString() });
        return {
          body: {
            id: visit.appointmentId,
            status: 'booked',
            checkedInAt: visit.checkedInAt,
            updatedAt: visit.updatedAt,
          },
        };
      },
      'POST /api/centres/ctr-1/appointments/apt-janina/complete': () => {
        visit = { ...visit, status: 'completed', updatedAt: '2026-01-12T08:00:01.000Z' };
        return {
          body: {
            id: visit.appointmentId,
            status: 'completed',
            checkedInAt: visit.checkedInAt,
            updatedAt: visit.updatedAt,
          },
        };
      },
    });
    let offline = false;
    const fetch = ((input, init) =>
      offline ? Promise.reject(new TypeError('Failed to fetch')) : online(input, init)) as typeof globalThis.fetch;
    await renderApp('/centre/', fetch);
    offline = true;
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Zarejestruj przybycie' }));
    await settle();
    expect(screen.getByText(/Zarejestrowano przybycie: Janina Kowalska\. Zapisano na tym urządzeniu/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).toContain('Czeka na wysłanie');
    fireEvent.click(screen.getByRole('button', { name: 'Zapisz szczepienie' }));
    await settle();
    expect(screen.getByRole('heading', { name: 'Czekają na wysłanie: 2 zmiany' })).toBeTruthy();
    const panel = screen.getByRole('heading', { name: /Czekają na wysłanie/ }).parentElement as HTMLElement;
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['09:00 · Rejestracja przybycia — Janina Kowalska', '09:00 · Zapis szczepienia — Janina Kowalska']);
    expect([counter('checkedIn'), counter('vaccinated')]).toEqual(['1', '1']);
    // The list asked for again meanwhile fails: the list shown says it is the one kept on the device.
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    await settle();
    expect(screen.getByText(/Brak połączenia z siecią\. Pokazujemy listę z 09:00/)).toBeTruthy();
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

    offline = false;
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await settle();
    await settle();
    const posts = requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path.split('/').pop())).toEqual(['check-in', 'complete']);
    expect(posts[0]?.body).toEqual({ at: NOW.toISOString() });
    expect(new Set(posts.map((r) => r.headers['idempotency-key'])).size).toBe(2);
    expect(screen.queryByRole('heading', { name: /na wysłanie/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).not.toContain('Czeka na wysłanie');
    expect(counter('vaccinated')).toBe('1');
    expect(JSON.parse(window.localStorage.getItem('ereg.centre.outbox.ctr-1.stf-1') ?? '[]')).toEqual([]);
  });

  it('shows a change the API refused meanwhile with what happened, until the person dismisses it', async () => {
    signIn();
    const { fetch: online, requests } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': day([aVisit()]),
      'POST /api/centres/ctr-1/appointments/apt-janina/check-in': apiError(409, 'NOT_BOOKED'),
    });
    let offline = false;
    const fetch = ((input, init) =>
      offline ? Promise.reject(new TypeError('Failed to fetch')) : online(input, init)) as typeof globalThis.fetch;
    await renderApp('/centre/', fetch);
    offline = true;
    fireEvent.click(screen.getByRole('button', { name: /Kowalska Janina/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Zarejestruj przybycie' }));
    await settle();
    offline = false;
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await settle();
    expect(requests.filter((r) => r.path.endsWith('/check-in'))).toHaveLength(1);
    const conflict = screen.getByRole('heading', { name: 'Nie zapisano 1 zmiany' }).parentElement as HTMLElement;
    expect(conflict.getAttribute('role')).toBe('alert');
    expect(within(conflict).getByText('Rejestracja przybycia — Janina Kowalska')).toBeTruthy();
    expect(within(conflict).getByText('Ta wizyta jest już zakończona albo odwołana. Odśwież listę.')).toBeTruthy();
    // The visit is shown as the API has it: the refused check-in changed nothing.
    expect(screen.getByRole('button', { name: /Kowalska Janina/ }).textContent).toContain('Umówiona');
    fireEvent.click(
      within(conflict).getByRole('button', { name: 'Rozumiem, usuń: Rejestracja przybycia — Janina Kowalska' }),
    );
    expect(screen.queryByRole('heading', { name: 'Nie zapisano 1 zmiany' })).toBeNull();
    expect(JSON.parse(window.localStorage.getItem('ereg.centre.outbox.ctr-1.stf-1') ?? '[]')).toEqual([]);
  });

  it('shows the day kept on the device when the list cannot be loaded, saying from when', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': {
        body: { ...day([aVisit()]).body, asOf: '2026-01-12T07:42:00.000Z', complete: true },
      },
    });
    const first = await renderApp('/centre/', fetch);
    first.unmount();
    const { fetch: online } = fakeApi({ ...baseApi() });
    const offline = ((input, init) =>
      String(input).includes('/day')
        ? Promise.reject(new TypeError('Failed to fetch'))
        : online(input, init)) as typeof globalThis.fetch;
    await renderApp('/centre/', offline);
    expect(screen.getByRole('button', { name: /Kowalska Janina/ })).toBeTruthy();
    expect(screen.getByText(/Brak połączenia z siecią\. Pokazujemy listę z 08:42/)).toBeTruthy();
    expect(screen.getByText('Lista z 08:42')).toBeTruthy();
  });

  it('shows loading, then an error with a retry when the day cannot be loaded', async () => {
    signIn();
    let fail = true;
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': () => (fail ? apiError(500, 'INTERNAL') : day([aVisit()])),
    });
    await renderApp('/centre/', fetch);
    expect(screen.getByRole('alert').textContent).toContain('Wystąpił błąd po naszej stronie');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Spróbuj ponownie' }));
    await settle();
    expect(screen.getByRole('button', { name: /Kowalska Janina/ })).toBeTruthy();
  });

  it('asks to sign in again when the API refuses the session, and comes back to the same day', async () => {
    signIn();
    const { fetch } = fakeApi({
      ...baseApi(),
      'GET /api/centres/ctr-1/day': { status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'x' } } },
    });
    await renderApp('/centre/day?date=2026-01-13', fetch);
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Logowanie personelu');
    expect(screen.getByText('Sesja się skończyła. Zaloguj się ponownie, a wrócisz do tej samej strony.')).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.centre.return')).toBe('/centre/day?date=2026-01-13');
  });

  it('signs out, saying so', async () => {
    signIn();
    const { fetch } = fakeApi({ ...baseApi(), 'GET /api/centres/ctr-1/day': day([]) });
    await renderApp('/centre/', fetch);
    fireEvent.click(screen.getByRole('button', { name: 'Wyloguj się' }));
    await settle();
    expect(screen.getByText('Wylogowano.')).toBeTruthy();
    expect(window.sessionStorage.getItem('ereg.centre.session')).toBeNull();
  });
});
