import { clockIn, instantAt } from './zoned-time.ts';

describe('a time of day on a centre’s wall clock', () => {
  it('becomes the instant in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(instantAt('2026-01-12', '09:40', 'Europe/Warsaw')).toBe('2026-01-12T08:40:00.000Z');
    expect(instantAt('2026-07-01', '09:40', 'Europe/Warsaw')).toBe('2026-07-01T07:40:00.000Z');
  });

  it('is right on the days the clocks change', () => {
    expect(instantAt('2026-03-29', '01:30', 'Europe/Warsaw')).toBe('2026-03-29T00:30:00.000Z');
    expect(instantAt('2026-03-29', '09:00', 'Europe/Warsaw')).toBe('2026-03-29T07:00:00.000Z');
    expect(instantAt('2026-10-25', '09:00', 'Europe/Warsaw')).toBe('2026-10-25T08:00:00.000Z');
  });

  it('is read back from an instant in the centre’s zone, whatever the device’s', () => {
    expect(clockIn(new Date('2026-01-12T08:40:00Z'), 'Europe/Warsaw')).toBe('09:40');
    expect(clockIn(new Date('2026-01-12T23:05:00Z'), 'Europe/Warsaw')).toBe('00:05');
  });
});
