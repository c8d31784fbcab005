import { POSTAL_AREAS } from './geo.ts';
import { PostalCodes } from './postal-codes.ts';

const table = () =>
  PostalCodes.fromRows([
    ['Ustrzyki Dolne', 49.4333, 22.5833, '38700'],
    ['Krosno', 49.6833, 21.7667, '38400-38402 38404'],
    ['Kraków', 50.0833, 19.9167, '31000-31009'],
  ]);

describe('PostalCodes', () => {
  test('places a code at its locality, with or without the dash', () => {
    const codes = table();
    expect(codes.locate('38-700')).toEqual({
      place: 'Ustrzyki Dolne',
      location: { lat: 49.4333, lon: 22.5833 },
      precision: 'locality',
    });
    expect(codes.locate(' 38700 ')).toEqual(codes.locate('38-700'));
  });

  test('expands runs to every code from the first to the last, and no further', () => {
    const codes = table();
    expect(codes.size).toBe(1 + 4 + 10);
    for (const code of ['38-400', '38-401', '38-402', '38-404']) expect(codes.locate(code)?.place).toBe('Krosno');
    expect(codes.locate('38-403')?.precision).toBe('area');
    expect(codes.locate('31-009')?.place).toBe('Kraków');
    expect(codes.locate('31-010')?.precision).toBe('area');
  });

  test('falls back to the two-digit area for a code the table lacks', () => {
    const place = table().locate('00-950');
    expect(place).toEqual({ place: 'Warszawa', location: POSTAL_AREAS['00']?.location, precision: 'area' });
  });

  test('finds a town by its name whatever the case, diacritics and spacing; of two places of one name, the one with more codes', () => {
    const codes = PostalCodes.fromRows([
      ['Krosno', 52.5, 16.9, '62050'],
      ['Krosno', 49.6833, 21.7667, '38400-38402 38404'],
      ['Ustrzyki Dolne', 49.4333, 22.5833, '38700'],
      ['Łódź', 51.77, 19.46, '90001-90003'],
    ]);
    expect(codes.findPlace('krosno')?.location).toEqual({ lat: 49.6833, lon: 21.7667 });
    expect(codes.findPlace('  USTRZYKI   dolne ')?.place).toBe('Ustrzyki Dolne');
    expect(codes.findPlace('Lodz')?.place).toBe('Łódź');
    expect(codes.findPlace('Ustrzyki')).toBeNull();
    expect(PostalCodes.areasOnly().findPlace('Krosno')).toBeNull();
  });

  test('knows no code of an area not in use, and no malformed code', () => {
    const codes = table();
    expect(codes.locate('79-100')).toBeNull();
    expect(codes.locate('3870')).toBeNull();
    expect(codes.locate('38-7000')).toBeNull();
    expect(codes.locate('AB-CDE')).toBeNull();
  });

  test('without a table places every code by its area', () => {
    const codes = PostalCodes.areasOnly();
    expect(codes.size).toBe(0);
    expect(codes.locate('38-700')).toMatchObject({ place: 'Krosno', precision: 'area' });
  });

  test('gives the codes of one locality the same point, which a caller cannot move', () => {
    const codes = table();
    const first = codes.locate('31-000');
    expect(codes.locate('31-005')).toBe(first);
    expect(() => {
      if (first) (first.location as { lat: number }).lat = 0;
    }).toThrow(TypeError);
  });

  test('refuses a malformed row, a bad run and a code listed twice, naming the row', () => {
    expect(() => PostalCodes.fromRows([['Krosno', 49.68, '21.77', '38400']])).toThrow(/row 0 is malformed/);
    expect(() => PostalCodes.fromRows([['Krosno', 149.68, 21.77, '38400']])).toThrow(/row 0 is malformed/);
    expect(() => PostalCodes.fromRows([['Krosno', 49.68, 21.77, '38400-38399']])).toThrow(/row 0 \(Krosno\)/);
    expect(() => PostalCodes.fromRows([['Krosno', 49.68, 21.77, '3840']])).toThrow(/not a code or run/);
    expect(() =>
      PostalCodes.fromRows([
        ['Krosno', 49.68, 21.77, '38400'],
        ['Odrzykoń', 49.74, 21.73, '38399-38401'],
      ]),
    ).toThrow(/row 1 \(Odrzykoń\): 38399-38401 is listed twice/);
  });
});
