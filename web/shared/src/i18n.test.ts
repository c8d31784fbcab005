/** @jest-environment node */
import { createFormatter, createTranslator, interpolate } from './i18n.ts';

describe('messages', () => {
  it('fills placeholders and leaves an unknown one visible', () => {
    expect(interpolate('Dose {dose} at {time}', { dose: 2, time: '08:15' })).toBe('Dose 2 at 08:15');
    expect(interpolate('Dose {dose} at {time}', { dose: 2 })).toBe('Dose 2 at {time}');
  });

  it('ends a sentence with one full stop when the value already ends with one', () => {
    expect(interpolate('Запис відкриється {date}.', { date: '11 грудня 2026 р.' })).toBe(
      'Запис відкриється 11 грудня 2026 р.',
    );
    expect(interpolate('Opens on {date}.', { date: '11 December 2026' })).toBe('Opens on 11 December 2026.');
    expect(interpolate('{a}. {b}.', { a: 'x.', b: 'y' })).toBe('x. y.');
  });

  it('falls back to the key itself when a catalogue lacks it', () => {
    const t = createTranslator<'a' | 'b'>({ a: 'A' } as Record<'a' | 'b', string>, 'en-GB');
    expect(t('a')).toBe('A');
    expect(t('b')).toBe('b');
  });

  it('formats an instant on the wall clock of its place, across a change to summer time', () => {
    const fmt = createFormatter('en-GB');
    expect(fmt.time('2026-03-28T07:00:00.000Z', 'Europe/Warsaw')).toBe('08:00');
    expect(fmt.time('2026-03-30T07:00:00.000Z', 'Europe/Warsaw')).toBe('09:00');
    expect(fmt.date('2026-03-29')).toBe('29 March 2026');
    expect(createFormatter('pl-PL').km(12.25)).toBe('12,3 km');
    expect(createFormatter('uk-UA').km(4)).toBe('4 км');
  });
});
