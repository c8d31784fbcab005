import { DomainError } from './errors.ts';
import type { Vaccine } from './model.ts';
import {
  BOOSTER_MIN_DAYS,
  type DoseRecord,
  doseWindow,
  findVaccine,
  isWithinWindow,
  planNextDose,
  VACCINES,
} from './vaccines.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DOSE_ONE_AT = '2021-05-03T08:00:00.000Z';

const daysAfter = (instant: string, days: number): string =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

const aDose = (overrides: Partial<DoseRecord> = {}): DoseRecord => ({
  dose: 1,
  vaccineId: 'comirnaty',
  status: 'completed',
  start: DOSE_ONE_AT,
  ...overrides,
});

const aVaccine = (overrides: Partial<Vaccine> = {}): Vaccine => ({
  id: 'test-vaccine',
  name: 'Test vaccine',
  manufacturer: 'Test Labs',
  platform: 'mRNA',
  doses: 2,
  minIntervalDays: 10,
  maxIntervalDays: 20,
  minAgeYears: 18,
  recommendedIntervalDays: 14,
  usableAsBooster: true,
  mayFollow: ['test-vaccine', 'comirnaty', 'vaxzevria', 'jcovden'],
  ...overrides,
});

/** Runs `fn` and returns the DomainError it throws, failing the test when it does not throw one. */
const domainErrorFrom = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
};

describe('VACCINES', () => {
  test('lists the four 2021 products with unique ids', () => {
    expect(VACCINES.map((vaccine) => vaccine.id)).toEqual(['comirnaty', 'spikevax', 'vaxzevria', 'jcovden']);
  });

  test('allows only the mRNA products as boosters', () => {
    expect(VACCINES.filter((vaccine) => vaccine.usableAsBooster).map((vaccine) => vaccine.id)).toEqual([
      'comirnaty',
      'spikevax',
    ]);
  });

  test('has Janssen as the only single-dose product', () => {
    expect(findVaccine(VACCINES, 'jcovden')).toMatchObject({ doses: 1, manufacturer: 'Johnson & Johnson' });
    expect(VACCINES.filter((vaccine) => vaccine.doses === 1)).toHaveLength(1);
  });

  test('keeps every two-dose interval non-empty', () => {
    for (const vaccine of VACCINES.filter((candidate) => candidate.doses > 1)) {
      expect(vaccine.minIntervalDays).toBeGreaterThan(0);
      expect(vaccine.maxIntervalDays).toBeGreaterThanOrEqual(vaccine.minIntervalDays);
    }
  });
});

describe('findVaccine', () => {
  test('returns the product with the given id', () => {
    expect(findVaccine(VACCINES, 'vaxzevria').name).toBe('Vaxzevria');
  });

  test('rejects an unknown id as invalid input naming the field', () => {
    const error = domainErrorFrom(() => findVaccine(VACCINES, 'sputnik', 'slots.0.vaccineId'));
    expect(error).toMatchObject({ kind: 'invalid', code: 'UNKNOWN_VACCINE', field: 'slots.0.vaccineId' });
    expect(error.message).toMatch(/sputnik/);
  });

  test('names vaccineId by default', () => {
    expect(domainErrorFrom(() => findVaccine(VACCINES, 'sputnik')).field).toBe('vaccineId');
  });
});

describe('doseWindow', () => {
  test('has no bounds when there is no previous dose', () => {
    expect(doseWindow(aVaccine(), null)).toEqual({ earliest: null, latest: null });
  });

  test('spans the product interval after the previous dose', () => {
    expect(doseWindow(aVaccine({ minIntervalDays: 21, maxIntervalDays: 42 }), DOSE_ONE_AT)).toEqual({
      earliest: '2021-05-24T08:00:00.000Z',
      latest: '2021-06-14T08:00:00.000Z',
    });
  });

  test('opens the booster window after a single-dose product', () => {
    expect(doseWindow(aVaccine({ doses: 1, minIntervalDays: 0, maxIntervalDays: 0 }), DOSE_ONE_AT)).toEqual({
      earliest: daysAfter(DOSE_ONE_AT, BOOSTER_MIN_DAYS),
      latest: null,
    });
  });
});

