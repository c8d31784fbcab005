import type { QueueView } from '@ereg/shared';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { rememberSlot } from '../lib/offers.ts';
import {
  aCentre,
  apiError,
  aSlot,
  ELIGIBLE_ME,
  fakeApi,
  logIn,
  NOW,
  renderApp,
  resetBrowser,
  VACCINES,
} from '../test-support.tsx';

beforeEach(resetBrowser);
afterEach(() => jest.useRealTimers());

/** 20:00 in Warsaw on the test's day. */
const OPENS_AT = '2026-01-12T19:00:00.000Z';

function aView(overrides: Partial<QueueView> = {}): QueueView {
  return {
    roomId: 'r-80',
    opensAt: OPENS_AT,
    status: 'waiting',
    position: 12,
    ahead: 11,
    estimatedWaitSeconds: 300,
    admittedUntil: null,
    freePlaces: null,
    smsWhenTurn: false,
    checkAgainSeconds: null,
    ticket: 'q1.r-80.pat-1.12.sig',
    ...overrides,
  };
}

const EARLY = aView({ status: 'before-opening', position: null, ahead: null, estimatedWaitSeconds: null });
const ADMITTED = aView({ status: 'admitted', ahead: 0, admittedUntil: '2026-01-12T08:10:00.000Z' });

const routes = (extra: Parameters<typeof fakeApi>[0] = {}) => ({
  'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
  'GET /api/login/me': { body: ELIGIBLE_ME },
  ...extra,
});

