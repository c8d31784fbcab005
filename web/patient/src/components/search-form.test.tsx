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
    fireEvent.change(screen.getByLabelText('Earliest date'), { target: { value: '2026-01-20' } });
    fireEvent.change(screen.getByLabelText('Distance'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(searches(requests)).toHaveLength(1));
    const query = Object.fromEntries(searches(requests)[0]?.query ?? []);
    expect(query).toMatchObject({ postalCode: '00-950', vaccineId: 'comirnaty', from: '2026-01-20', radiusKm: '100' });
    expect(window.location.pathname + window.location.search).toBe(
      '/search?postalCode=00-950&vaccineId=comirnaty&from=2026-01-20&radiusKm=100',
    );
    expect((screen.getByLabelText('Postal code') as HTMLInputElement).value).toBe('00-950');
  });

  it('keeps focus on the Search button after a search, and shows an earlier search again on Back', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    const postalCode = screen.getByLabelText('Postal code') as HTMLInputElement;
    const search = screen.getByRole('button', { name: 'Search' });
    fireEvent.change(postalCode, { target: { value: '00-950' } });
    search.focus();
    fireEvent.click(search);
    await screen.findByText('Found 1 vaccination centre with free slots.');
    expect(document.activeElement).toBe(search);

    fireEvent.change(postalCode, { target: { value: '31-042' } });
    fireEvent.click(search);
    await waitFor(() => expect(searches(requests)).toHaveLength(2));
    window.history.back();
    await waitFor(() => expect(window.location.search).toBe('?postalCode=00-950&radiusKm=50'));
    await waitFor(() => expect(postalCode.value).toBe('00-950'));
  });

  it('refuses a date in the past', async () => {
    const { fetch, requests } = api();
    await renderApp({ url: '/search', fetch, language: 'en' });
    fireEvent.change(screen.getByLabelText('Postal code'), { target: { value: '00-950' } });
    fireEvent.change(screen.getByLabelText('Earliest date'), { target: { value: '2026-01-11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByText('Choose today or a later date.')).toBeTruthy();
    expect(searches(requests)).toHaveLength(0);
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
    expect(await screen.findByText('Searching near your current location.')).toBeTruthy();

    refuse = true;
    fireEvent.click(screen.getByRole('button', { name: 'Use my location' }));
    expect(screen.getByRole('alert').textContent).toContain('Your browser did not share your location.');
  });
});
