import { fireEvent, screen, waitFor } from '@testing-library/react';
import { apiError, fakeApi, type RecordedRequest } from '../../../shared/src/fake-api.ts';
import { aCaller, aVisit, CENTRE, openConsole, pressAlt, settle } from '../book-test-support.tsx';

/*
 * A caller's card: name and birth date in full, the rest masked until the agent shows it (audited by
 * the API), the visits with moving, cancelling and resending the confirmation, and a new mobile number.
 * Every request carries the call's reason; only a person in the call has a card.
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

test('the card shows name and birth date, the rest masked; showing the phone asks the API, which records it', async () => {
  const stand = api({
    'POST /api/booking/hotline/patients/pat-1/reveal': (r: RecordedRequest) => ({
      body: { patientId: 'pat-1', field: (r.body as { field: string }).field, value: '+48600700200' },
    }),
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
  expect(screen.getByText('+48600700200')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Pokaż: Komórka' })).toBeNull();
  expect(screen.getByRole('button', { name: 'Pokaż: PESEL' })).toBeTruthy();
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
  expect(screen.getByText('Odwołano wizyty: 2.')).toBeTruthy();
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
  expect(screen.getByText(/Przeniesiono na .*20 stycznia 2026/)).toBeTruthy();
});

test('resending the confirmation says where it went; to someone with only a landline it says to read it out', async () => {
  let landlineOnly = false;
  const stand = api({
    'POST /api/booking/appointments/apt-1/resend-confirmation': () =>
      landlineOnly ? apiError(409, 'NO_MOBILE') : { body: { bookingId: 'bkg-1', sentTo: '+48 *** *** 200' } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  fireEvent.click(screen.getAllByRole('button', { name: 'Wyślij potwierdzenie ponownie' })[0] as HTMLElement);
  await settle();
  expect(screen.getByText('Wysłaliśmy potwierdzenie SMS na +48 *** *** 200.')).toBeTruthy();

  landlineOnly = true;
  fireEvent.click(screen.getAllByRole('button', { name: 'Wyślij potwierdzenie ponownie' })[0] as HTMLElement);
  await waitFor(() => expect(screen.getByText(/Przeczytaj jej szczegóły wizyty/)).toBeTruthy());
});

test('a new mobile number is checked, sent with the reason, and the card shows it masked', async () => {
  const stand = api({ 'PUT /api/booking/patients/pat-1/contact': { body: { patient: { landline: null } } } });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  fireEvent.change(screen.getByLabelText('Nowy numer komórki'), { target: { value: '600 7' } });
  click('Zmień numer');
  expect(screen.getByText('Numer telefonu ma 9 cyfr (z +48 lub bez).')).toBeTruthy();
  fireEvent.change(screen.getByLabelText('Nowy numer komórki'), { target: { value: '601 222 333' } });
  click('Zmień numer');
  await settle();

  expect(stand.requests.find((r) => r.method === 'PUT')?.body).toEqual({
    phone: '601 222 333',
    reason: 'caller-changing',
  });
  expect(screen.getByText('Numer zmieniony.')).toBeTruthy();
  expect(screen.getByText('+48 *** *** 333')).toBeTruthy();
});

test('a landline is sent as one, and the card shows it as the API masked it', async () => {
  const stand = api({
    'PUT /api/booking/patients/pat-1/contact': { body: { patient: { landline: '+48 *** *** 000' } } },
  });
  await openConsole('/agent/caller/pat-1', stand.fetch, CALL);

  fireEvent.click(screen.getByRole('radio', { name: 'Telefon stacjonarny' }));
  fireEvent.change(screen.getByLabelText('Nowy numer stacjonarny'), { target: { value: '22 628 00 00' } });
  click('Zmień numer');
  await settle();

  expect(stand.requests.find((r) => r.method === 'PUT')?.body).toEqual({
    landline: '22 628 00 00',
    reason: 'caller-changing',
  });
  expect(screen.getByText('+48 *** *** 000')).toBeTruthy();
});

test('Alt+B books for this person', async () => {
  await openConsole('/agent/caller/pat-1', api().fetch, CALL);
  pressAlt('b');
  expect(window.location.pathname).toBe('/agent/book/pat-1');
});
