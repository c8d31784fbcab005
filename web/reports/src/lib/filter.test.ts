/** @jest-environment node */
import { addDays, checkDates, filterOf, isDate, queryOf, todayInPoland } from './filter.ts';

describe('the filter in the address', () => {
  const now = new Date('2026-01-12T08:00:00.000Z');

  test('without dates shows the last four weeks up to today', () => {
    expect(filterOf(new URLSearchParams(''), now)).toEqual({
      from: '2025-12-16',
      to: '2026-01-12',
      voivodeship: null,
      ageBand: null,
      vaccineId: null,
    });
  });

  test('takes today as Poland’s calendar has it, whatever the reader’s zone', () => {
    expect(todayInPoland(new Date('2026-01-11T23:30:00.000Z'))).toBe('2026-01-12');
    expect(todayInPoland(new Date('2026-07-11T21:59:00.000Z'))).toBe('2026-07-11');
    expect(todayInPoland(new Date('2026-07-11T22:00:00.000Z'))).toBe('2026-07-12');
  });

  test('keeps what the address names, and gives it back in a fixed order for a link', () => {
    const filter = filterOf(new URLSearchParams('vaccineId=comirnaty&ageBand=80%2B&to=2026-01-10&voivodeship=14'), now);
    expect(filter).toEqual({
      from: '2025-12-14',
      to: '2026-01-10',
      voivodeship: '14',
      ageBand: '80+',
      vaccineId: 'comirnaty',
    });
    expect(queryOf(filter)).toBe('from=2025-12-14&to=2026-01-10&voivodeship=14&ageBand=80%2B&vaccineId=comirnaty');
    expect(queryOf({ ...filter, voivodeship: null, ageBand: null, vaccineId: null })).toBe(
      'from=2025-12-14&to=2026-01-10',
    );
  });

  test('counts days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('12.01.2026')).toBe(false);
  });

  test('says which typed date is wrong: missing, not a date, before the start, or a period too long', () => {
    expect(checkDates('2026-01-01', '2026-01-31')).toEqual({});
    expect(checkDates('', '2026-01-31')).toEqual({ from: 'required' });
    expect(checkDates('2026-02-30', '')).toEqual({ from: 'invalid', to: 'required' });
    expect(checkDates('2026-01-31', '2026-01-01')).toEqual({ to: 'beforeFrom' });
    expect(checkDates('2026-01-31', '2026-01-31')).toEqual({});
    // 366 days counting both ends is the most a report covers.
    expect(checkDates('2025-01-01', '2026-01-01')).toEqual({});
    expect(checkDates('2024-12-31', '2026-01-01')).toEqual({ from: 'tooLong' });
  });
});
