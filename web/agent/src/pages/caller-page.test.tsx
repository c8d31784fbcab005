import { fireEvent, screen, waitFor } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { aCaller, aVisit, CENTRE, openConsole, pressAlt, settle } from '../book-test-support.tsx';

/*
 * A caller's card: name and birth date in full, the rest masked until the agent shows it (audited by
 * the API), the visits with moving, cancelling and resending the confirmation, and a new mobile or
 * landline. Every request carries the call's reason; only a person in the call has a card; after each
 * action the focus is on what it did.
 */

const JANINA = aCaller();
const CALL = { reason: { code: 'caller-changing' as const }, people: [JANINA] };
const FIRST = aVisit();
const SECOND = aVisit({ id: 'apt-2', dose: 2, start: '2026-02-16T07:10:00.000Z', localStart: '2026-02-16T08:10' });

beforeEach(() => {
  window.sessionStorage.clear();
  window.localStorage.clear();
});

const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const storedCall = () => JSON.parse(window.sessionStorage.getItem('ereg.agent.call') ?? 'null');

const api = (more: Parameters<typeof fakeApi>[0] = {}) =>
  fakeApi({
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [FIRST, SECOND] } },
    ...more,
  });

test('someone not in the call has no card: the agent is sent back to look them up', async () => {
  const stand = api();
  await openConsole('/agent/caller/pat-9', stand.fetch, CALL);

  expect(screen.getByRole('heading', { level: 1, name: 'Tej osoby nie ma w rozmowie' })).toBeTruthy();
  expect(stand.requests).toHaveLength(0);
});

