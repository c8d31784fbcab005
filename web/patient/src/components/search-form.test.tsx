import { fireEvent, screen, waitFor } from '@testing-library/react';
import { aCentre, aSearchResult, aSlot, fakeApi, renderApp, resetBrowser, VACCINES } from '../test-support.tsx';

beforeEach(resetBrowser);

const api = () =>
  fakeApi({
    'GET /api/search/vaccines': { body: { vaccines: VACCINES } },
    'GET /api/search': { body: aSearchResult([{ centre: aCentre(), distanceKm: 1.2, slots: [aSlot()] }]) },
  });

const searches = (requests: ReturnType<typeof api>['requests']) => requests.filter((r) => r.path === '/api/search');

describe('the search form', () => {
  it('refuses an empty or malformed postal code by the field, and searches nothing', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    const postalCode = screen.getByLabelText('Postal code');

    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Enter a postal code, or use your location.')).toBeTruthy();
    expect(postalCode.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(postalCode);

    fireEvent.change(postalCode, { target: { value: '0-950' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('A postal code looks like 00-950: two digits, a dash, three digits.')).toBeTruthy();
    expect(postalCode.getAttribute('aria-describedby')).toContain('postal-code-error');
    expect(searches(requests)).toHaveLength(0);
  });

  it('says at once, on leaving the field, that a postal code is malformed, and clears it when corrected', async () => {
    const { fetch } = api();
    await renderApp({ url: '/search', fetch, language: 'pl' });
    const postalCode = screen.getByLabelText('Kod pocztowy');
    fireEvent.change(postalCode, { target: { value: '12-34' } });
    fireEvent.blur(postalCode);
    expect(screen.getByText('Kod pocztowy ma postać 00-950: dwie cyfry, kreska, trzy cyfry.')).toBeTruthy();
    fireEvent.change(postalCode, { target: { value: '12-345' } });
    expect(screen.queryByText('Kod pocztowy ma postać 00-950: dwie cyfry, kreska, trzy cyfry.')).toBeNull();
    expect(postalCode.getAttribute('aria-invalid')).toBeNull();
  });

  it('accepts the five digits without a dash and searches with the normalised code, vaccine, date and distance', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '00950' } });
    await screen.findByRole('option', { name: 'Comirnaty (2 doses)' });
    fireEvent.change(screen.getByLabelText('Vaccine'), { target: { value: 'comirnaty' } });
    fireEvent.change(screen.getByLabelText('Earliest date'), { target: { value: '20/01/2026' } });
    fireEvent.change(screen.getByLabelText('Distance'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(searches(requests)).toHaveLength(1));
    const query = Object.fromEntries(searches(requests)[0]?.query ?? []);
    expect(query).toMatchObject({ postalCode: '00-950', vaccineId: 'comirnaty', from: '2026-01-20', radiusKm: '100' });
    expect(window.location.pathname + window.location.search).toBe(
      '/search?postalCode=00-950&vaccineId=comirnaty&from=2026-01-20&radiusKm=100',
    );
    // The form folds into what was asked; unfolded, it shows the search as it was made.
    expect(screen.queryByLabelText('Postal code')).toBeNull();
    expect(screen.getByTestId('search-summary').textContent).toBe(
      'Your search: postal code 00-950 · from 20 January 2026 · Comirnaty · up to 100 km',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Change search' }));
    expect((screen.getByLabelText('Postal code') as HTMLInputElement).value).toBe('00-950');
    expect((screen.getByLabelText('Earliest date') as HTMLInputElement).value).toBe('20/01/2026');
  });

  it('moves focus to the results after a search, and shows an earlier search again on Back', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '00-950' } });
    const search = screen.getByRole('button', { name: 'Search' });
    search.focus();
    fireEvent.click(search);
    await screen.findByText('Found 1 vaccination centre with free slots.');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Soonest free slots' }));

    fireEvent.click(screen.getByRole('button', { name: 'Change search' }));
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '31-042' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(searches(requests)).toHaveLength(2));
    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?postalCode=00-950&radiusKm=50'));
    await waitFor(() => expect(screen.getByTestId('search-summary').textContent).toContain('postal code 00-950'));
    fireEvent.click(screen.getByRole('button', { name: 'Change search' }));
    expect((screen.getByLabelText('Postal code') as HTMLInputElement).value).toBe('00-950');
  });

  it('searches afresh when the same search is made again, and moves focus to its results', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search?postalCode=00-950', fetch, language: 'en' });
    expect(searches(requests)).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Change search' }));
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(searches(requests)).toHaveLength(2));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Soonest free slots' })),
    );
    expect(screen.queryByLabelText('Postal code')).toBeNull();
  });

  it('refuses a date in the past', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '00-950' } });
    fireEvent.change(screen.getByLabelText('Earliest date'), { target: { value: '11/01/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByText('Earliest date: choose today or a later date.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Earliest date'));
    expect(searches(requests)).toHaveLength(0);
  });

  it.each([
    ['pl', 'Najwcześniej od dnia', 'W formacie DD.MM.RRRR, na przykład 19.01.2026.', '20.01.2026'],
    ['en', 'Earliest date', 'As DD/MM/YYYY, for example 19/01/2026.', '20/01/2026'],
    ['uk', 'Найраніше з дати', 'У форматі ДД.ММ.РРРР, наприклад 19.01.2026.', '20.01.2026'],
  ] as const)(
    'in %s shows the date as the language writes it, and searches with YYYY-MM-DD',
    async (language, label, hint, shown) => {
      const { fetch, requests } = api();
      await renderApp({ url: '/search', fetch, language });
      const date = screen.getByLabelText(label) as HTMLInputElement;
      expect(date.type).toBe('text');
      expect(document.getElementById(date.getAttribute('aria-describedby') ?? '')?.textContent).toContain(hint);
      fireEvent.change(screen.getByLabelText(/Kod pocztowy|Postal code|Поштовий індекс/), {
        target: { value: '00-950' },
      });
      // Typed with whatever mark the phone's keypad has, it reads back in the language's own way.
      fireEvent.change(date, { target: { value: '20,1,2026' } });
      fireEvent.blur(date);
      expect(date.value).toBe(shown);
      fireEvent.submit(date.closest('form') as HTMLFormElement);
      await waitFor(() => expect(searches(requests)).toHaveLength(1));
      expect(searches(requests)[0]?.query.get('from')).toBe('2026-01-20');
      expect(window.location.search).toContain('from=2026-01-20');
    },
  );

  it('names the field in saying that a date is malformed or not in the calendar, and searches nothing', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'pl' });
    fireEvent.change(screen.getByLabelText('Kod pocztowy'), { target: { value: '00-950' } });
    const date = screen.getByLabelText('Najwcześniej od dnia');
    fireEvent.change(date, { target: { value: '20.01' } });
    fireEvent.blur(date);
    // Said on submit, not as the field is left.
    expect(date.getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Szukaj' }));
    expect(
      screen.getByText('Najwcześniej od dnia: wpisz datę w formacie DD.MM.RRRR, na przykład 19.01.2026.'),
    ).toBeTruthy();
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(date.getAttribute('aria-describedby')).toContain('from-error');

    fireEvent.change(date, { target: { value: '31.02.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Szukaj' }));
    expect(
      screen.getByText('Najwcześniej od dnia: w kalendarzu nie ma takiego dnia. Sprawdź dzień i miesiąc.'),
    ).toBeTruthy();
    expect(document.activeElement).toBe(date);
    expect(searches(requests)).toHaveLength(0);

    fireEvent.change(date, { target: { value: '28.02.2026' } });
    expect(date.getAttribute('aria-invalid')).toBeNull();
  });

  it('writes a typed date anew, and its error, when the language changes', async () => {
    const { fetch } = api();
    await renderApp({ url: '/search', fetch, language: 'pl' });
    fireEvent.change(screen.getByLabelText('Najwcześniej od dnia'), { target: { value: '20.01.2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect((screen.getByLabelText('Earliest date') as HTMLInputElement).value).toBe('20/01/2026');
    fireEvent.change(screen.getByLabelText('Earliest date'), { target: { value: '1.1.2026' } });
    fireEvent.blur(screen.getByLabelText('Earliest date'));
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByText('Earliest date: choose today or a later date.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Українська' }));
    expect(screen.getByText('Найраніше з дати: виберіть сьогоднішню або пізнішу дату.')).toBeTruthy();
    expect((screen.getByLabelText('Найраніше з дати') as HTMLInputElement).value).toBe('01.01.2026');
  });

  it('searches near the device’s location when the person asks, and explains a refusal', async () => {
    const { fetch, requests } = api();
    let refuse = false;
    const geolocation = {
      getCurrentPosition: (ok: PositionCallback, fail: PositionErrorCallback) =>
        refuse
          ? fail({
              code: 1,
              PERMISSION_DENIED: 1,
              POSITION_UNAVAILABLE: 2,
              TIMEOUT: 3,
              message: 'denied',
            } as GeolocationPositionError)
          : ok({ coords: { latitude: 52.229675, longitude: 21.01223 } } as GeolocationPosition),
    } as Geolocation;
    await renderApp({ url: '/search', fetch, language: 'en', geolocation });

    fireEvent.click(screen.getByRole('button', { name: 'Use my location' }));
    await waitFor(() => expect(searches(requests)).toHaveLength(1));
    expect(Object.fromEntries(searches(requests)[0]?.query ?? [])).toMatchObject({ lat: '52.23', lon: '21.012' });
    expect(screen.getByTestId('search-summary').textContent).toContain('near your location');
    fireEvent.click(screen.getByRole('button', { name: 'Change search' }));
    expect(await screen.findByText('Searching near your current location.')).toBeTruthy();

    refuse = true;
    fireEvent.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(screen.getByRole('alert').textContent).toContain('Your browser did not share your location.');
  });
});
