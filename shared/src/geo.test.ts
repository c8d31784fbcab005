import { DomainError } from './errors.ts';
import {
  boundingBox,
  distanceKm,
  POSTAL_AREAS,
  parsePostalCode,
  postalArea,
  postalAreaCentroid,
  VOIVODESHIPS,
} from './geo.ts';
import type { GeoPoint } from './model.ts';

const point = (lat: number, lon: number): GeoPoint => ({ lat, lon });

const WARSAW = point(52.2297, 21.0122);
const KRAKOW = point(50.0647, 19.945);
const GDANSK = point(54.352, 18.6466);

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('distanceKm', () => {
  it('measures Warsaw to Kraków as about 252 km', () => {
    expect(Math.abs(distanceKm(WARSAW, KRAKOW) - 252)).toBeLessThanOrEqual(5);
  });

  it('is zero from a point to itself and the same in both directions', () => {
    expect(distanceKm(GDANSK, GDANSK)).toBe(0);
    expect(distanceKm(WARSAW, GDANSK)).toBeCloseTo(distanceKm(GDANSK, WARSAW), 9);
  });

  it('gives a quarter of the Earth circumference from the equator to a pole', () => {
    expect(distanceKm(point(0, 0), point(90, 0))).toBeCloseTo((Math.PI / 2) * 6371, 6);
  });

  it('shrinks a degree of longitude away from the equator', () => {
    expect(distanceKm(point(52, 20), point(52, 21))).toBeLessThan(distanceKm(point(0, 20), point(0, 21)) * 0.7);
  });
});

describe('boundingBox', () => {
  it('contains every point of the circle, including the points due east, west, north and south', () => {
    const box = boundingBox(WARSAW, 50);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      // Walk outwards along a bearing until just inside the radius.
      const rad = (bearing * Math.PI) / 180;
      let lo = 0;
      let hi = 2;
      for (let i = 0; i < 50; i++) {
        const mid = (lo + hi) / 2;
        const p = point(WARSAW.lat + mid * Math.cos(rad), WARSAW.lon + (mid * Math.sin(rad)) / 0.6);
        if (distanceKm(WARSAW, p) < 49.99) lo = mid;
        else hi = mid;
      }
      const edge = point(WARSAW.lat + lo * Math.cos(rad), WARSAW.lon + (lo * Math.sin(rad)) / 0.6);
      expect(edge.lat).toBeGreaterThanOrEqual(box.minLat);
      expect(edge.lat).toBeLessThanOrEqual(box.maxLat);
      expect(edge.lon).toBeGreaterThanOrEqual(box.minLon);
      expect(edge.lon).toBeLessThanOrEqual(box.maxLon);
    }
  });

  it('is not much larger than the circle, so it actually narrows a search', () => {
    const box = boundingBox(WARSAW, 50);
    expect(distanceKm(point(box.minLat, WARSAW.lon), point(box.maxLat, WARSAW.lon))).toBeCloseTo(100, 0);
    expect(distanceKm(point(WARSAW.lat, box.minLon), point(WARSAW.lat, box.maxLon))).toBeLessThan(102);
  });

  it('leaves Kraków outside a 100 km box around Warsaw', () => {
    const box = boundingBox(WARSAW, 100);
    expect(KRAKOW.lat < box.minLat || KRAKOW.lat > box.maxLat).toBe(true);
  });

  it('spans every longitude when the circle reaches a pole', () => {
    const box = boundingBox(point(89.9, 10), 50);
    expect(box).toMatchObject({ maxLat: 90, minLon: -180, maxLon: 180 });
    expect(box.minLat).toBeCloseTo(89.45, 2);
  });
});

describe('parsePostalCode', () => {
  it('accepts the usual NN-NNN form', () => {
    expect(parsePostalCode('00-950')).toBe('00-950');
  });

  it('accepts five digits without the dash and surrounding spaces', () => {
    expect(parsePostalCode(' 80180 ')).toBe('80-180');
    expect(parsePostalCode('\t31-042\n')).toBe('31-042');
  });

  it.each(['', '00950x', '0-0950', '00 950', '000-95', '00-9500', 'ab-cde', '00–950'])(
    'rejects %p with INVALID_POSTAL_CODE',
    (input) => {
      const error = thrown(() => parsePostalCode(input));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'invalid', code: 'INVALID_POSTAL_CODE', field: 'postalCode' });
    },
  );

  it('names the field it was given', () => {
    expect(thrown(() => parsePostalCode('x', 'address.postalCode'))).toMatchObject({ field: 'address.postalCode' });
  });
});

