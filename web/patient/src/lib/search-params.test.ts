/** @jest-environment node */
import { addDays, atPage, pageOf, readSearchParams, searchQueryString, widerRadius } from './search-params.ts';

describe('search parameters in the URL', () => {
  it('reads a search back from the query it was written to', () => {
    const params = { postalCode: '00-950', vaccineId: 'comirnaty', from: '2026-02-01', radiusKm: 25 };
    expect(readSearchParams(new URLSearchParams(searchQueryString(params)))).toEqual(params);
  });

  it('prefers a postal code to coordinates and leaves out what makes no sense', () => {
    expect(readSearchParams(new URLSearchParams('postalCode=00950&lat=52&lon=21'))).toEqual({ postalCode: '00-950' });
    expect(readSearchParams(new URLSearchParams('lat=52.2&lon=21.01&radiusKm=5000&from=tomorrow'))).toEqual({
      lat: 52.2,
      lon: 21.01,
    });
    expect(readSearchParams(new URLSearchParams('lat=52.2'))).toEqual({});
    expect(readSearchParams(new URLSearchParams('postalCode=12-34&lat=91&lon=0'))).toEqual({});
  });

  it('counts calendar days across month ends and offers the next wider radius, none beyond the widest', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(widerRadius(undefined)).toBe(100);
    expect(widerRadius(10)).toBe(25);
    expect(widerRadius(200)).toBeNull();
  });

  it('keeps the page of results beside the search, the first page being the search alone', () => {
    const query = searchQueryString({ postalCode: '00-950' });
    expect(atPage(query, 2)).toBe('?postalCode=00-950&page=2');
    expect(atPage(query, 1)).toBe(query);
    expect(pageOf(new URLSearchParams(atPage(query, 3)))).toBe(3);
    expect(readSearchParams(new URLSearchParams(atPage(query, 3)))).toEqual({ postalCode: '00-950' });
    for (const page of ['0', '-1', '1.5', 'two', '999', '']) expect(pageOf(new URLSearchParams({ page }))).toBe(1);
  });
});