describe('isWithinWindow', () => {
  const window = { earliest: '2021-05-24T08:00:00.000Z', latest: '2021-06-14T08:00:00.000Z' };

  test('includes both bounds', () => {
    expect(isWithinWindow(window.earliest, window)).toBe(true);
    expect(isWithinWindow(window.latest, window)).toBe(true);
  });

  test('excludes instants just outside either bound', () => {
    expect(isWithinWindow('2021-05-24T07:59:59.999Z', window)).toBe(false);
    expect(isWithinWindow('2021-06-14T08:00:00.001Z', window)).toBe(false);
  });

  test('treats null bounds as open', () => {
    expect(isWithinWindow('1990-01-01T00:00:00.000Z', { earliest: null, latest: window.latest })).toBe(true);
    expect(isWithinWindow('2099-01-01T00:00:00.000Z', { earliest: window.earliest, latest: null })).toBe(true);
    expect(isWithinWindow('2099-01-01T00:00:00.000Z', { earliest: window.earliest, latest: window.latest })).toBe(
      false,
    );
  });

  test('compares instants rather than text, so offsets are honoured', () => {
    expect(isWithinWindow('2021-05-24T10:00:00+02:00', window)).toBe(true);
    expect(isWithinWindow('2021-05-24T09:59:00+02:00', window)).toBe(false);
  });
});

