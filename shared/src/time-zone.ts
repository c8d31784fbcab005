import { invalid } from './errors.ts';
import type { LocalDate, LocalTime, Weekday } from './model.ts';
import { WEEKDAYS } from './model.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Closing time meaning "until midnight": valid only as the end of a range, never as a moment of the day. */
export const END_OF_DAY: LocalTime = '24:00';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Creating a DateTimeFormat costs far more than using one, and schedules are expanded for thousands
// of centres that share a handful of zones, so each zone gets exactly one formatter.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw invalid('INVALID_TIME_ZONE', `"${zone}" is not a known IANA time zone.`, 'timeZone');
    }
    formatters.set(zone, formatter);
  }
  return formatter;
};

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// en-US prints `3/29/2026, 08:00:00`; parsing that is about three times faster than formatToParts,
// which remains the fallback should an ICU version print it differently.
const EN_US_PATTERN = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

const wallClockAt = (ms: number, zone: string): WallClock => {
  const formatter = formatterFor(zone);
  const m = EN_US_PATTERN.exec(formatter.format(ms));
  const clock: WallClock =
    m === null
      ? { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
      : {
          year: Number(m[3]),
          month: Number(m[1]),
          day: Number(m[2]),
          hour: Number(m[4]),
          minute: Number(m[5]),
          second: Number(m[6]),
        };
  if (m === null) {
    for (const part of formatter.formatToParts(ms)) {
      if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
    }
  }
  // Some engines still print midnight as 24 despite h23.
  if (clock.hour === 24) clock.hour = 0;
  return clock;
};

/** Milliseconds since the epoch of a proleptic-Gregorian wall clock read as if it were UTC. */
const utcMs = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number => {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
};

/** How far the zone's wall clock is ahead of UTC at an instant (whole seconds, as tzdata has them). */
const offsetAt = (ms: number, zone: string): number => {
  const c = wallClockAt(ms, zone);
  return utcMs(c.year, c.month, c.day, c.hour, c.minute, c.second) - Math.floor(ms / 1000) * 1000;
};

// Most days have a single UTC offset from midnight to midnight; remembering it per zone and date lets
// every slot of such a day be converted by subtraction instead of several Intl calls. `null` marks a
// day with a transition, which takes the careful path. Bounded only as a safety net: keys are
// zone × date, so real use stays small.
const dayOffsets = new Map<string, number | null>();
const DAY_OFFSETS_LIMIT = 100_000;

const constantOffsetOfDay = (midnightMs: number, date: LocalDate, zone: string): number | null => {
  const key = `${zone} ${date}`;
  const cached = dayOffsets.get(key);
  if (cached !== undefined) return cached;
  // Guess the day's offset, then check that it holds at the instants of local 00:00, 12:00 and 23:59:59,
  // and for three hours before midnight: a fall-back just before then would repeat the day's first hour
  // and make its earlier occurrence the answer. Only two transitions cancelling out within one day could
  // fool this; a brute-force comparison over every zone (1983, 1996, 2011, 2026) found none.
  const offset = offsetAt(midnightMs, zone);
  const start = midnightMs - offset;
  const constant =
    offsetAt(start, zone) === offset &&
    offsetAt(start - 3 * HOUR_MS, zone) === offset &&
    offsetAt(start + 12 * HOUR_MS, zone) === offset &&
    offsetAt(start + DAY_MS - 1000, zone) === offset;
  if (dayOffsets.size >= DAY_OFFSETS_LIMIT) dayOffsets.clear();
  dayOffsets.set(key, constant ? offset : null);
  return constant ? offset : null;
};

const parseDate = (date: LocalDate): { year: number; month: number; day: number } => {
  const match = DATE_PATTERN.exec(date);
  if (match !== null) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return { year, month, day };
  }
  throw invalid('INVALID_DATE', `"${date}" is not a calendar date in the form YYYY-MM-DD.`, 'date');
};

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const formatDate = (year: number, month: number, day: number): LocalDate => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** Days since 1970-01-01 (Thursday); a zone-free count so that calendar arithmetic ignores DST. */
const dayNumber = (date: LocalDate): number => {
  const { year, month, day } = parseDate(date);
  return Math.round(utcMs(year, month, day) / DAY_MS);
};

