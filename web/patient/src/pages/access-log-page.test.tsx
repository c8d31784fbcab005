import type { AccessLogEntry } from '@ereg/shared';
import { fireEvent, screen, within } from '@testing-library/react';
import { ELIGIBLE_ME, fakeApi, logIn, renderApp, resetBrowser, settle, VACCINES } from '../test-support.tsx';
import { actionKey } from './access-log-page.tsx';

beforeEach(resetBrowser);

const AGENT = 'A-7f3a90c1d2e4';

function anEntry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    at: '2026-01-12T07:15:00.000Z',
    role: 'agent',
    who: AGENT,
    action: 'lookup',
    reason: 'relative-booking',
    field: null,
    ...overrides,
  };
}

/** Newest first, as the API answers: a reveal after the look-up, and a centre's day list the day before. */
const ENTRIES = [
  anEntry({ at: '2026-01-12T07:17:00.000Z', action: 'reveal', reason: null, field: 'phone' }),
  anEntry(),
  anEntry({ at: '2026-01-11T06:30:00.000Z', role: 'staff', who: 'S-0123456789ab', action: 'day-list', reason: null }),
];

function logApi(answer: Parameters<typeof fakeApi>[0][string]) {
  return fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/login/me': { body: ELIGIBLE_ME },
    'GET /api/booking/patients/pat-1/access-log': answer,
  });
}

const entries = () =>
  within(screen.getByRole('region', { name: /^(Entries|Wpisy|Записи)$/ })).queryAllByRole('article');

describe('who looked at my data', () => {
  it('lists each look-up with its time, who in words with their identifier, what was done and why', async () => {
    logIn();
    const { fetch, requests } = logApi({ body: { entries: ENTRIES } });
    await renderApp({ url: '/access-log', fetch, language: 'en' });

    expect(screen.getByRole('heading', { level: 1, name: 'Who looked at my data' })).toBeTruthy();
    const request = requests.find((r) => r.path.endsWith('/access-log'));
    expect(request?.headers.authorization).toBe('Bearer test-token');
    const [reveal, lookup, dayList] = entries();
    // 07:15 UTC is 08:15 in Warsaw.
    expect(within(lookup as HTMLElement).getByRole('heading', { level: 3 }).textContent).toBe(
      'Monday, 12 January 2026 at 08:15',
    );
    expect(lookup?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-12T07:15:00.000Z');
    expect(lookup?.textContent).toContain(`Hotline agent (identifier: ${AGENT})`);
    expect(lookup?.textContent).toContain('Looked up your data');
    expect(lookup?.textContent).toContain('A relative phoned to book for you');
    expect(reveal?.textContent).toContain('Revealed your mobile number');
    expect(within(reveal as HTMLElement).queryByText('Reason')).toBeNull();
    expect(dayList?.textContent).toContain('Vaccination centre staff (identifier: S-0123456789ab)');
    expect(dayList?.textContent).toContain('Your visit on the centre’s list of the day');
    expect(screen.getByText('3 entries.')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/relative-booking|day-list|\blookup\b/);
  });

  it('says every reason and action in Polish and Ukrainian too', async () => {
    logIn();
    const { fetch } = logApi({ body: { entries: [anEntry({ reason: 'caller-changing' })] } });
    await renderApp({ url: '/access-log', fetch, language: 'pl' });
    expect(entries()[0]?.textContent).toMatch(
      /poniedziałek, 12 stycznia 2026.*08:15.*Konsultant infolinii \(oznaczenie: A-7f3a90c1d2e4\).*Wyszukanie Twoich danych.*Twoja rozmowa z infolinią: zmiana wizyty/,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Українська' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Хто переглядав мої дані' })).toBeTruthy();
    expect(entries()[0]?.textContent).toMatch(/Оператор гарячої лінії.*Пошук ваших даних.*щоб змінити візит/);
  });

  it('says when no one has looked at the data, and still explains who may and whom to ask', async () => {
    logIn();
    const { fetch } = logApi({ body: { entries: [] } });
    await renderApp({ url: '/access-log', fetch, language: 'en' });
    expect(screen.getByText('No one has looked at your data.')).toBeTruthy();
    expect(entries()).toHaveLength(0);
    expect(screen.getByRole('heading', { level: 2, name: 'Why others see your data' })).toBeTruthy();
    const contact = screen.getByRole('region', { name: 'Does something look wrong?' });
    expect(within(contact).getByRole('link', { name: '989' }).getAttribute('href')).toBe('tel:989');
  });

  it('shows that it is loading until the answer comes', async () => {
    logIn();
    let answer: (value: unknown) => void = () => {};
    const pending = new Promise((resolve) => {
      answer = resolve;
    });
    const { fetch } = logApi(() => pending.then(() => ({ body: { entries: [anEntry()] } })));
    await renderApp({ url: '/access-log', fetch, language: 'en' });
    expect(screen.getByText('Loading the entries…')).toBeTruthy();
    answer(null);
    await settle();
    expect(screen.queryByText('Loading the entries…')).toBeNull();
    expect(entries()).toHaveLength(1);
  });

  it('says why the list could not be shown, and tries again on request', async () => {
    logIn();
    let fail = true;
    const { fetch, requests } = logApi(() => {
      if (fail) throw new TypeError('Failed to fetch');
      return { body: { entries: ENTRIES } };
    });
    await renderApp({ url: '/access-log', fetch, language: 'en' });
    expect(screen.getByRole('alert').textContent).toContain('We cannot reach the server.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await settle();
    expect(entries()).toHaveLength(3);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(requests.filter((r) => r.path.endsWith('/access-log'))).toHaveLength(2);
  });

  it('asks someone not logged in to log in first, and asks the API nothing', async () => {
    const { fetch, requests } = logApi({ body: { entries: ENTRIES } });
    await renderApp({ url: '/access-log', fetch, language: 'en' });
    expect(screen.getByRole('heading', { name: 'Log in to continue' })).toBeTruthy();
    expect(requests.filter((r) => r.path.startsWith('/api/booking'))).toHaveLength(0);
  });

  it('is in the menu once logged in', async () => {
    logIn();
    const { fetch } = logApi({ body: { entries: [] } });
    await renderApp({ url: '/visits', fetch, language: 'en' });
    const menu = screen.getByRole('navigation', { name: 'Main menu' });
    fireEvent.click(within(menu).getByRole('link', { name: 'Who looked at my data' }));
    expect(window.location.pathname).toBe('/access-log');
    await settle();
    expect(within(menu).getByRole('link', { name: 'Who looked at my data' }).getAttribute('aria-current')).toBe('page');
  });
});

describe('the action in words', () => {
  it('names the field a reveal showed, and still lists an action it does not know', () => {
    expect(actionKey({ action: 'reveal', field: 'pesel' })).toBe('access.action.reveal.pesel');
    expect(actionKey({ action: 'reveal', field: null })).toBe('access.action.reveal');
    expect(actionKey({ action: 'book household', field: null })).toBe('access.action.bookHousehold');
    expect(actionKey({ action: 'something-new', field: null })).toBe('access.action.unknown');
    expect(actionKey({ action: 'toString', field: null })).toBe('access.action.unknown');
  });
});
