import { DomainError } from './errors.ts';
import type { Sex } from './model.ts';
import { ageOn, isValidPesel, makePesel, parsePesel } from './pesel.ts';

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

/** Replaces the check digit with a different one, keeping everything else intact. */
const withWrongCheckDigit = (pesel: string): string => {
  const last = Number(pesel.slice(-1));
  return `${pesel.slice(0, 10)}${(last + 1) % 10}`;
};

describe('parsePesel', () => {
  // Check digits below were computed by hand with weights 1-3-7-9-1-3-7-9-1-3.
  test.each([
    ['44051401359', '1944-05-14', 'male'],
    ['02270803624', '2002-07-08', 'female'],
    ['99923100014', '1899-12-31', 'male'],
    ['00222900016', '2000-02-29', 'male'],
    ['21501200003', '2121-10-12', 'female'],
  ])('reads %s as born on %s, %s', (pesel, birthDate, sex) => {
    expect(parsePesel(pesel)).toEqual({ pesel, birthDate, sex });
  });

  test('trims surrounding whitespace before validating', () => {
    expect(parsePesel('  44051401359\n').pesel).toBe('44051401359');
  });

  test.each([
    ['too short', '4405140135'],
    ['too long', '440514013590'],
    ['a letter inside', '4405140135X'],
    ['inner spaces', '440514 01359'],
    ['empty', ''],
  ])('rejects a PESEL that is %s with INVALID_PESEL_FORMAT', (_label, input) => {
    const error = domainErrorFrom(() => parsePesel(input));
    expect(error.code).toBe('INVALID_PESEL_FORMAT');
    expect(error.kind).toBe('invalid');
    expect(error.field).toBe('pesel');
    expect(error.message).toMatch(/11 digits/);
  });

  test.each([
    ['month code 13', '85130100000'],
    ['month code 00', '85000100004'],
    ['month code 93', '85930100004'],
    ['31 February', '90023100007'],
    ['29 February 1900, not a leap year', '00022900010'],
    ['29 February 2200, not a leap year', '00622900018'],
    ['day 00', '90010000002'],
  ])('rejects a PESEL encoding %s with INVALID_PESEL_DATE', (_label, input) => {
    const error = domainErrorFrom(() => parsePesel(input));
    expect(error.code).toBe('INVALID_PESEL_DATE');
    expect(error.field).toBe('pesel');
  });

  test('explains which month code is impossible', () => {
    expect(domainErrorFrom(() => parsePesel('85130100000')).message).toMatch(/month code 13/);
  });

  test('rejects a PESEL whose checksum is wrong', () => {
    const error = domainErrorFrom(() => parsePesel(withWrongCheckDigit('44051401359')));
    expect(error.code).toBe('INVALID_PESEL_CHECKSUM');
    expect(error.message).toMatch(/check digit/);
  });

  test('names the field given by the caller', () => {
    expect(domainErrorFrom(() => parsePesel('123', 'guardian.pesel')).field).toBe('guardian.pesel');
  });
});

describe('isValidPesel', () => {
  test('accepts a valid PESEL', () => {
    expect(isValidPesel('44051401359')).toBe(true);
  });

  test('rejects malformed, impossible-date and wrong-checksum PESELs', () => {
    expect(isValidPesel('4405140135')).toBe(false);
    expect(isValidPesel('85130100000')).toBe(false);
    expect(isValidPesel(withWrongCheckDigit('44051401359'))).toBe(false);
  });
});

describe('makePesel', () => {
  test('lays out date, serial, sex digit and check digit as hand-computed', () => {
    // Sex digit (13 % 5) * 2 + 1 = 7; checksum 4+12+0+45+1+12+0+9+3+21 = 107, so the check digit is 3.
    expect(makePesel('1944-05-14', 'male', 13)).toBe('44051401373');
    // Sex digit (36 % 5) * 2 = 2; checksum 146, so the check digit is 4.
    expect(makePesel('2002-07-08', 'female', 36)).toBe('02270803624');
  });

  test.each([
    ['1800s (month + 80)', '1800-01-01', '81'],
    ['1900s (month + 0)', '1999-12-31', '12'],
    ['2000s (month + 20)', '2000-02-29', '22'],
    ['2100s (month + 40)', '2150-06-15', '46'],
    ['2200s (month + 60)', '2299-12-31', '72'],
  ])('round-trips a birth date in the %s through parsePesel', (_label, birthDate, monthCode) => {
    for (const sex of ['female', 'male'] as const satisfies readonly Sex[]) {
      const pesel = makePesel(birthDate, sex, 421);
      expect(pesel.slice(2, 4)).toBe(monthCode);
      expect(parsePesel(pesel)).toEqual({ pesel, birthDate, sex });
    }
  });

  test('gives a distinct valid PESEL for every serial', () => {
    const pesels = new Set<string>();
    for (let serial = 0; serial <= 999; serial++) {
      const pesel = makePesel('1970-03-08', 'female', serial);
      expect(parsePesel(pesel).sex).toBe('female');
      pesels.add(pesel);
    }
    expect(pesels.size).toBe(1000);
  });

  test('rejects a serial outside 0..999', () => {
    expect(() => makePesel('1970-03-08', 'male', 1000)).toThrow(RangeError);
    expect(() => makePesel('1970-03-08', 'male', -1)).toThrow(RangeError);
    expect(() => makePesel('1970-03-08', 'male', 1.5)).toThrow(RangeError);
  });

  test('rejects birth years a PESEL cannot encode', () => {
    expect(() => makePesel('1799-12-31', 'male', 0)).toThrow(RangeError);
    expect(() => makePesel('2300-01-01', 'male', 0)).toThrow(RangeError);
  });

  test('rejects a date that is not on the calendar', () => {
    expect(() => makePesel('2001-02-29', 'male', 0)).toThrow(RangeError);
    expect(() => makePesel('2001-2-3', 'male', 0)).toThrow(RangeError);
  });

  test('builds a million PESELs quickly', () => {
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) makePesel('1985-07-21', i % 2 ? 'male' : 'female', i % 1000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('ageOn', () => {
  test('counts a year only once the birthday has come', () => {
    expect(ageOn('1980-06-15', '2021-06-14')).toBe(40);
    expect(ageOn('1980-06-15', '2021-06-15')).toBe(41);
    expect(ageOn('1980-06-15', '2021-12-31')).toBe(41);
  });

  test('is zero on the day of birth', () => {
    expect(ageOn('2021-03-01', '2021-03-01')).toBe(0);
  });

  test('lets someone born on 29 February turn older on 28 February in a common year', () => {
    expect(ageOn('2004-02-29', '2021-02-27')).toBe(16);
    expect(ageOn('2004-02-29', '2021-02-28')).toBe(17);
  });

  test('waits for 29 February itself in a leap year', () => {
    expect(ageOn('2004-02-29', '2024-02-28')).toBe(19);
    expect(ageOn('2004-02-29', '2024-02-29')).toBe(20);
  });

  test('is negative before birth so that minimum-age checks fail', () => {
    expect(ageOn('2150-01-01', '2021-06-01')).toBeLessThan(0);
    expect(ageOn('2021-06-02', '2021-06-01')).toBeLessThan(0);
  });
});