const dateOfDayNumber = (n: number): LocalDate => {
  const d = new Date(n * DAY_MS);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

/** Whether the string is `YYYY-MM-DD` naming a day that exists (no 2026-02-30). */
export const isValidLocalDate = (s: string): boolean => {
  if (typeof s !== 'string') return false;
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
};

/**
 * Whether the string is a wall-clock `HH:MM` from 00:00 to 23:59. `24:00` is accepted only with
 * `allowEndOfDay`, for the end of an opening range that lasts until midnight.
 */
export const isValidLocalTime = (s: string, options: { allowEndOfDay?: boolean } = {}): boolean =>
  typeof s === 'string' && (TIME_PATTERN.test(s) || (options.allowEndOfDay === true && s === END_OF_DAY));

/** Whether the runtime knows the IANA zone; checked before a centre is saved so conversions cannot fail later. */
export const isValidTimeZone = (zone: string): boolean => {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
};

/** Minutes since local midnight; `24:00` gives 1440 so that range ends compare correctly. */
export const minutesOfDay = (time: LocalTime): number => {
  if (time === END_OF_DAY) return 24 * 60;
  const match = TIME_PATTERN.exec(time);
  if (match === null) throw invalid('INVALID_TIME', `"${time}" is not a time in the form HH:MM.`, 'time');
  return Number(match[1]) * 60 + Number(match[2]);
};

/** Inverse of minutesOfDay for 0…1440 (1440 is `24:00`, the end of the day). */
export const formatMinutes = (m: number): LocalTime => {
  if (!Number.isInteger(m) || m < 0 || m > 24 * 60) {
    throw invalid('INVALID_TIME', `${m} is not a whole number of minutes within a day.`, 'time');
  }
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
};

/** The calendar date `days` later (earlier when negative); pure calendar arithmetic, no zone involved. */
export const addDays = (date: LocalDate, days: number): LocalDate => {
  if (!Number.isInteger(days)) throw invalid('INVALID_DAYS', `${days} is not a whole number of days.`, 'days');
  return dateOfDayNumber(dayNumber(date) + days);
};

/** Day of the week of a calendar date, independent of any zone. */
export const weekdayOf = (date: LocalDate): Weekday => WEEKDAYS[(((dayNumber(date) + 3) % 7) + 7) % 7]!;

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export const daysBetween = (a: LocalDate, b: LocalDate): number => dayNumber(b) - dayNumber(a);

// On a transition day the instant lies within [wall − 14 h, wall + 12 h], where at most the offsets seen
// on either side of the transition apply. Try each and keep those whose wall clock really is `wall`.
const instantAcrossTransition = (wall: number, zone: string): Date | null => {
  const offsets = new Set([offsetAt(wall - DAY_MS, zone), offsetAt(wall, zone), offsetAt(wall + DAY_MS, zone)]);
  let earliest: number | null = null;
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (offsetAt(candidate, zone) === offset && (earliest === null || candidate < earliest)) earliest = candidate;
  }
  return earliest === null ? null : new Date(earliest);
};

/**
 * toInstant for many times of one local day, given as minutes since midnight (0–1440): the date is parsed
 * and the day's offset looked up once, which matters when expanding schedules into slots.
 */
export const instantsOfDay = (date: LocalDate, zone: string): ((minutes: number) => Date | null) => {
  const { year, month, day } = parseDate(date);
  const midnight = utcMs(year, month, day);
  const constant = constantOffsetOfDay(midnight, date, zone);
  return (minutes) => {
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60) {
      throw invalid('INVALID_TIME', `${minutes} is not a whole number of minutes within a day.`, 'time');
    }
    if (minutes === 24 * 60) return toInstant(addDays(date, 1), '00:00', zone);
    const wall = midnight + minutes * MINUTE_MS;
    return constant === null ? instantAcrossTransition(wall, zone) : new Date(wall - constant);
  };
};

/**
 * The instant at which the wall clock in `zone` shows `date` `time`. Returns null when that wall-clock
 * time is skipped by a spring-forward change; when a fall-back change repeats it, the earlier instant wins.
 * `24:00` means midnight at the start of the next day.
 */
export const toInstant = (date: LocalDate, time: LocalTime, zone: string): Date | null => {
  const minutes = minutesOfDay(time);
  return instantsOfDay(date, zone)(minutes);
};

// Views and text messages turn thousands of instants a second into wall-clock times, most of them in
// a few hours of one zone. The offset of a UTC hour whose first and last second share it is kept per
// zone and hour, so such an instant is converted by addition instead of an Intl call; an hour with a
// transition (or two cancelling out, which no zone has within an hour) takes the Intl path each time.
const hourOffsets = new Map<string, number | null>();
const HOUR_OFFSETS_LIMIT = 100_000;

const constantOffsetOfHour = (ms: number, zone: string): number | null => {
  const hourStart = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const key = `${zone} ${hourStart}`;
  const cached = hourOffsets.get(key);
  if (cached !== undefined) return cached;
  const offset = offsetAt(hourStart, zone);
  const constant = offsetAt(hourStart + HOUR_MS - 1000, zone) === offset ? offset : null;
  if (hourOffsets.size >= HOUR_OFFSETS_LIMIT) hourOffsets.clear();
  hourOffsets.set(key, constant);
  return constant;
};

/** What the wall clock and calendar in `zone` show at an instant (seconds dropped). */
export const toLocal = (instant: Date, zone: string): { date: LocalDate; time: LocalTime; weekday: Weekday } => {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw invalid('INVALID_INSTANT', 'The instant is not a valid date.', 'instant');
  const offset = constantOffsetOfHour(ms, zone);
  if (offset !== null) {
    // The wall clock read as UTC: offsets are whole seconds, so the seconds dropped are the instant's own.
    const wall = new Date(ms + offset);
    const year = wall.getUTCFullYear();
    const date = formatDate(year, wall.getUTCMonth() + 1, wall.getUTCDate());
    return { date, time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`, weekday: weekdayOf(date) };
  }
  const c = wallClockAt(ms, zone);
  const date = formatDate(c.year, c.month, c.day);
  return { date, time: `${pad(c.hour)}:${pad(c.minute)}`, weekday: weekdayOf(date) };
};

/** The last answer of `localToday` per zone, for the second it was asked in. */
const todayBySecond = new Map<string, { second: number; date: LocalDate }>();

/**
 * The centre-local calendar date at `now`, which may differ from the UTC date around midnight.
 * Requests ask it many times a second, and the date cannot change within a second (no zone's offset
 * has a fraction of one), so the answer is kept for the second it was computed in.
 */
/** An instant on a zone's wall clock as one text, `YYYY-MM-DDTHH:MM`: how views show when a visit or slot starts. */
export const toLocalStart = (instant: string, zone: string): string => {
  const local = toLocal(new Date(instant), zone);
  return `${local.date}T${local.time}`;
};

export const localToday = (now: Date, zone: string): LocalDate => {
  const second = Math.floor(now.getTime() / 1000);
  const last = todayBySecond.get(zone);
  if (last !== undefined && last.second === second) return last.date;
  const date = toLocal(now, zone).date;
  todayBySecond.set(zone, { second, date });
  return date;
};
