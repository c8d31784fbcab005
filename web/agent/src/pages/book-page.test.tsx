import { VACCINES } from '@ereg/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import type { Call } from '../app-context.ts';
import { aCaller, aVisit, CENTRE, openConsole, pressAlt, settle } from '../book-test-support.tsx';

const CALL: Call = { reason: { code: 'caller-booking' }, people: [aCaller()] };

const ELIGIBLE = {
  eligibility: {
    eligible: true,
    rule: { id: 'r-1950', kind: 'birthYear', bornInOrBefore: 1950, from: '2025-12-01', description: '75+' },
  },
};

const SEARCH = {
  origin: { lat: 49.43, lon: 22.59, postalCode: null, place: 'Ustrzyki Dolne' },
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
        {
          slotId: 'slot-2',
          start: '2026-01-19T07:20:00.000Z',
          localStart: '2026-01-19T08:20',
          vaccineId: 'comirnaty',
          free: 1,
        },
      ],
    },
  ],
};

const previewOf = (slotId: string, start: string) => ({
  body: {
    dose: 1,
    vaccineId: 'comirnaty',
    centreId: CENTRE.id,
    slot: { slotId, start, localStart: '', free: 3 },
    followUp: {
      dose: 2,
      earliest: '2026-02-09T07:10:00.000Z',
      latest: '2026-02-16T07:10:00.000Z',
      proposed: { slotId: 'slot-9', start: '2026-02-09T07:10:00.000Z', localStart: '', free: 5 },
    },
  },
});

const BOOKED = {
  status: 201,
  body: {
    bookingId: 'bkg-1',
    appointments: [
      aVisit(),
      aVisit({ id: 'apt-2', dose: 2, slotId: 'slot-9', start: '2026-02-09T07:10:00.000Z', localDate: '2026-02-09' }),
    ],
  },
};

const api = (overrides: Record<string, unknown> = {}) =>
  fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/booking/patients/pat-1/eligibility': { body: ELIGIBLE },
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [] } },
    'GET /api/search': { body: SEARCH },
    'POST /api/booking/appointments/preview': (r: RecordedRequest) => {
      const { slotId } = r.body as { slotId: string };
      return previewOf(slotId, slotId === 'slot-2' ? '2026-01-19T07:20:00.000Z' : '2026-01-19T07:10:00.000Z');
    },
    'POST /api/booking/appointments': BOOKED,
    ...(overrides as object),
  });

const place = (label = 'Kod pocztowy lub miejscowość') => screen.getByLabelText(label);

async function searchFor(text: string, words = { place: 'Kod pocztowy lub miejscowość', submit: 'Szukaj' }) {
  fireEvent.change(place(words.place), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: words.submit }));
  await settle();
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

