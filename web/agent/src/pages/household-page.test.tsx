import { VACCINES } from '@ereg/shared';
import { fireEvent, screen, within } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import type { Call } from '../app-context.ts';
import { aCaller, aVisit, CENTRE, openConsole, pressAlt, settle } from '../book-test-support.tsx';

const PEOPLE = [
  aCaller(),
  aCaller({
    patientId: 'pat-2',
    givenName: 'Jan',
    familyName: 'Kowalski',
    birthDate: '1948-07-01',
    phone: null,
    landline: '+48 *** *** 515',
  }),
  aCaller({
    patientId: 'pat-3',
    givenName: 'Zofia',
    familyName: 'Nowak',
    birthDate: '1951-01-20',
    phone: '+48 *** *** 321',
  }),
];
const CALL: Call = { reason: { code: 'relative-booking' }, people: PEOPLE };

const eligible = {
  body: {
    eligibility: {
      eligible: true,
      rule: { id: 'r-1955', kind: 'birthYear', bornInOrBefore: 1955, from: '2025-12-01', description: '70+' },
    },
  },
};

const SEARCH = {
  origin: { lat: 49.43, lon: 22.59, postalCode: '38-700' },
  from: '2026-01-12',
  to: '2026-03-12',
  results: [
    {
      centre: CENTRE,
      distanceKm: 0.4,
      slots: [
        {
          slotId: 'slot-1',
          start: '2026-01-19T07:10:00.000Z',
          localStart: '2026-01-19T08:10',
          vaccineId: 'comirnaty',
          free: 3,
        },
      ],
    },
  ],
};

const bookingOf = (patientId: string, reference: string, minutes: number) => ({
  patientId,
  bookingId: `bkg-${patientId}`,
  appointments: [
    aVisit({ id: `apt-${patientId}-1`, patientId, reference, start: `2026-01-19T07:${minutes}:00.000Z` }),
    aVisit({
      id: `apt-${patientId}-2`,
      patientId,
      reference,
      dose: 2,
      start: `2026-02-09T07:${minutes}:00.000Z`,
      localDate: '2026-02-09',
    }),
  ],
});

const BOOKED = {
  status: 201,
  body: {
    bookings: [
      bookingOf('pat-1', 'K7M2QX9A', 10),
      bookingOf('pat-2', 'ABCD2345', 10),
      bookingOf('pat-3', 'WXYZ6789', 20),
    ],
  },
};

const api = (overrides: Record<string, unknown> = {}) =>
  fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/booking/patients/pat-1/eligibility': eligible,
    'GET /api/booking/patients/pat-2/eligibility': eligible,
    'GET /api/booking/patients/pat-3/eligibility': eligible,
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [] } },
    'GET /api/booking/patients/pat-2/appointments': { body: { appointments: [] } },
    'GET /api/booking/patients/pat-3/appointments': { body: { appointments: [] } },
    'GET /api/search': { body: SEARCH },
    'POST /api/booking/hotline/households': BOOKED,
    ...(overrides as object),
  });

async function chooseFirstSlot() {
  fireEvent.change(screen.getByLabelText('Kod pocztowy lub miejscowość'), { target: { value: '38-700' } });
  fireEvent.click(screen.getByRole('button', { name: 'Szukaj' }));
  await settle();
  fireEvent.click(screen.getByRole('button', { name: /08:10/ }));
  await settle();
}