describe('VOIVODESHIPS', () => {
  const expected = [
    'dolnoslaskie',
    'kujawsko-pomorskie',
    'lubelskie',
    'lubuskie',
    'lodzkie',
    'malopolskie',
    'mazowieckie',
    'opolskie',
    'podkarpackie',
    'podlaskie',
    'pomorskie',
    'slaskie',
    'swietokrzyskie',
    'warminsko-mazurskie',
    'wielkopolskie',
    'zachodniopomorskie',
  ];

  it('lists every voivodeship exactly once', () => {
    const ids = VOIVODESHIPS.map((v) => v.id);
    expect(ids).toHaveLength(16);
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it('places every capital inside Poland and counts a plausible number of residents', () => {
    for (const v of VOIVODESHIPS) {
      expect(v.location.lat).toBeGreaterThan(49);
      expect(v.location.lat).toBeLessThan(54.9);
      expect(v.location.lon).toBeGreaterThan(14.1);
      expect(v.location.lon).toBeLessThan(24.2);
      expect(v.population).toBeGreaterThan(900_000);
      expect(v.population).toBeLessThan(6_000_000);
    }
    const total = VOIVODESHIPS.reduce((sum, v) => sum + v.population, 0);
    expect(total).toBeGreaterThan(37_500_000);
    expect(total).toBeLessThan(38_700_000);
  });

  it('puts mazowieckie around Warsaw', () => {
    const mazowieckie = VOIVODESHIPS.find((v) => v.id === 'mazowieckie');
    expect(mazowieckie?.capital).toBe('Warszawa');
    expect(distanceKm(mazowieckie?.location ?? point(0, 0), WARSAW)).toBeLessThan(1);
  });
});

describe('postal areas', () => {
  it('places a Warsaw code near Warsaw', () => {
    const centroid = postalAreaCentroid('00-950');
    expect(centroid).not.toBeNull();
    expect(distanceKm(centroid ?? point(0, 0), WARSAW)).toBeLessThan(10);
  });

  it('places a Gdańsk code near Gdańsk, with or without the dash', () => {
    for (const code of ['80-180', '80180', '80-958']) {
      expect(distanceKm(postalAreaCentroid(code) ?? point(0, 0), GDANSK)).toBeLessThan(10);
    }
  });

  it('places a Kraków code near Kraków, far from Warsaw', () => {
    const centroid = postalAreaCentroid('31-042') ?? point(0, 0);
    expect(distanceKm(centroid, KRAKOW)).toBeLessThan(10);
    expect(distanceKm(centroid, WARSAW)).toBeGreaterThan(200);
  });

  it('returns null for a prefix not in use and for input that is not a postal code', () => {
    expect(postalAreaCentroid('79-123')).toBeNull();
    expect(postalAreaCentroid('hello')).toBeNull();
    expect(postalArea('')).toBeNull();
  });

  it('returns a copy, so a caller cannot move the area for everyone', () => {
    const centroid = postalAreaCentroid('00-950');
    if (centroid) centroid.lat = 0;
    expect(postalAreaCentroid('00-950')?.lat).toBeGreaterThan(52);
  });

  it('names the town and voivodeship of an area', () => {
    expect(postalArea('87-100')).toMatchObject({ prefix: '87', town: 'Toruń', voivodeship: 'kujawsko-pomorskie' });
  });

  it('covers every two-digit prefix in use, each inside Poland and in a known voivodeship', () => {
    const ids = new Set(VOIVODESHIPS.map((v) => v.id));
    const prefixes = Object.keys(POSTAL_AREAS);
    expect(prefixes).toHaveLength(99);
    for (const [prefix, area] of Object.entries(POSTAL_AREAS)) {
      expect(area.prefix).toBe(prefix);
      expect(ids.has(area.voivodeship)).toBe(true);
      expect(area.location.lat).toBeGreaterThan(49);
      expect(area.location.lat).toBeLessThan(54.9);
      expect(area.location.lon).toBeGreaterThan(14.1);
      expect(area.location.lon).toBeLessThan(24.2);
    }
  });

  it('gives every voivodeship at least one area', () => {
    const covered = new Set(Object.values(POSTAL_AREAS).map((a) => a.voivodeship));
    expect(covered.size).toBe(16);
  });

  it('keeps each area within reach of its voivodeship capital', () => {
    const capitals = new Map(VOIVODESHIPS.map((v) => [v.id, v.location]));
    for (const area of Object.values(POSTAL_AREAS)) {
      expect(distanceKm(area.location, capitals.get(area.voivodeship) ?? point(0, 0))).toBeLessThan(200);
    }
  });
});
