import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rememberSlot } from '../lib/offers.ts';
import {
  aCentre,
  apiError,
  aSlot,
  aVisit,
  ELIGIBLE_ME,
  fakeApi,
  logIn,
  renderApp,
  resetBrowser,
  settle,
  VACCINES,
} from '../test-support.tsx';

beforeEach(resetBrowser);

const SLOT = aSlot();
const URL = `/book/${SLOT.slotId}`;
const DOSE_2 = {
  slotId: 'c-0001_comirnaty_20260203T0700Z',
  start: '2026-02-03T07:00:00.000Z',
  localStart: '2026-02-03T08:00',
  free: 4,
};
const visits = [
  aVisit(),
  aVisit({ id: 'apt-2', dose: 2, slotId: DOSE_2.slotId, start: DOSE_2.start, localDate: '2026-02-03' }),
];
const booked = { status: 201, body: { bookingId: 'bkg-1', appointments: visits } };
const preview = (slotId = SLOT.slotId, start = SLOT.start) => ({
  body: {
    dose: 1,
    vaccineId: 'comirnaty',
    centreId: 'c-0001',
    slot: { slotId, start, localStart: '2026-01-13T08:00', free: 3 },
    followUp: { dose: 2, earliest: '2026-02-03T07:00:00.000Z', latest: '2026-02-24T07:00:00.000Z', proposed: DOSE_2 },
  },
});
const withoutPhone = { body: { ...ELIGIBLE_ME, patient: { ...ELIGIBLE_ME.patient, phone: null } } };

/** The routes of a logged-in person's booking page; `extra` adds or replaces some. */
const routes = (extra: Parameters<typeof fakeApi>[0] = {}) => ({
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/me': { body: ELIGIBLE_ME },
  'POST /api/booking/appointments/preview': preview(),
  'POST /api/booking/appointments': booked,
  'GET /api/booking/patients/pat-1/appointments': { body: { appointments: visits } },
  ...extra,
});

function pickSlot() {
  rememberSlot(window.sessionStorage, { ...SLOT, centre: aCentre() });
}

const bookings = (requests: ReturnType<typeof fakeApi>['requests']) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/appointments');

describe('before confirming', () => {
  it('shows what the booking will do: this dose, and the next dose proposed at the same centre', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi(routes());
    await renderApp({ url: URL, fetch, language: 'en' });

    expect(screen.getByRole('heading', { name: 'Dose 1' })).toBeTruthy();
    const next = screen.getByRole('region', { name: 'Dose 2' });
    expect(next.textContent).toContain('With this visit we will book dose 2 at the same centre:');
    expect(next.textContent).toContain('Tuesday, 3 February 2026 at 08:00');
    expect(next.textContent).toContain('Dose 2 can be given from 3 February 2026 to 24 February 2026.');
    expect(
      screen.getByText(/We will text the confirmation and a reminder the day before each visit to \+48 600 100 200/),
    ).toBeTruthy();
  });

  it('tells a person not yet eligible from when they may book, with no button to confirm', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/appointments/preview': apiError(403, 'NOT_YET_ELIGIBLE', { eligibleFrom: '2026-01-22' }),
      }),
    );
    await renderApp({ url: URL, fetch, language: 'en' });

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Booking has not opened for you yet')).toBeTruthy();
    expect(alert.textContent).toContain('Booking opens for you on 22 January 2026.');
    expect(alert.textContent).not.toContain('Something went wrong');
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Back to the search' })).toBeTruthy();
    expect(bookings(requests)).toHaveLength(0);
  });

  it('tells one already booked where their visits are, under a heading that is not a failure', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi(
      routes({ 'POST /api/booking/appointments/preview': apiError(409, 'ALREADY_BOOKED', { dose: 1 }) }),
    );
    await renderApp({ url: URL, fetch, language: 'pl' });

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Tej wizyty nie można zarezerwować')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Przejdź do moich wizyt' }).getAttribute('href')).toBe('/visits');
    expect(screen.queryByRole('button', { name: 'Potwierdzam rezerwację' })).toBeNull();
  });

  it('asks someone not logged in to log in, checks nothing meanwhile, and brings them back to this slot', async () => {
    pickSlot();
    const left: string[] = [];
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/config': { body: { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } } },
    });
    await renderApp({ url: URL, fetch, language: 'en', leave: (url) => left.push(url) });
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
    expect(requests.some((r) => r.path === '/api/booking/appointments/preview')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await settle();
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(`/dev-idp/login?return=${encodeURIComponent('http://localhost/login/callback')}`);
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBe(URL);
  });
});

