import { DomainError } from './errors.ts';
import {
  addDays,
  daysBetween,
  formatMinutes,
  instantsOfDay,
  isValidLocalDate,
  isValidLocalTime,
  isValidTimeZone,
  localToday,
  minutesOfDay,
  toInstant,
  toLocal,
  weekdayOf,
} from './time-zone.ts';

const WARSAW = 'Europe/Warsaw';
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

describe('toInstant', () => {
  test('a Warsaw 08:00 opening is 07:00Z in winter and 06:00Z in summer', () => {
    expect(iso(toInstant('2026-01-15', '08:00', WARSAW))).toBe('2026-01-15T07:00:00.000Z');
    expect(iso(toInstant('2026-07-15', '08:00', WARSAW))).toBe('2026-07-15T06:00:00.000Z');
  });

  test('on the spring-forward Sunday in Warsaw, 08:00 is already summer time', () => {
    expect(iso(toInstant('2026-03-28', '08:00', WARSAW))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(toInstant('2026-03-29', '08:00', WARSAW))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(toInstant('2026-03-29', '01:59', WARSAW))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(toInstant('2026-03-29', '03:00', WARSAW))).toBe('2026-03-29T01:00:00.000Z');
  });

  test('a wall-clock time skipped by spring forward does not exist', () => {
    expect(toInstant('2026-03-29', '02:00', WARSAW)).toBeNull();
    expect(toInstant('2026-03-29', '02:30', WARSAW)).toBeNull();
    expect(toInstant('2026-03-29', '02:59', WARSAW)).toBeNull();
  });

  test('on the fall-back Sunday in Warsaw, 08:00 is back to winter time', () => {
    expect(iso(toInstant('2026-10-24', '08:00', WARSAW))).toBe('2026-10-24T06:00:00.000Z');
    expect(iso(toInstant('2026-10-25', '08:00', WARSAW))).toBe('2026-10-25T07:00:00.000Z');
  });

  test('a wall-clock time repeated by fall back resolves to its first occurrence', () => {
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    expect(iso(toInstant('2026-10-25', '02:30', WARSAW))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(toInstant('2026-10-25', '02:00', WARSAW))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(toInstant('2026-10-25', '03:00', WARSAW))).toBe('2026-10-25T02:00:00.000Z');
  });

  test('New York changes on its own dates and at its own hour', () => {
    // 2026: second Sunday of March, first Sunday of November, at 02:00 local.
    expect(iso(toInstant('2026-03-07', '09:00', 'America/New_York'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(toInstant('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z');
    expect(toInstant('2026-03-08', '02:15', 'America/New_York')).toBeNull();
    expect(iso(toInstant('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(toInstant('2026-11-01', '09:00', 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
  });

  test('Tokyo, without daylight saving, is nine hours ahead all year', () => {
    expect(iso(toInstant('2026-03-29', '08:00', 'Asia/Tokyo'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(toInstant('2026-10-25', '08:00', 'Asia/Tokyo'))).toBe('2026-10-24T23:00:00.000Z');
  });

  test('a half-hour zone keeps its minutes', () => {
    expect(iso(toInstant('2026-05-01', '10:00', 'Asia/Kolkata'))).toBe('2026-05-01T04:30:00.000Z');
  });

  test('a zone that springs forward at midnight has no 00:00 that day', () => {
    // Chile, 2026-09-06: 00:00 becomes 01:00; fall back on 2026-04-05 repeats 23:00–24:00 of the 4th.
    expect(toInstant('2026-09-06', '00:00', 'America/Santiago')).toBeNull();
    expect(iso(toInstant('2026-09-06', '01:00', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(toInstant('2026-04-04', '23:30', 'America/Santiago'))).toBe('2026-04-05T02:30:00.000Z');
  });

  test('a fall-back that repeats the first hour of a day resolves to the occurrence before midnight', () => {
    // Amman, 2011-10-28: at 01:00 (+03) clocks went back to 00:00 (+02).
    expect(iso(toInstant('2011-10-28', '00:30', 'Asia/Amman'))).toBe('2011-10-27T21:30:00.000Z');
    expect(iso(toInstant('2011-10-28', '01:00', 'Asia/Amman'))).toBe('2011-10-27T23:00:00.000Z');
  });

  test('24:00 is midnight at the start of the next day', () => {
    expect(iso(toInstant('2026-03-28', '24:00', WARSAW))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(toInstant('2026-12-31', '24:00', WARSAW))).toBe('2026-12-31T23:00:00.000Z');
  });

  test('malformed input is rejected rather than guessed', () => {
    expect(() => toInstant('2026-02-30', '08:00', WARSAW)).toThrow(DomainError);
    expect(() => toInstant('2026-03-29', '8:00', WARSAW)).toThrow(DomainError);
    expect(() => toInstant('2026-03-29', '08:00', 'Europe/Atlantis')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME_ZONE' }),
    );
  });

  test('every existing Warsaw wall-clock time of a DST year round-trips through toLocal', () => {
    let date = '2026-01-01';
    let gaps = 0;
    while (date < '2027-01-01') {
      for (let m = 0; m < 24 * 60; m += 30) {
        const time = formatMinutes(m);
        const instant = toInstant(date, time, WARSAW);
        if (instant === null) {
          gaps += 1;
          continue;
        }
        const local = toLocal(instant, WARSAW);
        expect(`${local.date} ${local.time}`).toBe(`${date} ${time}`);
      }
      date = addDays(date, 1);
    }
    expect(gaps).toBe(2);
  });
});

describe('instantsOfDay', () => {
  test('converts minutes of one local day exactly as toInstant does, gaps and end of day included', () => {
    const instantOf = instantsOfDay('2026-03-29', WARSAW);
    for (const minutes of [0, 119, 120, 150, 180, 480, 1439, 1440]) {
      expect(iso(instantOf(minutes))).toBe(iso(toInstant('2026-03-29', formatMinutes(minutes), WARSAW)));
    }
    expect(instantOf(150)).toBeNull();
    expect(iso(instantOf(480))).toBe('2026-03-29T06:00:00.000Z');
  });

  test('refuses minutes outside the day', () => {
    const instantOf = instantsOfDay('2026-01-12', WARSAW);
    expect(() => instantOf(1441)).toThrow(DomainError);
    expect(() => instantOf(-15)).toThrow(DomainError);
  });
});

describe('toLocal', () => {
  test('an instant reads as the Warsaw wall clock, date and weekday', () => {
    expect(toLocal(new Date('2026-03-29T06:00:00Z'), WARSAW)).toEqual({
      date: '2026-03-29',
      time: '08:00',
      weekday: 'sun',
    });
    expect(toLocal(new Date('2026-01-15T07:00:00Z'), WARSAW)).toEqual({
      date: '2026-01-15',
      time: '08:00',
      weekday: 'thu',
    });
  });

  test('both occurrences of a repeated hour read as the same wall clock', () => {
    expect(toLocal(new Date('2026-10-25T00:30:00Z'), WARSAW).time).toBe('02:30');
    expect(toLocal(new Date('2026-10-25T01:30:00Z'), WARSAW).time).toBe('02:30');
  });

  test('midnight is 00:00, not 24:00, and seconds are dropped', () => {
    expect(toLocal(new Date('2026-06-30T22:00:59Z'), WARSAW)).toEqual({
      date: '2026-07-01',
      time: '00:00',
      weekday: 'wed',
    });
  });

  test('the local date can differ from the UTC date', () => {
    expect(toLocal(new Date('2026-03-28T23:30:00Z'), 'Asia/Tokyo').date).toBe('2026-03-29');
    expect(toLocal(new Date('2026-03-29T02:00:00Z'), 'America/New_York').date).toBe('2026-03-28');
  });

  test('agrees with Intl every minute of days with a change, whole-hour, half-hour and historical', () => {
    const cases: Array<[string, string]> = [
      [WARSAW, '2026-03-28T20:00:00Z'],
      [WARSAW, '2026-10-24T20:00:00Z'],
      // Lord Howe moves its clocks by half an hour; Kathmandu changed from +05:30 to +05:45 in 1986.
      ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
      ['Asia/Kathmandu', '1985-12-31T12:00:00Z'],
    ];
    for (const [zone, from] of cases) {
      const intl = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
      const mismatches: string[] = [];
      for (let minute = 0; minute < 24 * 60; minute++) {
        const instant = new Date(Date.parse(from) + minute * 60_000 + 17_000);
        const p = Object.fromEntries(intl.formatToParts(instant).map((part) => [part.type, part.value]));
        const expected = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
        const local = toLocal(instant, zone);
        if (`${local.date} ${local.time}` !== expected) mismatches.push(`${zone} ${instant.toISOString()}`);
      }
      expect(mismatches).toEqual([]);
    }
  });
});

describe('localToday', () => {
  test('just after Warsaw midnight it is already the next day there', () => {
    expect(localToday(new Date('2026-07-31T22:30:00Z'), WARSAW)).toBe('2026-08-01');
    expect(localToday(new Date('2026-07-31T21:30:00Z'), WARSAW)).toBe('2026-07-31');
  });

  test('the date turns at the last millisecond of the local day, asked many times around it, in two zones', () => {
    const lastMs = new Date('2026-07-31T21:59:59.999Z');
    const firstMs = new Date('2026-07-31T22:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      expect(localToday(new Date('2026-07-31T21:59:59.000Z'), WARSAW)).toBe('2026-07-31');
      expect(localToday(lastMs, WARSAW)).toBe('2026-07-31');
      expect(localToday(lastMs, 'Asia/Tokyo')).toBe('2026-08-01');
      expect(localToday(firstMs, WARSAW)).toBe('2026-08-01');
      expect(localToday(firstMs, 'America/New_York')).toBe('2026-07-31');
      expect(localToday(lastMs, WARSAW)).toBe('2026-07-31');
    }
    expect(() => localToday(new Date(Number.NaN), WARSAW)).toThrow('not a valid date');
  });
});

describe('calendar arithmetic', () => {
  test('addDays crosses months, leap days and years', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-01', 365)).toBe('2027-03-01');
  });

  test('addDays refuses fractional days', () => {
    expect(() => addDays('2026-03-01', 0.5)).toThrow(DomainError);
  });

  test('weekdayOf names the day of the week', () => {
    expect(weekdayOf('2026-03-29')).toBe('sun');
    expect(weekdayOf('2026-03-30')).toBe('mon');
    expect(weekdayOf('1970-01-01')).toBe('thu');
    expect(weekdayOf('1969-12-29')).toBe('mon');
    expect(weekdayOf('2000-02-29')).toBe('tue');
  });

  test('daysBetween counts calendar days across a DST change, signed', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-30', '2026-10-20')).toBe(-10);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });
});

describe('minutesOfDay and formatMinutes', () => {
  test('convert both ways, with 24:00 as the end of the day', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('08:15')).toBe(495);
    expect(minutesOfDay('24:00')).toBe(1440);
    expect(formatMinutes(495)).toBe('08:15');
    expect(formatMinutes(0)).toBe('00:00');
    expect(formatMinutes(1440)).toBe('24:00');
  });

  test('reject what is not a time of day', () => {
    expect(() => minutesOfDay('25:00')).toThrow(DomainError);
    expect(() => formatMinutes(1441)).toThrow(DomainError);
    expect(() => formatMinutes(-1)).toThrow(DomainError);
  });
});

describe('validation', () => {
  test('isValidLocalDate wants YYYY-MM-DD naming a real day', () => {
    expect(isValidLocalDate('2026-03-29')).toBe(true);
    expect(isValidLocalDate('2028-02-29')).toBe(true);
    expect(isValidLocalDate('2026-02-29')).toBe(false);
    expect(isValidLocalDate('2100-02-29')).toBe(false);
    expect(isValidLocalDate('2026-04-31')).toBe(false);
    expect(isValidLocalDate('2026-13-01')).toBe(false);
    expect(isValidLocalDate('2026-3-29')).toBe(false);
    expect(isValidLocalDate('2026-03-29T00:00')).toBe(false);
    expect(isValidLocalDate('')).toBe(false);
  });

  test('isValidLocalTime wants HH:MM within the day', () => {
    expect(isValidLocalTime('00:00')).toBe(true);
    expect(isValidLocalTime('23:59')).toBe(true);
    expect(isValidLocalTime('24:00')).toBe(false);
    expect(isValidLocalTime('8:00')).toBe(false);
    expect(isValidLocalTime('08:60')).toBe(false);
    expect(isValidLocalTime('08:00:00')).toBe(false);
  });

  test('isValidLocalTime accepts 24:00 only when asked for an end of day', () => {
    expect(isValidLocalTime('24:00', { allowEndOfDay: true })).toBe(true);
    expect(isValidLocalTime('24:01', { allowEndOfDay: true })).toBe(false);
  });

  test('isValidTimeZone knows IANA zones and nothing else', () => {
    expect(isValidTimeZone('Europe/Warsaw')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