const households = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/hotline/households');

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('the household booking', () => {
  it('needs at least two people in the call', async () => {
    const { fetch } = api();
    await openConsole('/agent/household', fetch, { ...CALL, people: [PEOPLE[0] as (typeof PEOPLE)[0]] });
    expect(screen.getByText(/Wspólna rezerwacja jest dla 2–5 osób/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Wróć do rozmowy' }).getAttribute('href')).toBe('/agent/');
  });

  it('shows each person with their own eligibility', async () => {
    const { fetch } = api({
      'GET /api/booking/patients/pat-3/eligibility': {
        body: { eligibility: { eligible: false, code: 'NOT_YET_ELIGIBLE', message: '…', eligibleFrom: '2026-02-01' } },
      },
    });
    await openConsole('/agent/household', fetch, CALL);
    const people = within(screen.getByRole('region', { name: 'Osoby' })).getAllByRole('listitem');
    expect(people.map((p) => p.textContent)).toEqual([
      'Janina Kowalska, ur. 15 marca 1950✓ Może się zapisać: urodzeni w 1955 roku lub wcześniej (wiek 70+).',
      'Jan Kowalski, ur. 1 lipca 1948✓ Może się zapisać: urodzeni w 1955 roku lub wcześniej (wiek 70+).',
      'Zofia Nowak, ur. 20 stycznia 1951! Jeszcze nie: zapisy dla jej rocznika ruszą 1 lutego 2026.',
    ]);
    const zofia = screen.getByRole('checkbox', { name: /Zofia Nowak/ }) as HTMLInputElement;
    expect(zofia.checked).toBe(false);
    expect(zofia.disabled).toBe(true);
  });

  it('books everyone ticked in one request with one key and the call’s reason, and reads back one line per person', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/household', fetch, CALL);
    await chooseFirstSlot();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Podsumowanie' }));
    expect(screen.getByText(/^Pierwsza osoba: Janina Kowalska, poniedziałek, 19 stycznia 2026/)).toBeTruthy();
    expect(
      screen.getByText('Potem: Jan Kowalski, Zofia Nowak — najbliższe wolne godziny w tym samym punkcie.'),
    ).toBeTruthy();
    pressAlt('k');
    await settle();

    const sent = households(requests);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toEqual({
      slotId: 'slot-1',
      patientIds: ['pat-1', 'pat-2', 'pat-3'],
      reason: 'relative-booking',
    });
    expect(sent[0]?.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);

    const panel = screen.getByTestId('book-read-back');
    expect(document.activeElement).toBe(within(panel).getByRole('heading', { name: 'Przeczytaj to dzwoniącemu' }));
    expect(panel.textContent).toContain('Przychodnia Nr 2ul. 29 Listopada 1, 38-700 Ustrzyki Dolne');
    const lines = within(panel).getAllByTestId('household-line');
    expect(lines.map((line) => within(line).getByTestId('book-reference').textContent)).toEqual([
      'K7M2-QX9A',
      'ABCD-2345',
      'WXYZ-6789',
    ]);
    expect(lines[0]?.textContent).toContain(
      'Janina Kowalska: dawka 1 poniedziałek, 19 stycznia, godz. 08:10; dawka 2 poniedziałek, 9 lutego, godz. 08:10',
    );
    expect(lines[2]?.textContent).toContain('Zofia Nowak: dawka 1 poniedziałek, 19 stycznia, godz. 08:20');
    expect(lines[1]?.textContent).toContain('Bez SMS: ta osoba ma tylko telefon stacjonarny');
    expect(lines[2]?.textContent).toContain('Potwierdzenie SMS wysłane na numer +48 *** *** 321.');

    pressAlt('d');
    expect(window.location.pathname).toBe('/agent/caller/pat-1');
    await settle();
  });

  it('leaves out a person unticked', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/household', fetch, CALL);
    fireEvent.click(screen.getByRole('checkbox', { name: /Jan Kowalski/ }));
    await chooseFirstSlot();
    fireEvent.click(screen.getByRole('button', { name: /Zarezerwuj dla wszystkich zaznaczonych/ }));
    await settle();
    expect(households(requests)[0]?.body).toMatchObject({ patientIds: ['pat-1', 'pat-3'] });
  });

  it('names the person a refusal is about, and retries with the same key', async () => {
    let attempts = 0;
    const { fetch, requests } = api({
      'POST /api/booking/hotline/households': () => {
        attempts += 1;
        return attempts === 1
          ? {
              status: 409,
              body: { error: { code: 'NO_ROOM_NEARBY', message: 'Person 2: …', field: 'patientIds.1' } },
            }
          : BOOKED;
      },
    });
    await openConsole('/agent/household', fetch, CALL);
    await chooseFirstSlot();
    pressAlt('k');
    await settle();
    expect(screen.getByRole('alert').textContent).toContain(
      'Dotyczy osoby Jan Kowalski: W tym punkcie nie ma wolnej godziny blisko wybranej',
    );
    pressAlt('k');
    await settle();
    const keys = households(requests).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('words a refusal of no one in particular as it is', async () => {
    const { fetch } = api({ 'POST /api/booking/hotline/households': apiError(409, 'SLOT_FULL') });
    await openConsole('/agent/household', fetch, CALL);
    await chooseFirstSlot();
    pressAlt('k');
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('Ktoś właśnie zajął ten termin.');
  });
});
