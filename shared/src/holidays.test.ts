import { easterSunday, isPolishPublicHoliday, polishPublicHolidays } from './holidays.ts';
import { weekdayOf } from './time-zone.ts';

describe('easterSunday', () => {
  test('gives the Easter dates of the published calendars', () => {
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
  });

  test('reaches both ends of its range, 22 March and 25 April', () => {
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  test('always falls on a Sunday between 22 March and 25 April', () => {
    for (let year = 1900; year <= 2200; year++) {
      const easter = easterSunday(year);
      expect(weekdayOf(easter)).toBe('sun');
      expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
    }
  });

  test('refuses a year before the Gregorian calendar', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
  });
});

describe('polishPublicHolidays', () => {
  test('lists the 14 holidays of 2025, with Christmas Eve for the first time', () => {
    expect(polishPublicHolidays(2025)).toEqual([
      '2025-01-01',
      '2025-01-06',
      '2025-04-20',
      '2025-04-21',
      '2025-05-01',
      '2025-05-03',
      '2025-06-08',
      '2025-06-19',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-24',
      '2025-12-25',
      '2025-12-26',
    ]);
  });

  test('lists the holidays of 2026: Easter on 5 April, Pentecost on 24 May, Corpus Christi on 4 June', () => {
    expect(polishPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-01-06',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-03',
      '2026-05-24',
      '2026-06-04',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  test('lists the holidays of 2027: Easter on 28 March, Pentecost on 16 May, Corpus Christi on 27 May', () => {
    expect(polishPublicHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-01-06',
      '2027-03-28',
      '2027-03-29',
      '2027-05-01',
      '2027-05-03',
      '2027-05-16',
      '2027-05-27',
      '2027-08-15',
      '2027-11-01',
      '2027-11-11',
      '2027-12-24',
      '2027-12-25',
      '2027-12-26',
    ]);
  });

  test('counts Christmas Eve only from 2025 and Epiphany only from 2011', () => {
    expect(polishPublicHolidays(2024)).not.toContain('2024-12-24');
    expect(polishPublicHolidays(2024)).toHaveLength(13);
    expect(polishPublicHolidays(2010)).not.toContain('2010-01-06');
    expect(polishPublicHolidays(2011)).toContain('2011-01-06');
  });

  test('returns a fresh list that a caller may change without changing the calendar', () => {
    polishPublicHolidays(2026).push('2026-07-01');
    expect(isPolishPublicHoliday('2026-07-01')).toBe(false);
  });
});

describe('isPolishPublicHoliday', () => {
  test('knows fixed and movable holidays and leaves ordinary days alone', () => {
    expect(isPolishPublicHoliday('2026-12-25')).toBe(true);
    expect(isPolishPublicHoliday('2026-04-06')).toBe(true);
    expect(isPolishPublicHoliday('2026-06-04')).toBe(true);
    expect(isPolishPublicHoliday('2026-04-07')).toBe(false);
    expect(isPolishPublicHoliday('2026-12-23')).toBe(false);
    expect(isPolishPublicHoliday('2027-06-04')).toBe(false);
  });
});