describe('planNextDose', () => {
  test('offers any product, without a window, to someone with no appointments', () => {
    expect(planNextDose([], VACCINES)).toEqual({
      dose: 1,
      kind: 'primary',
      vaccineIds: ['comirnaty', 'spikevax', 'vaxzevria', 'jcovden'],
      earliest: null,
      latest: null,
    });
  });

  test('ignores cancelled and missed appointments', () => {
    const history = [aDose({ status: 'cancelled' }), aDose({ status: 'no_show', start: daysAfter(DOSE_ONE_AT, 7) })];
    expect(planNextDose(history, VACCINES)).toMatchObject({ dose: 1, earliest: null });
  });

  test('asks for the same product within its interval after a completed first dose', () => {
    expect(planNextDose([aDose({ vaccineId: 'vaxzevria' })], VACCINES)).toEqual({
      dose: 2,
      kind: 'primary',
      vaccineIds: ['vaxzevria'],
      earliest: daysAfter(DOSE_ONE_AT, 28),
      latest: daysAfter(DOSE_ONE_AT, 84),
    });
  });

  test('lets the second dose be booked while the first is only booked', () => {
    expect(planNextDose([aDose({ status: 'booked' })], VACCINES)).toMatchObject({
      dose: 2,
      vaccineIds: ['comirnaty'],
      earliest: daysAfter(DOSE_ONE_AT, 21),
      latest: daysAfter(DOSE_ONE_AT, 42),
    });
  });

  test('counts from a rebooked dose rather than its cancelled predecessor', () => {
    const rebookedAt = daysAfter(DOSE_ONE_AT, 10);
    const history = [aDose({ status: 'cancelled' }), aDose({ status: 'booked', start: rebookedAt })];
    expect(planNextDose(history, VACCINES).earliest).toBe(daysAfter(rebookedAt, 21));
  });

  test('times the next dose from the completed record when a dose appears twice', () => {
    const history = [aDose({ status: 'booked', start: daysAfter(DOSE_ONE_AT, 5) }), aDose()];
    expect(planNextDose(history, VACCINES).earliest).toBe(daysAfter(DOSE_ONE_AT, 21));
  });

  test('refuses a booster while a primary dose is still only booked', () => {
    const history = [aDose(), aDose({ dose: 2, status: 'booked', start: daysAfter(DOSE_ONE_AT, 21) })];
    const error = domainErrorFrom(() => planNextDose(history, VACCINES));
    expect(error).toMatchObject({ kind: 'conflict', code: 'ALREADY_BOOKED' });
    expect(error.message).toMatch(/already have your vaccination course booked/);
  });

  test('offers a booster of any booster product five months after a completed two-dose course', () => {
    const secondAt = daysAfter(DOSE_ONE_AT, 21);
    const history = [aDose({ vaccineId: 'vaxzevria' }), aDose({ dose: 2, vaccineId: 'vaxzevria', start: secondAt })];
    expect(planNextDose(history, VACCINES)).toEqual({
      dose: 3,
      kind: 'booster',
      vaccineIds: ['comirnaty', 'spikevax'],
      earliest: daysAfter(secondAt, BOOSTER_MIN_DAYS),
      latest: null,
    });
  });

  test('offers the booster as the second dose after a single Janssen dose', () => {
    expect(planNextDose([aDose({ vaccineId: 'jcovden' })], VACCINES)).toEqual({
      dose: 2,
      kind: 'booster',
      vaccineIds: ['comirnaty', 'spikevax'],
      earliest: daysAfter(DOSE_ONE_AT, BOOSTER_MIN_DAYS),
      latest: null,
    });
  });

  test('refuses a booster while the Janssen dose is only booked', () => {
    const error = domainErrorFrom(() => planNextDose([aDose({ vaccineId: 'jcovden', status: 'booked' })], VACCINES));
    expect(error.code).toBe('ALREADY_BOOKED');
  });

  test('places a booster booked too early outside the booster window', () => {
    const plan = planNextDose([aDose({ vaccineId: 'jcovden' })], VACCINES);
    expect(isWithinWindow(daysAfter(DOSE_ONE_AT, BOOSTER_MIN_DAYS - 1), plan)).toBe(false);
    expect(isWithinWindow(daysAfter(DOSE_ONE_AT, BOOSTER_MIN_DAYS), plan)).toBe(true);
  });

  test('judges the course by its first dose even when the booster is another product', () => {
    // A Comirnaty booster after Janssen must not be read as Comirnaty dose 2 of 2.
    const history = [
      aDose({ vaccineId: 'jcovden' }),
      aDose({ dose: 2, vaccineId: 'comirnaty', status: 'booked', start: daysAfter(DOSE_ONE_AT, 200) }),
    ];
    expect(domainErrorFrom(() => planNextDose(history, VACCINES)).code).toBe('ALREADY_BOOKED');
  });

  test('reports ALREADY_BOOKED when the booster is booked', () => {
    const history = [
      aDose(),
      aDose({ dose: 2, start: daysAfter(DOSE_ONE_AT, 21) }),
      aDose({ dose: 3, status: 'booked', start: daysAfter(DOSE_ONE_AT, 200) }),
    ];
    expect(domainErrorFrom(() => planNextDose(history, VACCINES))).toMatchObject({
      kind: 'conflict',
      code: 'ALREADY_BOOKED',
    });
  });

  test('reports COURSE_COMPLETE once the booster is given', () => {
    const history = [aDose({ vaccineId: 'jcovden' }), aDose({ dose: 2, start: daysAfter(DOSE_ONE_AT, 200) })];
    expect(domainErrorFrom(() => planNextDose(history, VACCINES))).toMatchObject({
      kind: 'conflict',
      code: 'COURSE_COMPLETE',
    });
  });

  test('rejects a history naming a product missing from the catalogue', () => {
    expect(domainErrorFrom(() => planNextDose([aDose({ vaccineId: 'sputnik' })], VACCINES)).code).toBe(
      'UNKNOWN_VACCINE',
    );
  });

  test('uses the catalogue it is given', () => {
    const catalogue = [
      aVaccine({ id: 'a', usableAsBooster: false }),
      aVaccine({ id: 'b', doses: 1, mayFollow: ['b'] }),
    ];
    expect(planNextDose([], catalogue).vaccineIds).toEqual(['a', 'b']);
    expect(planNextDose([aDose({ vaccineId: 'b' })], catalogue).vaccineIds).toEqual(['b']);
  });

  test('offers as boosters only the products that may follow the course’s product', () => {
    const catalogue = [
      aVaccine({ id: 'a', doses: 1, mayFollow: [] }),
      aVaccine({ id: 'b', mayFollow: ['a'] }),
      aVaccine({ id: 'c', mayFollow: ['b'] }),
    ];
    expect(planNextDose([aDose({ vaccineId: 'a' })], catalogue).vaccineIds).toEqual(['b']);
  });

  test('offers no first dose or booster of a withdrawn product, but lets its course finish', () => {
    const catalogue = [aVaccine({ id: 'a', withdrawn: true }), aVaccine({ id: 'b', mayFollow: ['a', 'b'] })];
    expect(planNextDose([], catalogue).vaccineIds).toEqual(['b']);
    expect(planNextDose([aDose({ vaccineId: 'a' })], catalogue).vaccineIds).toEqual(['a']);
    const course = [aDose({ vaccineId: 'a' }), aDose({ vaccineId: 'a', dose: 2, start: daysAfter(DOSE_ONE_AT, 15) })];
    expect(planNextDose(course, catalogue)).toMatchObject({ kind: 'booster', vaccineIds: ['b'] });
  });
});
