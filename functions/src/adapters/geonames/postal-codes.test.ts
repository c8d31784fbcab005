import { distanceKm, POSTAL_AREAS } from '@ereg/shared';
import { polishPostalCodes } from './postal-codes.ts';

/** Spot checks of the shipped table against places whose postal codes and positions are well known. */
describe('the Polish postal-code table', () => {
  const codes = polishPostalCodes();

  test('holds about 22,000 codes', () => {
    expect(codes.size).toBeGreaterThan(21_000);
    expect(codes.size).toBeLessThan(24_000);
  });

  test('places 38-700 in Ustrzyki Dolne, about 60 km from Krosno rather than at its area town', () => {
    const place = codes.locate('38-700');
    expect(place?.place).toBe('Ustrzyki Dolne');
    expect(place?.precision).toBe('locality');
    expect(place?.location.lat).toBeCloseTo(49.43, 1);
    expect(place?.location.lon).toBeCloseTo(22.59, 1);
    const krosno = codes.locate('38-400');
    expect(krosno?.place).toBe('Krosno');
    const apart = distanceKm(place!.location, krosno!.location);
    expect(apart).toBeGreaterThan(50);
    expect(apart).toBeLessThan(70);
  });

  test('places the codes of the big cities in them', () => {
    expect(codes.locate('31-001')?.place).toBe('Kraków');
    expect(codes.locate('00-001')?.place).toBe('Warszawa');
    expect(codes.locate('80-001')?.place).toBe('Gdańsk');
    expect(codes.locate('50-001')?.place).toBe('Wrocław');
    expect(codes.locate('61-001')?.place).toBe('Poznań');
    expect(codes.locate('90-001')?.place).toBe('Łódź');
  });

  test('keeps every code of 31- in Kraków', () => {
    for (let n = 0; n < 1000; n++) {
      const place = codes.locate(`31-${String(n).padStart(3, '0')}`);
      if (place?.precision === 'locality') expect(place.place).toBe('Kraków');
    }
  });

  test('places every code within Poland and within 150 km of the town standing for its area', () => {
    // The towns of areas 62 and 64 (Konin, Poznań) lie far from the edges of those areas: up to 140 km.
    for (let n = 0; n < 100_000; n++) {
      const code = String(n).padStart(5, '0');
      const place = codes.locate(code);
      if (place?.precision !== 'locality') continue;
      expect(place.location.lat).toBeGreaterThan(49);
      expect(place.location.lat).toBeLessThan(54.9);
      expect(place.location.lon).toBeGreaterThan(14.1);
      expect(place.location.lon).toBeLessThan(24.2);
      expect(distanceKm(place.location, POSTAL_AREAS[code.slice(0, 2)]!.location)).toBeLessThan(150);
    }
  });

  test('leaves out villages that the source puts at a namesake far away, so they fall back to their area', () => {
    // GeoNames puts Wiśniewo (county of Mława) near Ełk and Bychawa (county of Lublin) near Radom.
    expect(codes.locate('06-521')).toMatchObject({ precision: 'area', place: 'Ciechanów' });
    expect(codes.locate('23-100')).toMatchObject({ precision: 'area' });
  });

  test('falls back to the area for a code it lacks, and knows no code of 79', () => {
    expect(codes.locate('00-950')).toMatchObject({ place: 'Warszawa', precision: 'area' });
    expect(codes.locate('79-100')).toBeNull();
  });
});