describe('confirming', () => {
  it('books once with an idempotency key, however often the button is pressed, and moves to the confirmation’s own address', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi(routes());
    await renderApp({ url: URL, fetch, language: 'en' });

    const confirm = screen.getByRole('button', { name: 'Confirm booking' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    await screen.findByRole('heading', { level: 1, name: 'Your visits are booked' });

    expect(bookings(requests)).toHaveLength(1);
    const [request] = bookings(requests);
    expect(request?.body).toEqual({ slotId: SLOT.slotId });
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(window.location.pathname).toBe('/bookings/K7M2QX9P');
    expect(screen.getByText('K7M2QX9P')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Dose 2' })).toBeTruthy();
  });

  it('retries after a lost connection with the same key, so the booking is not made twice', async () => {
    logIn();
    pickSlot();
    let attempts = 0;
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/appointments': () => {
          attempts += 1;
          if (attempts === 1) throw new TypeError('Failed to fetch');
          return booked;
        },
      }),
    );
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('We cannot reach the server.');
    expect(within(alert).getByText('Something went wrong')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await screen.findByRole('heading', { level: 1, name: 'Your visits are booked' });
    const keys = bookings(requests).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('books dose 2 at the time the person chose inside its interval', async () => {
    logIn();
    pickSlot();
    const later = {
      slotId: 'c-0001_comirnaty_20260210T1030Z',
      start: '2026-02-10T10:30:00.000Z',
      localStart: '2026-02-10T11:30',
      free: 2,
    };
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/centres/c-0001/slots': (request) => ({
          body: {
            centreId: 'c-0001',
            vaccineId: 'comirnaty',
            from: request.query.get('from'),
            to: request.query.get('to'),
            slots: request.query.get('from') === '2026-02-10' ? [later] : [],
          },
        }),
      }),
    );
    await renderApp({ url: URL, fetch, language: 'en' });

    fireEvent.click(screen.getByRole('button', { name: 'Choose another time for dose 2' }));
    await settle();
    expect(screen.getByText('There are no free times that day. Choose another day.')).toBeTruthy();
    const day = screen.getByRole('combobox', { name: 'Day' }) as HTMLSelectElement;
    expect(day.options[0]?.value).toBe('2026-02-03');
    expect(day.options[day.options.length - 1]?.value).toBe('2026-02-24');
    fireEvent.change(day, { target: { value: '2026-02-10' } });
    await settle();
    fireEvent.click(screen.getByRole('radio', { name: '11:30' }));
    expect(screen.getByRole('region', { name: 'Dose 2' }).textContent).toContain('Tuesday, 10 February 2026 at 11:30');

    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await screen.findByRole('heading', { level: 1, name: 'Your visits are booked' });
    const slotQuery = requests.find((r) => r.path === '/api/centres/c-0001/slots');
    expect(slotQuery?.query.get('vaccineId')).toBe('comirnaty');
    expect(bookings(requests)[0]?.body).toEqual({ slotId: SLOT.slotId, nextSlotId: later.slotId });
  });

  it('asks a person without a number for one, and saves it before booking', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/login/me': withoutPhone,
        'PUT /api/booking/patients/pat-1/contact': {
          body: { patient: { ...ELIGIBLE_ME.patient, phone: '+48601202303' } },
        },
      }),
    );
    await renderApp({ url: URL, fetch, language: 'pl' });
    const phone = screen.getByRole('textbox', { name: 'Numer telefonu komórkowego' });
    expect(screen.getByText(/Podaj numer komórki, a wyślemy potwierdzenie/)).toBeTruthy();
    fireEvent.change(phone, { target: { value: '601 202 303' } });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));
    await screen.findByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' });

    const order = requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(order).toEqual([
      'POST /api/booking/appointments/preview',
      'PUT /api/booking/patients/pat-1/contact',
      'POST /api/booking/appointments',
    ]);
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ phone: '601 202 303', language: 'pl' });
  });

  it('a wrong number is shown at its field and books nothing', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi(
      routes({
        'GET /api/login/me': withoutPhone,
        'PUT /api/booking/patients/pat-1/contact': {
          status: 400,
          body: { error: { code: 'INVALID_PHONE', message: 'not mobile', field: 'phone' } },
        },
      }),
    );
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Mobile phone number' }), {
      target: { value: '22 100 20 30' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Mobile phone number' }).getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getByText('This is not a mobile phone number. Write it like this: 600 100 200.')).toBeTruthy();
    expect(bookings(requests)).toHaveLength(0);
  });

  it('offers the centre’s next free slots when the slot was taken meanwhile, and the one chosen is checked again', async () => {
    logIn();
    pickSlot();
    const alternative = 'c-0001_comirnaty_20260113T0730Z';
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/appointments/preview': (request) =>
          preview((request.body as { slotId: string }).slotId, '2026-01-13T07:00:00.000Z'),
        'POST /api/booking/appointments': (request) =>
          (request.body as { slotId: string }).slotId === SLOT.slotId
            ? apiError(409, 'SLOT_FULL', {
                alternatives: [
                  { slotId: 'c-0001_comirnaty_20260113T0715Z', start: '2026-01-13T07:15:00.000Z', free: 2 },
                  { slotId: alternative, start: '2026-01-13T07:30:00.000Z', free: 1 },
                ],
              })
            : booked,
      }),
    );
    await renderApp({ url: URL, fetch, language: 'pl' });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Ktoś właśnie zajął ten termin.');
    expect(within(alert).getByText('Ten termin jest już zajęty')).toBeTruthy();
    const offered = screen.getByRole('region', { name: 'Wolne terminy w tym samym punkcie' });
    await waitFor(() => expect(document.activeElement).toBe(within(offered).getByRole('heading')));
    const choices = within(offered).getAllByRole('button');
    expect(choices.map((b) => b.textContent)).toEqual([
      'Zarezerwuj: wt., 13 stycznia 08:15 · Comirnaty · 2 wolne miejsca',
      'Zarezerwuj: wt., 13 stycznia 08:30 · Comirnaty · 1 wolne miejsce',
    ]);

    fireEvent.click(choices[1] as HTMLElement);
    await settle();
    expect(window.location.pathname).toBe(`/book/${alternative}`);
    expect(requests.filter((r) => r.path === '/api/booking/appointments/preview').at(-1)?.body).toEqual({
      slotId: alternative,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));
    await screen.findByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' });
    const [first, second] = bookings(requests);
    expect(second?.body).toEqual({ slotId: alternative });
    expect(second?.headers['idempotency-key']).not.toBe(first?.headers['idempotency-key']);
  });

  it('a slot taken before the page opened is offered with the centre’s next free ones at once', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi(
      routes({ 'POST /api/booking/appointments/preview': apiError(409, 'SLOT_BUSY', { alternatives: [] }) }),
    );
    await renderApp({ url: URL, fetch, language: 'en' });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'A great many people are booking this slot right now.',
    );
    expect(screen.getByText('This centre has no other free slots right now.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Search for another slot' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
  });

  it('tells someone refused for too many attempts how long to wait, in Polish', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi(
      routes({
        'POST /api/booking/appointments': { ...apiError(429, 'RATE_LIMITED'), headers: { 'Retry-After': '240' } },
      }),
    );
    await renderApp({ url: URL, fetch, language: 'pl' });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za 4 minuty.');
  });

  it('sends someone whose session expired back to log in, saying why', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi(routes({ 'POST /api/booking/appointments/preview': apiError(401, 'TOKEN_EXPIRED') }));
    await renderApp({ url: URL, fetch, language: 'en' });
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('alert').textContent).toContain('Your session has expired. Please log in again');
    expect(window.sessionStorage.getItem('ereg.patient.session')).toBeNull();
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBe(URL);
  });
});

describe('the confirmation’s own page', () => {
  it('shows the reference, its QR code, the visits and where the text goes, again after a reload', async () => {
    logIn();
    const { fetch, requests } = fakeApi(routes());
    await renderApp({ url: '/bookings/K7M2QX9P', fetch, language: 'uk' });

    expect(screen.getByRole('heading', { level: 1, name: 'Візити заброньовано' })).toBeTruthy();
    expect(screen.getByText('K7M2QX9P')).toBeTruthy();
    const qr = await screen.findByRole('img', { name: 'QR-код номера бронювання K7M2QX9P' });
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d+ \d+h\d+/);
    expect(screen.getByText('Підтвердження надсилаємо через SMS на номер +48 600 100 200.')).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Номер бронювання',
      'Доза 1',
      'Доза 2',
    ]);
    expect(bookings(requests)).toHaveLength(0);
  });

  it('a reference that is not among the person’s visits says so', async () => {
    logIn();
    const { fetch } = fakeApi(routes());
    await renderApp({ url: '/bookings/ZZZZ2222', fetch, language: 'en' });
    expect(screen.getByText('None of your visits has booking reference ZZZZ2222.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to my visits' })).toBeTruthy();
  });
});
