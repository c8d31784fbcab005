import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { rememberSlot } from '../lib/offers.ts';
import {
  aCentre,
  apiError,
  aSlot,
  aVisit,
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
const booked = {
  status: 201,
  body: {
    bookingId: 'bkg-1',
    appointments: [
      aVisit(),
      aVisit({ id: 'apt-2', dose: 2, slotId: 'c-0001_comirnaty_20260203T0700Z', start: '2026-02-03T07:00:00.000Z' }),
    ],
  },
};

function pickSlot() {
  rememberSlot(window.sessionStorage, { ...SLOT, centre: aCentre() });
}

const bookings = (requests: ReturnType<typeof fakeApi>['requests']) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/appointments');

describe('confirming a booking', () => {
  it('books once with an idempotency key, however often the button is pressed, and shows both doses', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': booked,
    });
    await renderApp({ url: URL, fetch, language: 'en' });
    expect(screen.getByText(/next dose of Comirnaty at the same centre/)).toBeTruthy();

    const confirm = screen.getByRole('button', { name: 'Confirm booking' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    await screen.findByRole('heading', { level: 1, name: 'Your visits are booked' });

    expect(bookings(requests)).toHaveLength(1);
    const [request] = bookings(requests);
    expect(request?.body).toEqual({ slotId: SLOT.slotId });
    expect(request?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(request?.headers.authorization).toBe('Bearer test-token');
    expect(screen.getByRole('heading', { name: 'Dose 1' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Dose 2' })).toBeTruthy();
    expect(screen.getByText('Tuesday, 3 February 2026 at 08:00')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download a calendar file (.ics)' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 })));
  });

  it('retries after a lost connection with the same key, so the booking is not made twice', async () => {
    logIn();
    pickSlot();
    let attempts = 0;
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch');
        return booked;
      },
    });
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect((await screen.findByRole('alert')).textContent).toContain('We cannot reach the server.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await screen.findByRole('heading', { level: 1, name: 'Your visits are booked' });
    const keys = bookings(requests).map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('offers the centre’s next free slots when the slot was taken meanwhile, and books the one chosen', async () => {
    logIn();
    pickSlot();
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': (request) =>
        (request.body as { slotId: string }).slotId === SLOT.slotId
          ? apiError(409, 'SLOT_FULL', {
              alternatives: [
                { slotId: 'c-0001_comirnaty_20260113T0715Z', start: '2026-01-13T07:15:00.000Z', free: 2 },
                { slotId: 'c-0001_comirnaty_20260113T0730Z', start: '2026-01-13T07:30:00.000Z', free: 1 },
              ],
            })
          : booked,
    });
    await renderApp({ url: URL, fetch, language: 'pl' });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Ktoś właśnie zajął ten termin.');
    const offered = screen.getByRole('region', { name: 'Wolne terminy w tym samym punkcie' });
    await waitFor(() => expect(document.activeElement).toBe(within(offered).getByRole('heading')));
    const choices = within(offered).getAllByRole('button');
    expect(choices.map((b) => b.textContent)).toEqual([
      'Zarezerwuj: wt., 13 stycznia 08:15 · Comirnaty · 2 wolne miejsca',
      'Zarezerwuj: wt., 13 stycznia 08:30 · Comirnaty · 1 wolne miejsce',
    ]);

    fireEvent.click(choices[1] as HTMLElement);
    await screen.findByRole('heading', { level: 1, name: 'Wizyty zarezerwowane' });
    const [first, second] = bookings(requests);
    expect(second?.body).toEqual({ slotId: 'c-0001_comirnaty_20260113T0730Z' });
    expect(second?.headers['idempotency-key']).not.toBe(first?.headers['idempotency-key']);
  });

  it('says so plainly when many book the same slot and the centre has no other free one', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': apiError(409, 'SLOT_BUSY', { alternatives: [] }),
    });
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'A great many people are booking this slot right now.',
    );
    expect(screen.getByText('This centre has no other free slots right now.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Search for another slot' })).toBeTruthy();
  });

  it('tells someone refused for too many attempts how long to wait, in Polish', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': { ...apiError(429, 'RATE_LIMITED'), headers: { 'Retry-After': '240' } },
    });
    await renderApp({ url: URL, fetch, language: 'pl' });
    fireEvent.click(screen.getByRole('button', { name: 'Potwierdzam rezerwację' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za 4 minuty.',
    );
  });

  it('tells a person not yet eligible from when they may book, and one already booked where their visits are', async () => {
    logIn();
    pickSlot();
    let answer = apiError(403, 'NOT_YET_ELIGIBLE', { eligibleFrom: '2026-01-22' });
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': () => answer,
    });
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Booking opens for you on 22 January 2026.');

    answer = apiError(409, 'ALREADY_BOOKED', { dose: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('You already have a visit booked'));
    expect(screen.getByRole('link', { name: 'Go to my visits' }).getAttribute('href')).toBe('/visits');
  });

  it('asks someone not logged in to log in, and brings them back to this slot afterwards', async () => {
    pickSlot();
    const left: string[] = [];
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/config': { body: { idpLoginUrl: '/dev-idp/login', session: { kind: 'bearer' } } },
    });
    await renderApp({ url: URL, fetch, language: 'en', leave: (url) => left.push(url) });
    expect(screen.queryByRole('button', { name: 'Confirm booking' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await settle();
    expect(left).toEqual([`/dev-idp/login?return=${encodeURIComponent('http://localhost/login/callback')}`]);
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBe(URL);
  });

  it('sends someone whose session expired back to log in, saying why', async () => {
    logIn();
    pickSlot();
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'POST /api/booking/appointments': apiError(401, 'TOKEN_EXPIRED'),
    });
    await renderApp({ url: URL, fetch, language: 'en' });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await screen.findByRole('heading', { level: 1, name: 'Book your vaccination' });
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('alert').textContent).toContain('Your session has expired. Please log in again');
    expect(window.sessionStorage.getItem('ereg.patient.session')).toBeNull();
    expect(window.sessionStorage.getItem('ereg.patient.return')).toBe(URL);
    expect(screen.queryByRole('link', { name: 'My visits' })).toBeNull();
  });
});