/** Moves the page's timers on (the polling), letting the answers arrive. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

describe('the waiting page', () => {
  it('before the opening says when the order is drawn, then shows the place in line as it is asked for again', async () => {
    jest.useFakeTimers({ advanceTimers: true, now: NOW });
    logIn();
    let state = EARLY;
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/queue': { status: 201, body: { queue: EARLY } },
        'GET /api/booking/queue/pat-1': () => ({ body: { queue: state } }),
      }),
    );
    await renderApp({ url: '/queue', fetch, language: 'pl' });

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Jesteś w poczekalni');
    expect(screen.getByRole('heading', { name: 'Kolejność losujemy o 20:00' })).toBeTruthy();
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/queue')[0]?.body).toEqual({
      patientId: 'pat-1',
    });

    state = aView();
    await advance(5_000);
    expect(requests.filter((r) => r.path === '/api/booking/queue/pat-1')).toHaveLength(1);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Czekasz w kolejce');
    expect(screen.getByTestId('queue-position').textContent).toBe('12');
    expect(screen.getByTestId('queue-ahead').textContent).toBe('11');
    expect(screen.getByTestId('queue-wait').textContent).toBe('za 5 minut');
    expect(screen.queryByTestId('queue-free')).toBeNull();
    // A change of state is announced at once.
    const live = () => document.querySelector('.visually-hidden[role="status"]')?.textContent;
    expect(live()).toBe(
      'Jesteś 12. w kolejce. Przed Tobą jest 11 osób. Twoja kolej przyjdzie mniej więcej za 5 minut.',
    );

    // A moved place is shown at once but said at most every 30 s.
    state = aView({ position: 12, ahead: 4, estimatedWaitSeconds: 120, freePlaces: 340 });
    await advance(5_000);
    expect(screen.getByTestId('queue-ahead').textContent).toBe('4');
    expect(screen.getByTestId('queue-free').textContent).toBe('340');
    expect(screen.getByTestId('queue-free').previousElementSibling?.textContent).toBe(
      'Wolne miejsca w najbliższych czterech tygodniach',
    );
    expect(live()).toContain('Przed Tobą jest 11 osób.');
    await advance(25_000);
    expect(live()).toContain('Przed Tobą są 4 osoby.');
  });

  it('when it is the person’s turn says until when, leads to the search and sends the ticket with the booking', async () => {
    logIn();
    window.sessionStorage.setItem('ereg.patient.lastSearch', '?postalCode=00-950');
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/queue': { body: { queue: ADMITTED } },
        'POST /api/booking/appointments/preview': apiError(409, 'SLOT_FULL'),
      }),
    );
    const { services } = await renderApp({ url: '/queue', fetch, language: 'en' });

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('It’s your turn');
    expect(screen.getByRole('heading', { name: 'It’s your turn — you have until 09:10 to book' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Choose a slot' }).getAttribute('href')).toBe('/search?postalCode=00-950');

    await services.api.previewBooking({ slotId: 's-1' }).catch(() => {});
    await services.api.search({ postalCode: '00-950' }).catch(() => {});
    await services.api.vaccines();
    const sent = (path: string) => requests.find((r) => r.path === path)?.headers['queue-ticket'];
    expect(sent('/api/booking/appointments/preview')).toBe(ADMITTED.ticket);
    expect(sent('/api/search')).toBe(ADMITTED.ticket);
    expect(requests.filter((r) => r.path === '/api/search/vaccines').every((r) => !r.headers['queue-ticket'])).toBe(
      true,
    );
  });

  it('offers a text message instead of keeping the page open, and says when there is no number to send it to', async () => {
    logIn();
    let smsAnswer: { status?: number; body: unknown } = { body: { queue: aView({ smsWhenTurn: true }) } };
    const { fetch, requests } = fakeApi(
      routes({
        'POST /api/booking/queue': { body: { queue: aView() } },
        'PUT /api/booking/queue/pat-1/sms': () => smsAnswer,
      }),
    );
    await renderApp({ url: '/queue', fetch, language: 'pl' });

    fireEvent.click(screen.getByRole('button', { name: 'Wyślij mi SMS, gdy przyjdzie moja kolej' }));
    await screen.findByText('Wyślemy Ci SMS, gdy przyjdzie Twoja kolej. Możesz zamknąć tę stronę.');
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({ notify: true });

    smsAnswer = { body: { queue: aView() } };
    fireEvent.click(screen.getByRole('button', { name: 'Nie wysyłaj SMS-a' }));
    await screen.findByRole('button', { name: 'Wyślij mi SMS, gdy przyjdzie moja kolej' });

    smsAnswer = apiError(400, 'PHONE_REQUIRED');
    fireEvent.click(screen.getByRole('button', { name: 'Wyślij mi SMS, gdy przyjdzie moja kolej' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Aby dostać SMS, podaj najpierw numer telefonu komórkowego.',
    );
    expect(screen.getByRole('link', { name: /Podaj numer telefonu/ }).getAttribute('href')).toBe('/visits');
  });

  it('says when the time to book has passed and joins again on request', async () => {
    logIn();
    const { fetch, requests } = fakeApi(
      routes({ 'POST /api/booking/queue': { body: { queue: aView({ status: 'expired', ahead: null }) } } }),
    );
    await renderApp({ url: '/queue', fetch, language: 'uk' });

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Час на бронювання минув');
    fireEvent.click(screen.getByRole('button', { name: 'Зайти до залу очікування знову' }));
    await waitFor(() => expect(requests.filter((r) => r.method === 'POST')).toHaveLength(2));
  });

  it('says there is no need to wait when no waiting room stands in front of the person', async () => {
    logIn();
    const { fetch } = fakeApi(routes({ 'POST /api/booking/queue': apiError(409, 'NO_QUEUE') }));
    await renderApp({ url: '/queue', fetch, language: 'pl' });
    expect(screen.getByRole('heading', { name: 'Nie musisz czekać' })).toBeTruthy();
    expect(screen.getByText('Teraz nie ma kolejki do zapisów dla Ciebie. Możesz od razu szukać terminu.')).toBeTruthy();
  });

  it('says what failed and tries again on request', async () => {
    logIn();
    let answer: { status?: number; body: unknown } = apiError(503, 'UNAVAILABLE');
    const { fetch } = fakeApi(routes({ 'POST /api/booking/queue': () => answer }));
    await renderApp({ url: '/queue', fetch, language: 'en' });
    expect(screen.getByRole('alert')).toBeTruthy();
    answer = { body: { queue: aView() } };
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('queue-position')).toBeTruthy();
  });

  it('asks a visitor who is not logged in to log in first', async () => {
    const { fetch, requests } = fakeApi(routes());
    await renderApp({ url: '/queue', fetch, language: 'pl' });
    expect(screen.getByRole('heading', { name: 'Zaloguj się, aby kontynuować' })).toBeTruthy();
    expect(requests.some((r) => r.path.startsWith('/api/booking/queue'))).toBe(false);
  });
});

describe('on the way to the waiting page', () => {
  it('a booking the gate refuses leads to the waiting page', async () => {
    logIn();
    rememberSlot(window.sessionStorage, { ...aSlot(), centre: aCentre() });
    const { fetch } = fakeApi(
      routes({
        'POST /api/booking/appointments/preview': apiError(409, 'QUEUE_REQUIRED', { queue: null }),
        'POST /api/booking/queue': { status: 201, body: { queue: aView() } },
      }),
    );
    await renderApp({ url: `/book/${aSlot().slotId}`, fetch, language: 'pl' });
    await waitFor(() => expect(window.location.pathname).toBe('/queue'));
    expect(await screen.findByTestId('queue-position')).toBeTruthy();
  });

  it('a person whose opening is near is taken to its waiting room from the search', async () => {
    logIn();
    const notYet = {
      ...ELIGIBLE_ME,
      eligibility: {
        eligible: false,
        code: 'NOT_YET_ELIGIBLE',
        message: 'Opens at 20:00.',
        eligibleFrom: '2026-01-12',
        eligibleAt: OPENS_AT,
      },
    };
    const { fetch, requests } = fakeApi(
      routes({ 'GET /api/login/me': { body: notYet }, 'POST /api/booking/queue': { body: { queue: EARLY } } }),
    );
    await renderApp({ url: '/search', fetch, language: 'pl' });
    await waitFor(() => expect(window.location.pathname).toBe('/queue'));
    expect(await screen.findByRole('heading', { name: 'Kolejność losujemy o 20:00' })).toBeTruthy();
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/api/booking/queue').length).toBeGreaterThan(0);
  });

  it('stays on the search when no room stands in front of the opening, and does not ask again at once', async () => {
    logIn();
    const opened = {
      ...ELIGIBLE_ME,
      eligibility: { ...ELIGIBLE_ME.eligibility, rule: { ...ELIGIBLE_ME.eligibility.rule, opensAt: OPENS_AT } },
    };
    const { fetch, requests } = fakeApi(
      routes({ 'GET /api/login/me': { body: opened }, 'POST /api/booking/queue': apiError(409, 'NO_QUEUE') }),
    );
    const first = await renderApp({ url: '/search', fetch, language: 'pl' });
    expect(window.location.pathname).toBe('/search');
    first.unmount();
    await renderApp({ url: '/search', fetch, language: 'pl' });
    expect(requests.filter((r) => r.path === '/api/booking/queue')).toHaveLength(1);
  });
});