describe('the eligibility of the person, in words', () => {
  it('says a person born before the year opened may book, and why, asking with the call’s reason', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Rezerwacja: Janina Kowalska');
    expect(screen.getByTestId('book-standing').textContent).toBe(
      '✓ Może się zapisać: urodzeni w 1950 roku lub wcześniej (wiek 75+).',
    );
    const asked = requests.find((r) => r.path.endsWith('/eligibility'));
    expect(asked?.query.get('reason')).toBe('caller-booking');
    expect(screen.getByLabelText('Kod pocztowy lub miejscowość')).toBeTruthy();
  });

  it('says it in English too', async () => {
    const { fetch } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL, 'en');
    expect(screen.getByTestId('book-standing').textContent).toBe('✓ Eligible: born 1950 or earlier (75 or older).');
  });

  it('names the day booking opens for someone not yet eligible, and offers no search', async () => {
    const { fetch } = api({
      'GET /api/booking/patients/pat-1/eligibility': {
        body: { eligibility: { eligible: false, code: 'NOT_YET_ELIGIBLE', message: '…', eligibleFrom: '2026-02-01' } },
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL, 'en');
    expect(screen.getByTestId('book-standing').textContent).toBe('! Not yet: opens for their age on 1 February 2026.');
    expect(screen.queryByLabelText('Postal code or town')).toBeNull();
    expect(screen.getByRole('link', { name: 'Back to the card of Janina Kowalska' }).getAttribute('href')).toBe(
      '/agent/caller/pat-1',
    );
  });

  it('says when no date is announced for the person’s age', async () => {
    const { fetch } = api({
      'GET /api/booking/patients/pat-1/eligibility': {
        body: { eligibility: { eligible: false, code: 'NOT_ELIGIBLE', message: '…', eligibleFrom: null } },
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL);
    expect(screen.getByTestId('book-standing').textContent).toBe(
      '! Jeszcze nie: terminu zapisów dla jej rocznika jeszcze nie ogłoszono.',
    );
  });

  it('says the person is booked already, with the first visit to come', async () => {
    const { fetch } = api({
      'GET /api/booking/patients/pat-1/appointments': {
        body: {
          appointments: [
            aVisit({ id: 'apt-2', dose: 2, start: '2026-02-09T07:10:00.000Z', localDate: '2026-02-09' }),
            aVisit(),
          ],
        },
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL, 'en');
    expect(screen.getByTestId('book-standing').textContent).toBe(
      '! Already booked: dose 1 on 19 January 2026 at 08:10, Przychodnia Nr 2.',
    );
    expect(screen.queryByLabelText('Postal code or town')).toBeNull();
  });

  it('sends back to the call for someone not in it', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/book/pat-9', fetch, CALL);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tej osoby nie ma w rozmowie');
    expect(screen.getByRole('link', { name: 'Wróć do rozmowy' }).getAttribute('href')).toBe('/agent/');
    expect(requests.filter((r) => r.path.startsWith('/api/booking'))).toEqual([]);
  });
});

describe('the search', () => {
  it('refuses a postal code written wrong at its field, and searches nothing', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('38-70');
    expect(place().getAttribute('aria-invalid')).toBe('true');
    const described = place().getAttribute('aria-describedby') ?? '';
    expect(described).toContain('book-place-error');
    expect(document.getElementById('book-place-error')?.textContent).toBe(
      'Kod pocztowy ma postać 00-950: dwie cyfry, kreska, trzy cyfry.',
    );
    expect(document.activeElement).toBe(place());
    await searchFor('');
    expect(document.getElementById('book-place-error')?.textContent).toBe(
      'Wpisz kod pocztowy (00-950) albo nazwę miejscowości.',
    );
    expect(requests.filter((r) => r.path === '/api/search')).toEqual([]);
  });

  it('shows the API’s refusal of a town at the field', async () => {
    const { fetch } = api({
      'GET /api/search': {
        ...apiError(400, 'UNKNOWN_TOWN'),
        body: { error: { code: 'UNKNOWN_TOWN', message: 'x', field: 'town' } },
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('Atlantyda');
    expect(document.getElementById('book-place-error')?.textContent).toBe(
      'Nie znamy takiej miejscowości. Sprawdź pisownię albo zapytaj o kod pocztowy.',
    );
  });

  it('searches by postal code or town with the vaccine chosen, and offers only products the person may have', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/book/pat-1', fetch, { ...CALL, people: [aCaller({ birthDate: '2010-05-01' })] });
    const vaccine = screen.getByLabelText('Szczepionka') as HTMLSelectElement;
    const offered = [...vaccine.options].map((o) => o.value);
    // Fifteen years old: the products from 12 only.
    expect(offered).toEqual(['', 'comirnaty', 'spikevax']);
    fireEvent.change(vaccine, { target: { value: 'spikevax' } });
    await searchFor('38700');
    await searchFor('ustrzyki dolne');
    const searches = requests.filter((r) => r.path === '/api/search');
    expect(searches.map((r) => Object.fromEntries(r.query))).toEqual([
      { postalCode: '38-700', vaccineId: 'spikevax', limit: '8', slotsPerCentre: '4' },
      { town: 'ustrzyki dolne', vaccineId: 'spikevax', limit: '8', slotsPerCentre: '4' },
    ]);
  });

  it('lists the soonest slots, focuses the first, and moves between them with the arrow keys', async () => {
    const { fetch } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL);
    pressAlt('p');
    expect(document.activeElement).toBe(place());
    await searchFor('Ustrzyki Dolne');
    expect(screen.getByRole('heading', { name: 'Najbliższe terminy: Ustrzyki Dolne' })).toBeTruthy();
    const slots = within(screen.getByRole('list', { name: 'Terminy: Przychodnia Nr 2' })).getAllByRole('button');
    expect(slots.map((s) => s.textContent)).toEqual([
      'pon., 19 stycznia 08:10 · Comirnaty · 3 wolne miejsca',
      'pon., 19 stycznia 08:20 · Comirnaty · 1 wolne miejsce',
    ]);
    expect(document.activeElement).toBe(slots[0]);
    fireEvent.keyDown(slots[0] as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(slots[1]);
    fireEvent.keyDown(slots[1] as HTMLElement, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(slots[0]);
  });
});

describe('booking and the read-back', () => {
  it('books the slot chosen for the person with the call’s reason and one key, then reads back every dose', async () => {
    const { fetch, requests } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('Ustrzyki Dolne');
    fireEvent.click(screen.getByRole('button', { name: /08:20/ }));
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Podsumowanie' }));
    const preview = requests.find((r) => r.path === '/api/booking/appointments/preview');
    expect(preview?.body).toEqual({ slotId: 'slot-2', patientId: 'pat-1', reason: 'caller-booking' });
    expect(screen.getByText('Dawka 2 (proponowany termin)')).toBeTruthy();

    pressAlt('k');
    await settle();
    const booking = requests.find((r) => r.method === 'POST' && r.path === '/api/booking/appointments');
    expect(booking?.body).toEqual({ slotId: 'slot-2', patientId: 'pat-1', reason: 'caller-booking' });
    expect(booking?.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);

    const panel = screen.getByTestId('book-read-back');
    const heading = within(panel).getByRole('heading', { level: 2 });
    expect(heading.textContent).toBe('Przeczytaj to dzwoniącemu');
    expect(document.activeElement).toBe(heading);
    const text = panel.textContent ?? '';
    expect(text).toContain('Dawka 1');
    expect(text).toContain('poniedziałek, 19 stycznia, godz. 08:10');
    expect(text).toContain('Dawka 2');
    expect(text).toContain('poniedziałek, 9 lutego, godz. 08:10');
    expect(text).toContain('Przychodnia Nr 2');
    expect(text).toContain('ul. 29 Listopada 1, 38-700 Ustrzyki Dolne');
    expect(within(panel).getByTestId('book-reference').textContent).toBe('K7M2-QX9A');
    expect(text).toContain('K jak Karol, 7, M jak Marek, 2 — Q jak Quebec, X jak Xawery, 9, A jak Adam');
    expect(text).toContain('Potwierdzenie SMS wysłane na numer +48 *** *** 200.');

    pressAlt('d');
    expect(window.location.pathname).toBe('/agent/caller/pat-1');
    await settle();
  });

  it('tells the agent that a person with only a landline gets no text', async () => {
    const { fetch } = api();
    await openConsole(
      '/agent/book/pat-1',
      fetch,
      {
        ...CALL,
        people: [aCaller({ phone: null, landline: '+48 *** *** 515' })],
      },
      'en',
    );
    await searchFor('Ustrzyki Dolne', { place: 'Postal code or town', submit: 'Search' });
    fireEvent.click(screen.getByRole('button', { name: /08:10/ }));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /Book the course/ }));
    await settle();
    expect(screen.getByTestId('book-read-back').textContent).toContain(
      'No SMS: this person has only a landline — make sure they wrote it down.',
    );
    expect(screen.getByTestId('book-read-back').textContent).not.toContain('SMS confirmation sent');
  });

  it('offers the centre’s next free slots when the slot was taken, and books the one chosen instead', async () => {
    let attempts = 0;
    const { fetch, requests } = api({
      'POST /api/booking/appointments': () => {
        attempts += 1;
        return attempts === 1
          ? apiError(409, 'SLOT_FULL', {
              alternatives: [
                { slotId: 'slot-2', start: '2026-01-19T07:20:00.000Z', free: 1 },
                { slotId: 'slot-3', start: '2026-01-19T07:30:00.000Z', free: 2 },
              ],
            })
          : BOOKED;
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('Ustrzyki Dolne');
    fireEvent.click(screen.getByRole('button', { name: /08:10/ }));
    await settle();
    pressAlt('k');
    await settle();
    const offered = screen.getByRole('heading', {
      name: 'Ten termin jest już zajęty. Najbliższe wolne w punkcie Przychodnia Nr 2:',
    });
    expect(document.activeElement).toBe(offered);
    fireEvent.click(screen.getByRole('button', { name: /08:30/ }));
    await settle();
    pressAlt('k');
    await settle();
    const bookings = requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/appointments');
    expect(bookings.map((r) => (r.body as { slotId: string }).slotId)).toEqual(['slot-1', 'slot-3']);
    expect(bookings[0]?.headers['idempotency-key']).not.toBe(bookings[1]?.headers['idempotency-key']);
    expect(screen.getByTestId('book-read-back')).toBeTruthy();
  });

  it('sends the same key again when the agent retries after a lost answer', async () => {
    let attempts = 0;
    const { fetch, requests } = api({
      'POST /api/booking/appointments': () => {
        attempts += 1;
        return attempts === 1 ? apiError(503, 'UNAVAILABLE') : BOOKED;
      },
    });
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('Ustrzyki Dolne');
    fireEvent.click(screen.getByRole('button', { name: /08:10/ }));
    await settle();
    pressAlt('k');
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('UNAVAILABLE');
    pressAlt('k');
    await settle();
    const keys = requests
      .filter((r) => r.method === 'POST' && r.path === '/api/booking/appointments')
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    await waitFor(() => expect(screen.getByTestId('book-read-back')).toBeTruthy());
  });

  it('goes back to the slots with Alt+0, to the one chosen before', async () => {
    const { fetch } = api();
    await openConsole('/agent/book/pat-1', fetch, CALL);
    await searchFor('Ustrzyki Dolne');
    fireEvent.click(screen.getByRole('button', { name: /08:20/ }));
    await settle();
    pressAlt('0');
    await settle();
    await waitFor(() => expect(document.activeElement?.textContent).toContain('08:20'));
  });
});
