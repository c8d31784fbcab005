import { isQuietTime, outOfQuietHours, QUIET_HOURS, reminderMoment } from './quiet-hours.ts';

const WARSAW = 'Europe/Warsaw';
const KYIV = 'Europe/Kyiv';
const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

describe('isQuietTime', () => {
  test('the quiet hours run from 21:00 to 08:00 local time', () => {
    expect(QUIET_HOURS).toEqual({ from: '21:00', to: '08:00' });
    // Winter: Warsaw is UTC+1.
    expect(isQuietTime(at('2026-01-15T19:59:00Z'), WARSAW)).toBe(false);
    expect(isQuietTime(at('2026-01-15T20:00:00Z'), WARSAW)).toBe(true);
    expect(isQuietTime(at('2026-01-15T23:30:00Z'), WARSAW)).toBe(true);
    expect(isQuietTime(at('2026-01-16T06:59:00Z'), WARSAW)).toBe(true);
    expect(isQuietTime(at('2026-01-16T07:00:00Z'), WARSAW)).toBe(false);
    expect(isQuietTime(at('2026-01-16T12:00:00Z'), WARSAW)).toBe(false);
  });

  test('in summer the same local hours are an hour earlier in UTC', () => {
    expect(isQuietTime(at('2026-07-15T19:00:00Z'), WARSAW)).toBe(true);
    expect(isQuietTime(at('2026-07-15T06:00:00Z'), WARSAW)).toBe(false);
  });

  test('is judged in the zone given, not in UTC', () => {
    // 19:30Z is 21:30 in Warsaw (summer) and 22:30 in Kyiv, but still 12:30 in Los Angeles.
    expect(isQuietTime(at('2026-07-15T19:30:00Z'), KYIV)).toBe(true);
    expect(isQuietTime(at('2026-07-15T19:30:00Z'), 'America/Los_Angeles')).toBe(false);
  });

  test('a window within one day is honoured too', () => {
    const lunch = { from: '12:00', to: '13:00' };
    expect(isQuietTime(at('2026-01-15T11:30:00Z'), WARSAW, lunch)).toBe(true);
    expect(isQuietTime(at('2026-01-15T12:00:00Z'), WARSAW, lunch)).toBe(false);
    expect(isQuietTime(at('2026-01-15T10:59:00Z'), WARSAW, lunch)).toBe(false);
  });
});