test('the card shows name and birth date, the rest masked; showing a detail asks the API, which records it, and the card keeps it', async () => {
  const stand = api({
    'POST /api/booking/hotline/patients/pat-1/reveal': (r: RecordedRequest) => {
      const { field } = r.body as { field: string };
      return { body: { patientId: 'pat-1', field, value: field === 'pesel' ? '50031501234' : '+48600700200' } };
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  expect(screen.getByRole('heading', { level: 1, name: 'Janina Kowalska' })).toBeTruthy();
  expect(screen.getByText('Data urodzenia: 15 marca 1950')).toBeTruthy();
  expect(screen.getByText('*******1234')).toBeTruthy();
  expect(screen.getByText('+48 *** *** 200')).toBeTruthy();
  expect(screen.getByText(/każde pokazanie jest zapisywane/)).toBeTruthy();

  click('Pokaż: Komórka');
  await settle();

  expect(stand.requests.find((r) => r.path.endsWith('/reveal'))?.body).toEqual({ field: 'phone' });
  const shown = screen.getByText('+48600700200');
  expect(document.activeElement).toBe(shown);
  expect(screen.getByText('Pokazano dane; zapisaliśmy to w dzienniku dostępu.')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Pokaż: Komórka' })).toBeNull();
  expect(storedCall().people[0]).toMatchObject({ phone: '+48600700200', pesel: '*******1234' });

  // Alt+S shows the next detail still hidden: here the PESEL.
  pressAlt('s');
  await settle();
  expect(stand.requests.filter((r) => r.path.endsWith('/reveal')).map((r) => r.body)).toEqual([
    { field: 'phone' },
    { field: 'pesel' },
  ]);
  expect(document.activeElement).toBe(screen.getByText('50031501234'));
  expect(screen.queryByRole('button', { name: /^Pokaż/ })).toBeNull();
});

test('a detail shown earlier in the call stays shown without asking again', async () => {
  const stand = api();
  await openConsole('/agent/caller/pat-1', stand.fetch, {
    ...CALL,
    people: [aCaller({ phone: '+48600700200', landline: '+48 *** *** 000' })],
  });

  expect(screen.getByText('+48600700200')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Pokaż: Komórka' })).toBeNull();
  expect(screen.getByRole('button', { name: 'Pokaż: Telefon stacjonarny' })).toBeTruthy();
  expect(stand.requests.filter((r) => r.path.endsWith('/reveal'))).toHaveLength(0);
});

test('the visits are listed with the call’s reason; cancelling is confirmed first and says later doses go too', async () => {
  const stand = api({
    'POST /api/booking/appointments/apt-1/cancel': { body: { cancelled: [FIRST, SECOND] } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  expect(screen.getAllByText('Numer rezerwacji K7M2QX9A · zarezerwowana', { exact: false })).toHaveLength(2);
  expect(screen.getByText(/Dawka 1 · poniedziałek, 19 stycznia 2026.*08:10/)).toBeTruthy();
  expect(screen.getByText(/Dawka 2 · poniedziałek, 16 lutego 2026.*08:10/)).toBeTruthy();
  expect(stand.requests[0]?.query.get('reason')).toBe('caller-changing');

  pressAlt('c');
  const confirm = screen.getByRole('button', { name: 'Tak, odwołaj' });
  expect(document.activeElement).toBe(confirm);
  expect(screen.getByText('Późniejsze dawki zarezerwowane po niej też zostaną odwołane.')).toBeTruthy();
  fireEvent.click(confirm);
  await settle();

  const cancel = stand.requests.find((r) => r.path.endsWith('/cancel'));
  expect(cancel?.body).toEqual({ reason: 'caller-changing' });
  const done = screen.getByText('Odwołano wizyty: 2.');
  expect(document.activeElement?.contains(done)).toBe(true);
});

test('moving offers the same centre’s free times; the one chosen is sent, and later doses follow', async () => {
  const moved = aVisit({ start: '2026-01-20T09:00:00.000Z', localStart: '2026-01-20T10:00' });
  const stand = api({
    [`GET /api/centres/${CENTRE.id}/slots`]: {
      body: {
        centreId: CENTRE.id,
        vaccineId: 'comirnaty',
        from: '2026-01-12',
        to: '2026-02-08',
        slots: [{ slotId: 'slot-20', start: '2026-01-20T09:00:00.000Z', localStart: '2026-01-20T10:00', free: 3 }],
      },
    },
    'POST /api/booking/appointments/apt-1/reschedule': { body: { appointments: [moved] } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  pressAlt('m');
  await settle();
  const slots = stand.requests.find((r) => r.path.endsWith('/slots'));
  expect(Object.fromEntries(slots?.query ?? [])).toEqual({
    vaccineId: 'comirnaty',
    from: '2026-01-12',
    to: '2026-02-08',
  });
  expect(screen.getByText('Późniejsze dawki przesuną się razem z tą wizytą.')).toBeTruthy();
  const choice = screen.getByRole('button', { name: /20 stycznia 2026.*10:00/ });
  expect(document.activeElement).toBe(choice);
  fireEvent.click(choice);
  await settle();

  expect(stand.requests.find((r) => r.path.endsWith('/reschedule'))?.body).toEqual({
    slotId: 'slot-20',
    reason: 'caller-changing',
  });
  expect(document.activeElement?.contains(screen.getByText(/Przeniesiono na .*20 stycznia 2026/))).toBe(true);
});

test('resending the confirmation (Alt+T for the first visit) says where it went, and an API refusal is read out', async () => {
  let refused = false;
  const stand = api({
    'POST /api/booking/appointments/apt-1/resend-confirmation': () =>
      refused ? apiError(409, 'NO_MOBILE') : { body: { bookingId: 'bkg-1', sentTo: '+48 *** *** 200' } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  pressAlt('t');
  await settle();
  expect(stand.requests.find((r) => r.path.endsWith('/resend-confirmation'))?.body).toEqual({
    reason: 'caller-changing',
  });
  const sent = screen.getByText('Wysłaliśmy potwierdzenie SMS na +48 *** *** 200.');
  expect(document.activeElement?.contains(sent)).toBe(true);

  refused = true;
  fireEvent.click(screen.getAllByRole('button', { name: 'Wyślij potwierdzenie ponownie' })[0] as HTMLElement);
  await waitFor(() => expect(screen.getByText(/SMS nie dojdzie. Przeczytaj jej szczegóły wizyty/)).toBeTruthy());
});

test('someone with only a landline is offered no resend: the agent is told to read the visit out', async () => {
  const stand = api();
  await openConsole('/agent/caller/pat-1', stand.fetch, {
    ...CALL,
    people: [aCaller({ phone: null, landline: '+48 *** *** 000' })],
  });

  expect(screen.queryByRole('button', { name: 'Wyślij potwierdzenie ponownie' })).toBeNull();
  expect(screen.getByText(/Ta osoba ma tylko telefon stacjonarny: SMS z potwierdzeniem nie dojdzie/)).toBeTruthy();
  pressAlt('t');
  await settle();
  expect(stand.requests.filter((r) => r.path.endsWith('/resend-confirmation'))).toHaveLength(0);
});

test('a new mobile number (Alt+N) is checked, sent with the reason, and the card shows it masked', async () => {
  const stand = api({
    'PUT /api/booking/patients/pat-1/contact': {
      body: { patient: { phone: '+48601222333', landline: null, pesel: '*******1234' } },
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  pressAlt('n');
  const number = screen.getByLabelText('Numer komórki');
  expect(document.activeElement).toBe(number);
  fireEvent.change(number, { target: { value: '600 7' } });
  click('Zmień numer');
  expect(screen.getByText(/Numer telefonu ma 9 cyfr \(z \+48 lub bez\)/)).toBeTruthy();
  expect(stand.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  fireEvent.change(number, { target: { value: '601 222 333' } });
  click('Zmień numer');
  await settle();

  expect(stand.requests.find((r) => r.method === 'PUT')?.body).toEqual({
    phone: '601 222 333',
    reason: 'caller-changing',
  });
  const done = screen.getByText('Numer zmieniony: SMS-y przyjdą na nową komórkę.');
  expect(document.activeElement?.contains(done)).toBe(true);
  expect(screen.getByText('+48 *** *** 333')).toBeTruthy();
  expect(storedCall().people[0]).toMatchObject({ phone: '+48 *** *** 333', landline: null });
});

test('a landline is sent as one and replaces the mobile on the card; a mobile given as landline is refused at the field', async () => {
  const stand = api({
    'PUT /api/booking/patients/pat-1/contact': (r: RecordedRequest) =>
      (r.body as { landline?: string }).landline === '601 234 567'
        ? { status: 400, body: { error: { code: 'NOT_A_LANDLINE', message: 'mobile', field: 'landline' } } }
        : { body: { patient: { phone: null, landline: '+48 *** *** 000' } } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  fireEvent.click(screen.getByRole('radio', { name: 'Telefon stacjonarny' }));
  const number = screen.getByLabelText('Numer stacjonarny');
  fireEvent.change(number, { target: { value: '601 234 567' } });
  click('Zmień numer');
  await settle();
  expect(screen.getByText(/To numer komórkowy: wybierz „Komórka”/)).toBeTruthy();
  expect(number.getAttribute('aria-invalid')).toBe('true');
  expect(document.activeElement).toBe(number);

  fireEvent.change(number, { target: { value: '22 628 00 00' } });
  click('Zmień numer');
  await settle();

  expect(stand.requests.filter((r) => r.method === 'PUT').at(-1)?.body).toEqual({
    landline: '22 628 00 00',
    reason: 'caller-changing',
  });
  expect(screen.getByText(/Zapisano telefon stacjonarny: SMS-ów już nie wyślemy/)).toBeTruthy();
  expect(screen.getByText('+48 *** *** 000')).toBeTruthy();
  expect(storedCall().people[0]).toMatchObject({ phone: null, landline: '+48 *** *** 000' });
  // No mobile any more: the resend is no longer offered.
  expect(screen.queryByRole('button', { name: 'Wyślij potwierdzenie ponownie' })).toBeNull();
});

test('someone with a visit booked is not offered a new booking: they move or cancel it', async () => {
  await openConsole('/agent/caller/pat-1', api().fetch, CALL);
  expect(screen.getByText(/Dawka 1 · poniedziałek, 19 stycznia 2026/)).toBeTruthy();
  expect(screen.queryByRole('link', { name: /Zapisz na szczepienie/ })).toBeNull();
  pressAlt('b');
  expect(window.location.pathname).toBe('/agent/caller/pat-1');
});

test('with no visit booked, Alt+B opens the booking for this person', async () => {
  const stand = fakeApi({
    'GET /api/booking/patients/pat-1/appointments': { body: { appointments: [aVisit({ status: 'completed' })] } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);
  expect(screen.getByRole('link', { name: /Zapisz na szczepienie/ }).getAttribute('href')).toBe('/agent/book/pat-1');
  pressAlt('b');
  expect(window.location.pathname).toBe('/agent/book/pat-1');
  expect(await screen.findByRole('heading', { level: 1, name: /Janina Kowalska/ })).toBeTruthy();
  await settle();
});

// The waiting page
test('the card shows the caller’s place in the waiting room; the agent puts them in line and turns on the text for their turn', async () => {
  const waiting = {
    roomId: 'r-80',
    opensAt: '2026-01-12T19:00:00.000Z',
    status: 'waiting',
    position: 40,
    ahead: 25,
    estimatedWaitSeconds: 150,
    admittedUntil: null,
    freePlaces: null,
    smsWhenTurn: false,
    checkAgainSeconds: null,
    ticket: 'q1.r-80.pat-1.40.sig',
  };
  const stand = api({
    'GET /api/booking/queue/pat-1': { body: { queue: null } },
    'POST /api/booking/queue': { status: 201, body: { queue: waiting } },
    'PUT /api/booking/queue/pat-1/sms': { body: { queue: { ...waiting, smsWhenTurn: true } } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  const card = () => screen.getByTestId('caller-queue');
  expect(card().textContent).toContain('Tej osoby nie ma w poczekalni.');
  expect(stand.requests.find((r) => r.path === '/api/booking/queue/pat-1')?.query.get('reason')).toBe(
    'caller-changing',
  );

  click('Ustaw w kolejce');
  await settle();
  expect(stand.requests.find((r) => r.method === 'POST' && r.path === '/api/booking/queue')?.body).toEqual({
    patientId: 'pat-1',
    reason: 'caller-changing',
  });
  expect(card().textContent).toContain('Stanczeka w kolejce');
  expect(card().textContent).toContain('Numer w kolejce40');
  expect(card().textContent).toContain('Osób przed nią25');
  expect(card().textContent).toContain('Szacowane oczekiwanieza 3 minuty');
  expect(card().textContent).toContain('SMS, gdy przyjdzie kolejnie');

  click('Wyślij SMS, gdy przyjdzie kolej');
  await settle();
  expect(stand.requests.find((r) => r.method === 'PUT')?.body).toEqual({ notify: true, reason: 'caller-changing' });
  expect(card().textContent).toContain('SMS, gdy przyjdzie kolejtak');
  expect(screen.getByRole('button', { name: 'Nie wysyłaj SMS-a' })).toBeTruthy();
});

test('an admitted caller’s card says until when they may book', async () => {
  const stand = api({
    'GET /api/booking/queue/pat-1': {
      body: {
        queue: {
          roomId: 'r-80',
          opensAt: '2026-01-12T19:00:00.000Z',
          status: 'admitted',
          position: 3,
          ahead: 0,
          estimatedWaitSeconds: 0,
          admittedUntil: '2026-01-12T19:10:00.000Z',
          freePlaces: null,
          smsWhenTurn: true,
          ticket: 't',
        },
      },
    },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);
  const card = screen.getByTestId('caller-queue');
  expect(card.textContent).toContain('jej kolej — może się zapisać');
  expect(card.textContent).toContain('Może się zapisać do20:10');
  expect(screen.queryByRole('button', { name: 'Wyślij SMS, gdy przyjdzie kolej' })).toBeNull();
});
