/** @jest-environment node */
import { formatDateField, parseDateField } from './date-field.ts';

describe('a date typed in the language of the app', () => {
  it('is written day, month, year with the language’s mark', () => {
    expect(formatDateField('2026-01-20', 'pl')).toBe('20.01.2026');
    expect(formatDateField('2026-01-20', 'en')).toBe('20/01/2026');
    expect(formatDateField('2026-01-20', 'uk')).toBe('20.01.2026');
  });

  it.each([
    ['20.01.2026', '2026-01-20'],
    ['20/01/2026', '2026-01-20'],
    ['5.2.2026', '2026-02-05'],
    [' 05-02-2026 ', '2026-02-05'],
    ['05,02,2026', '2026-02-05'],
    ['5 2 2026', '2026-02-05'],
    ['05022026', '2026-02-05'],
    ['05.02.2026 р.', '2026-02-05'],
    ['2026-02-05', '2026-02-05'],
    ['29.02.2028', '2028-02-29'],
  ])('reads %j as %s, whichever mark was typed', (typed, date) => {
    expect(parseDateField(typed)).toEqual({ date });
  });

  it.each(['jutro', '20.01', '20.01.26', '2026/01/20', '1.1.2026.1', '200126', ''])(
    'refuses %j as not a date',
    (typed) => {
      expect(parseDateField(typed)).toEqual({ problem: 'format' });
    },
  );

  it.each(['31.02.2026', '29.02.2026', '00.01.2026', '12.13.2026', '32.01.2026', '2026-02-30'])(
    'refuses %j as a day the calendar does not have',
    (typed) => {
      expect(parseDateField(typed)).toEqual({ problem: 'noSuchDay' });
    },
  );
});
