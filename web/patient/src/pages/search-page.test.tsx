import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  aCentre,
  aSearchResult,
  aSlot,
  ELIGIBLE_ME,
  fakeApi,
  logIn,
  renderApp,
  resetBrowser,
  VACCINES,
} from '../test-support.tsx';

beforeEach(resetBrowser);

const results = aSearchResult([
  {
    centre: aCentre(),
    distanceKm: 1.2,
    slots: [
      aSlot(),
      aSlot({
        slotId: 'c-0001_jcovden_20260113T0715Z',
        start: '2026-01-13T07:15:00.000Z',
        vaccineId: 'jcovden',
        free: 1,
      }),
    ],
  },
  {
    centre: aCentre({
      id: 'c-0002',
      name: 'Przychodnia Wola',
      address: { street: 'ul. Wolska 5', postalCode: '01-258', city: 'Warszawa', voivodeship: 'mazowieckie' },
      phone: null,
    }),
    distanceKm: 4.75,
    slots: [aSlot({ slotId: 'c-0002_comirnaty_20260114T1200Z', start: '2026-01-14T12:00:00.000Z', free: 5 })],
  },
]);

describe('the search page', () => {
  it('shows the soonest slots of the nearest centres with distance, address, vaccine and free places', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: results },
    });
    await renderApp({ url: '/search?postalCode=00-950', fetch, language: 'pl' });

    expect(screen.getByText('Znaleziono 2 punkty szczepień z wolnymi terminami.')).toBeTruthy();
    const [first, second] = screen.getAllByRole('listitem').filter((li) => li.classList.contains('centre'));
    const mokotow = within(first as HTMLElement);
    expect(mokotow.getByRole('heading', { level: 3 }).textContent).toBe('Punkt Szczepień Mokotów');
    expect(mokotow.getByText('1,2 km od wskazanego miejsca')).toBeTruthy();
    expect(mokotow.getByText('ul. Puławska 10, 02-512 Warszawa')).toBeTruthy();
    expect(mokotow.getByRole('link', { name: '+48 22 100 20 30' }).getAttribute('href')).toBe('tel:+48221002030');
    const slots = within(mokotow.getByRole('list', { name: /Najbliższe terminy/ })).getAllByRole('link');
    expect(slots.map((link) => link.getAttribute('href'))).toEqual([
      '/book/c-0001_comirnaty_20260113T0700Z',
      '/book/c-0001_jcovden_20260113T0715Z',
    ]);
    // Tuesday 13 January, 08:00 and 08:15 in Warsaw (07:00 and 07:15 UTC).
    expect(slots[0]?.textContent).toBe('wt., 13 stycznia 08:00 · Comirnaty · 3 wolne miejsca, Punkt Szczepień Mokotów');
    expect(slots[1]?.textContent).toContain('08:15 · COVID-19 Vaccine Janssen · 1 wolne miejsce');
    expect(within(second as HTMLElement).getByText('4,8 km od wskazanego miejsca')).toBeTruthy();
    expect(within(second as HTMLElement).getByRole('link').textContent).toContain('śr., 14 stycznia 13:00');
    expect(within(second as HTMLElement).queryByText(/Telefon/)).toBeNull();
  });

  it('remembers the chosen slot so that its confirmation shows when and where', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: results },
    });
    await renderApp({ url: '/search?postalCode=00-950', fetch, language: 'en' });
    fireEvent.click(screen.getAllByRole('link', { name: /Comirnaty/ })[0] as HTMLElement);
    expect(window.location.pathname).toBe('/book/c-0001_comirnaty_20260113T0700Z');
    const heading = screen.getByRole('heading', { level: 1 });
    expect(heading.textContent).toBe('Confirm your booking');
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText('Tuesday, 13 January 2026 at 08:00')).toBeTruthy();
    expect(screen.getByText(/ul\. Puławska 10, 02-512 Warszawa/)).toBeTruthy();
  });

  it('suggests a wider radius, a later date, any vaccine and the hotline when nothing is found', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: aSearchResult([]) },
    });
    await renderApp({ url: '/search?postalCode=00-950&vaccineId=comirnaty&radiusKm=25', fetch, language: 'en' });
    const empty = screen.getByRole('region', { name: 'No free slots found' });
    expect(screen.getByRole('link', { name: 'Search within 50 km' }).getAttribute('href')).toBe(
      '/search?postalCode=00-950&vaccineId=comirnaty&radiusKm=50',
    );
    expect(screen.getByRole('link', { name: 'Search for slots from 24 February 2026' }).getAttribute('href')).toBe(
      '/search?postalCode=00-950&vaccineId=comirnaty&from=2026-02-24&radiusKm=25',
    );
    expect(screen.getByRole('link', { name: 'Search for any vaccine' })).toBeTruthy();
    expect(within(empty).getByRole('link', { name: '989' }).getAttribute('href')).toBe('tel:989');
    expect(screen.getByText('Found 0 vaccination centres with free slots.')).toBeTruthy();
  });

  it.each([
    ['pl', 'Mniej niż 1 km od wskazanego miejsca', '1 km od wskazanego miejsca'],
    ['en', 'Less than 1 km away', '1 km away'],
    ['uk', 'Менше ніж 1 км від указаного місця', '1 км від указаного місця'],
  ] as const)(
    'in %s says a centre in the same place is less than 1 km away, not 0 km',
    async (language, under, one) => {
      const { fetch } = fakeApi({
        'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
        'GET /api/search': {
          body: aSearchResult([
            { centre: aCentre(), distanceKm: 0, slots: [aSlot()] },
            { centre: aCentre({ id: 'c-0002', name: 'Przychodnia Wola' }), distanceKm: 0.6, slots: [aSlot()] },
            { centre: aCentre({ id: 'c-0003', name: 'Przychodnia Ursus' }), distanceKm: 1, slots: [aSlot()] },
          ]),
        },
      });
      await renderApp({ url: '/search?postalCode=38-700', fetch, language });
      const distances = [...document.querySelectorAll('.centre-distance')].map((p) => p.textContent);
      expect(distances).toEqual([under, under, one]);
      expect(document.body.textContent).not.toMatch(/\b0 (km|км)/);
    },
  );

  it('explains an unknown postal code in plain words', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': {
        status: 400,
        body: { error: { code: 'UNKNOWN_POSTAL_CODE', message: 'We do not know…', field: 'postalCode' } },
      },
    });
    await renderApp({ url: '/search?postalCode=99-999', fetch, language: 'uk' });
    expect(screen.getByRole('alert').textContent).toContain('Ми не знаємо такого поштового індексу.');
  });

  it('tells a logged-in person who may not book yet from when they may', async () => {
    logIn();
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/me': {
        body: {
          ...ELIGIBLE_ME,
          eligibility: { eligible: false, code: 'NOT_YET_ELIGIBLE', message: 'x', eligibleFrom: '2026-01-22' },
        },
      },
    });
    await renderApp({ url: '/search', fetch, language: 'pl' });
    expect(screen.getByRole('heading', { name: 'Nie możesz się jeszcze zapisać' })).toBeTruthy();
    expect(
      screen.getByText('Zapisy dla Ciebie ruszą 22 stycznia 2026. Od tego dnia możesz zarezerwować termin.'),
    ).toBeTruthy();
    expect(requests.find((r) => r.path === '/api/login/me')?.headers.authorization).toBe('Bearer test-token');
  });

  it('tells a person whose opening comes at a time of day the time as well as the date', async () => {
    logIn();
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/me': {
        body: {
          ...ELIGIBLE_ME,
          eligibility: {
            eligible: false,
            code: 'NOT_YET_ELIGIBLE',
            message: 'x',
            eligibleFrom: '2026-03-02',
            eligibleAt: '2026-03-02T19:00:00.000Z',
          },
        },
      },
    });
    await renderApp({ url: '/search', fetch, language: 'pl' });
    expect(
      screen.getByText('Zapisy dla Ciebie ruszą 2 marca 2026 o 20:00. Od tej chwili możesz zarezerwować termin.'),
    ).toBeTruthy();
  });

  it('tells an eligible person they can book, and someone not logged in how to', async () => {
    logIn();
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/login/me': { body: ELIGIBLE_ME },
    });
    const first = await renderApp({ url: '/search', fetch, language: 'en' });
    expect(screen.getByRole('heading', { name: /You can book a vaccination/ })).toBeTruthy();
    first.unmount();
    resetBrowser();
    await renderApp({ url: '/search', fetch, language: 'en' });
    expect(screen.getByRole('heading', { name: 'Log in to book a slot' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Log in' })).toBeTruthy();
  });

  it('opened with a search, folds the form into what was asked, and unfolds it on request', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: results },
    });
    await renderApp({ url: '/search?lat=52.23&lon=21.01&vaccineId=comirnaty', fetch, language: 'pl' });
    expect(screen.getByTestId('search-summary').textContent).toBe(
      'Szukasz: w pobliżu Twojej lokalizacji · od dziś · Comirnaty · do 50 km',
    );
    expect(screen.queryByRole('search')).toBeNull();
    expect(screen.getByRole('heading', { level: 2, name: 'Najbliższe wolne terminy' })).toBeTruthy();
    // The page opened with the search: focus is left where the browser put it.
    expect(document.activeElement).toBe(document.body);

    const change = screen.getByRole('button', { name: 'Zmień wyszukiwanie' });
    expect(change.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(change);
    expect(change.getAttribute('aria-expanded')).toBe('true');
    const form = screen.getByRole('search', { name: 'Wyszukiwanie terminów' });
    expect(change.getAttribute('aria-controls')).toBe(form.id);
    expect((screen.getByLabelText('Szczepionka') as HTMLSelectElement).value).toBe('comirnaty');
    fireEvent.click(change);
    expect(screen.queryByRole('search')).toBeNull();
  });

  it('shows the form, not a summary, when the search failed, with the error in view', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': (request) =>
        request.query.get('postalCode') === '99-999'
          ? { status: 400, body: { error: { code: 'UNKNOWN_POSTAL_CODE', message: 'x', field: 'postalCode' } } }
          : { body: results },
    });
    await renderApp({ url: '/search', fetch, language: 'en' });
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '99-999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('We do not know this postal code.');
    expect(document.activeElement).toBe(alert);
    expect(screen.queryByTestId('search-summary')).toBeNull();
    expect((screen.getByLabelText('Postal code') as HTMLInputElement).value).toBe('99-999');
  });

  it('moves focus to the heading of an empty result too, which says what to try', async () => {
    const { fetch } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: aSearchResult([]) },
    });
    await renderApp({ url: '/search', fetch, language: 'uk' });
    fireEvent.change(screen.getByLabelText('Поштовий індекс'), { target: { value: '00-950' } });
    fireEvent.click(screen.getByRole('button', { name: 'Шукати' }));
    await screen.findByRole('heading', { level: 2, name: 'Вільних термінів не знайдено' });
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('heading', { level: 2, name: 'Вільних термінів не знайдено' }),
      ),
    );
    expect(screen.getByTestId('search-summary').textContent).toBe(
      'Ваш пошук: індекс 00-950 · від сьогодні · будь-яка вакцина · до 50 км',
    );
  });

  it('lists five centres at a time, the next on request with focus on the first added, the page kept in the address', async () => {
    const many = aSearchResult(
      Array.from({ length: 7 }, (_, i) => ({
        centre: aCentre({ id: `c-${i + 1}`, name: `Punkt ${i + 1}` }),
        distanceKm: i + 1,
        slots: [aSlot({ slotId: `c-${i + 1}_comirnaty_20260113T0700Z` })],
      })),
    );
    const { fetch, requests } = fakeApi({
      'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
      'GET /api/search': { body: many },
    });
    const first = await renderApp({ url: '/search?postalCode=00-950', fetch, language: 'en' });
    const centres = () => screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(centres()).toEqual(['Punkt 1', 'Punkt 2', 'Punkt 3', 'Punkt 4', 'Punkt 5']);
    expect(screen.getByText('Showing 5 of 7 vaccination centres.')).toBeTruthy();
    const entries = window.history.length;

    fireEvent.click(screen.getByRole('button', { name: 'Show more vaccination centres' }));
    expect(centres()).toHaveLength(7);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 3, name: 'Punkt 6' }));
    expect(window.location.search).toBe('?postalCode=00-950&page=2');
    expect(window.history.length).toBe(entries);
    expect(screen.queryByRole('button', { name: 'Show more vaccination centres' })).toBeNull();
    // Paging asks the API nothing more.
    expect(requests.filter((r) => r.path === '/api/search')).toHaveLength(1);

    // The booking page's way back, and Back itself, return to the centres shown.
    fireEvent.click(screen.getByRole('link', { name: /Punkt 7/ }));
    expect(window.sessionStorage.getItem('ereg.patient.lastSearch')).toBe('?postalCode=00-950&page=2');
    window.history.back();
    await screen.findByRole('heading', { level: 3, name: 'Punkt 7' });
    first.unmount();

    await renderApp({ url: '/search?postalCode=00-950&page=2', fetch, language: 'en' });
    expect(centres()).toHaveLength(7);
  });
});