describe('outOfQuietHours', () => {
  test('an allowed moment is kept as it is', () => {
    const noon = at('2026-01-15T11:00:00Z');
    expect(outOfQuietHours(noon, WARSAW)).toBe(noon);
  });

  test('late in the evening it waits for 08:00 the next morning', () => {
    expect(iso(outOfQuietHours(at('2026-01-15T21:45:00Z'), WARSAW))).toBe('2026-01-16T07:00:00.000Z');
  });

  test('after midnight it waits for 08:00 the same morning', () => {
    expect(iso(outOfQuietHours(at('2026-01-16T00:15:00Z'), WARSAW))).toBe('2026-01-16T07:00:00.000Z');
    expect(iso(outOfQuietHours(at('2026-01-16T06:59:59Z'), WARSAW))).toBe('2026-01-16T07:00:00.000Z');
  });

  test('the night of the spring-forward change ends at 08:00 summer time', () => {
    // 23:00 CET on Saturday 28 March; on Sunday 08:00 is already CEST.
    expect(iso(outOfQuietHours(at('2026-03-28T22:00:00Z'), WARSAW))).toBe('2026-03-29T06:00:00.000Z');
  });

  test('the night of the autumn change ends at 08:00 winter time', () => {
    // 22:00 CEST on Saturday 24 October; on Sunday 08:00 is back to CET.
    expect(iso(outOfQuietHours(at('2026-10-24T20:00:00Z'), WARSAW))).toBe('2026-10-25T07:00:00.000Z');
  });

  test('a quiet window ending at a time the clock skips ends when the clock jumps', () => {
    const night = { from: '01:00', to: '02:30' };
    // 01:30 CET on 29 March; 02:30 does not exist that night, the clock goes from 02:00 to 03:00 CEST.
    expect(iso(outOfQuietHours(at('2026-03-29T00:30:00Z'), WARSAW, night))).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('reminderMoment', () => {
  const visitAt = '2026-05-12T08:00:00.000Z'; // 10:00 in Warsaw

  test('the reminder goes at 17:00 local the day before the visit', () => {
    expect(iso(reminderMoment(visitAt, WARSAW, at('2026-05-01T09:00:00Z')))).toBe('2026-05-11T15:00:00.000Z');
  });

  test('the local time of the reminder can be set', () => {
    expect(iso(reminderMoment(visitAt, WARSAW, at('2026-05-01T09:00:00Z'), { localTime: '12:30' }))).toBe(
      '2026-05-11T10:30:00.000Z',
    );
  });

  test('a booking made the evening before, after 17:00, is reminded at once', () => {
    const now = at('2026-05-11T16:30:00Z'); // 18:30 in Warsaw
    expect(iso(reminderMoment(visitAt, WARSAW, now))).toBe(now.toISOString());
  });

  test('a booking made at 22:30 the day before a 10:00 visit is reminded at 08:00 that morning', () => {
    expect(iso(reminderMoment(visitAt, WARSAW, at('2026-05-11T20:30:00Z')))).toBe('2026-05-12T06:00:00.000Z');
  });

  test('a booking made at 22:30 the day before a 09:00 visit gets no reminder, as 08:00 is too close', () => {
    expect(reminderMoment('2026-05-12T07:00:00.000Z', WARSAW, at('2026-05-11T20:30:00Z'))).toBeNull();
  });

  test('the minimum lead can be set', () => {
    const now = at('2026-05-11T20:30:00Z');
    expect(iso(reminderMoment('2026-05-12T07:00:00.000Z', WARSAW, now, { minLeadHours: 1 }))).toBe(
      '2026-05-12T06:00:00.000Z',
    );
    expect(reminderMoment(visitAt, WARSAW, now, { minLeadHours: 3 })).toBeNull();
  });

  test('a visit already past gets no reminder', () => {
    expect(reminderMoment(visitAt, WARSAW, at('2026-05-12T09:00:00Z'))).toBeNull();
  });

  test('the reminder on the spring-forward Sunday is 17:00 summer time', () => {
    // Visit on Monday 30 March; the day before is the day of the change, 17:00 CEST is 15:00Z.
    const now = at('2026-03-20T10:00:00Z');
    expect(iso(reminderMoment('2026-03-30T07:00:00.000Z', WARSAW, now))).toBe('2026-03-29T15:00:00.000Z');
    // Visit on the Sunday itself: the reminder on Saturday is still 17:00 CET, 16:00Z.
    expect(iso(reminderMoment('2026-03-29T08:00:00.000Z', WARSAW, now))).toBe('2026-03-28T16:00:00.000Z');
  });

  test('the reminder on the autumn-change Sunday is 17:00 winter time', () => {
    const now = at('2026-10-01T10:00:00Z');
    expect(iso(reminderMoment('2026-10-26T08:00:00.000Z', WARSAW, now))).toBe('2026-10-25T16:00:00.000Z');
    expect(iso(reminderMoment('2026-10-25T08:00:00.000Z', WARSAW, now))).toBe('2026-10-24T15:00:00.000Z');
  });

  test('a visit in Kyiv is reminded at 17:00 Kyiv time', () => {
    // 10:00 in Kyiv on 12 May is 07:00Z; the reminder at 17:00 EEST is 14:00Z, an hour before Warsaw's.
    const now = at('2026-05-01T09:00:00Z');
    expect(iso(reminderMoment('2026-05-12T07:00:00.000Z', KYIV, now))).toBe('2026-05-11T14:00:00.000Z');
  });

  test('the local date of the visit decides the day before, not its UTC date', () => {
    // 00:30 on 13 May in Warsaw is still 12 May in UTC; the reminder belongs to 12 May at 17:00.
    const now = at('2026-05-01T09:00:00Z');
    expect(iso(reminderMoment('2026-05-12T22:30:00.000Z', WARSAW, now))).toBe('2026-05-12T15:00:00.000Z');
  });

  test('a malformed visit instant is refused', () => {
    expect(() => reminderMoment('tomorrow', WARSAW, at('2026-05-01T09:00:00Z'))).toThrow('not an ISO 8601 instant');
  });
});
