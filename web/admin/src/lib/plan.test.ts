/** @jest-environment node */
import { formatDateField, instantOf, localOf, parseDateField, parseTimeField } from './date-time.ts';
import { expandBirthYearPlan } from './plan.ts';

describe('dates and times as typed', () => {
  test.each([
    ['20.01.2026', '2026-01-20'],
    ['20/1/2026', '2026-01-20'],
    ['20012026', '2026-01-20'],
    ['2026-01-20', '2026-01-20'],
    ['31.02.2026', null],
    ['jutro', null],
  ])('%s reads as %s', (typed, date) => {
    expect(parseDateField(typed)).toBe(date);
  });

  test('times are HH:MM of a day', () => {
    expect(parseTimeField('8:05')).toBe('08:05');
    expect(parseTimeField('24:00')).toBeNull();
  });

  test('the country’s clock: winter and summer time', () => {
    expect(instantOf('2026-01-20', '20:00')).toBe('2026-01-20T19:00:00.000Z');
    expect(instantOf('2026-07-01', '08:00')).toBe('2026-07-01T06:00:00.000Z');
    // The night the clocks go forward: 01:30 is still winter time.
    expect(instantOf('2026-03-29', '01:30')).toBe('2026-03-29T00:30:00.000Z');
    expect(localOf('2026-07-01T06:00:00.000Z')).toEqual({ date: '2026-07-01', time: '08:00' });
    expect(formatDateField('2026-01-05', 'en')).toBe('05/01/2026');
  });
});

describe('one birth year per day', () => {
  test('from the first year down to the last, a day apart, across the change of the clocks', () => {
    const drafts = expandBirthYearPlan({
      fromYear: 1960,
      toYear: 1958,
      date: '2026-03-28',
      time: '20:00',
      region: 'lodzkie',
    });
    expect(drafts).toEqual([
      { kind: 'birthYear', bornInOrBefore: 1960, opensAt: '2026-03-28T19:00:00.000Z', region: 'lodzkie' },
      { kind: 'birthYear', bornInOrBefore: 1959, opensAt: '2026-03-29T18:00:00.000Z', region: 'lodzkie' },
      { kind: 'birthYear', bornInOrBefore: 1958, opensAt: '2026-03-30T18:00:00.000Z', region: 'lodzkie' },
    ]);
  });
});
