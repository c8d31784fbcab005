import { invalid } from '../errors.ts';
import type { Instant, LocalDate, LocalTime } from '../model.ts';
import { addDays, instantsOfDay, minutesOfDay, toLocal } from '../time-zone.ts';

/** A daily window, in local time, when no message is sent; it may run past midnight (`from` after `to`). */
export interface QuietHours {
  from: LocalTime;
  to: LocalTime;
}

/** No message between 21:00 and 08:00 local time. */
export const QUIET_HOURS = { from: '21:00', to: '08:00' } as const satisfies QuietHours;

const HOUR_MS = 3_600_000;
const DAY_MINUTES = 24 * 60;

/** Whether `at` falls in the quiet hours of `zone` (`from` included, `to` excluded). */
export function isQuietTime(at: Date, zone: string, quiet: QuietHours = QUIET_HOURS): boolean {
  const now = minutesOfDay(toLocal(at, zone).time);
  const from = minutesOfDay(quiet.from);
  const to = minutesOfDay(quiet.to);
  return from <= to ? now >= from && now < to : now >= from || now < to;
}

// A wall-clock time skipped by a spring-forward change has no instant; the first minute after the gap
// is the moment the clock jumps, which is when that time "arrives".
const firstInstantFrom = (date: LocalDate, minutes: number, zone: string): Date => {
  const instantOf = instantsOfDay(date, zone);
  for (let m = minutes; m <= DAY_MINUTES; m++) {
    const instant = instantOf(m);
    if (instant !== null) return instant;
  }
  return instantsOfDay(addDays(date, 1), zone)(0) as Date;
};

/**
 * `at` when a message may go then, else the end of the quiet hours in `zone`: the same local day when
 * before it, the next day when after `from`. Found through the local calendar, so right across DST changes.
 */
export function outOfQuietHours(at: Date, zone: string, quiet: QuietHours = QUIET_HOURS): Date {
  if (!isQuietTime(at, zone, quiet)) return at;
  const local = toLocal(at, zone);
  const to = minutesOfDay(quiet.to);
  const date = minutesOfDay(local.time) < to ? local.date : addDays(local.date, 1);
  return firstInstantFrom(date, to, zone);
}

/**
 * When to remind of a visit: the day before its local date at `localTime` (17:00), or now when that has
 * passed, kept out of quiet hours; null when that leaves less than `minLeadHours` (2) before the visit.
 */
export function reminderMoment(
  visitStart: Instant,
  zone: string,
  now: Date,
  options: { localTime?: LocalTime; minLeadHours?: number } = {},
): Date | null {
  const { localTime = '17:00', minLeadHours = 2 } = options;
  const visit = new Date(visitStart);
  if (Number.isNaN(visit.getTime())) {
    throw invalid('INVALID_INSTANT', `"${visitStart}" is not an ISO 8601 instant.`, 'visitStart');
  }
  const planned = firstInstantFrom(addDays(toLocal(visit, zone).date, -1), minutesOfDay(localTime), zone);
  const due = planned.getTime() < now.getTime() ? new Date(now.getTime()) : planned;
  const at = outOfQuietHours(due, zone);
  return visit.getTime() - at.getTime() >= minLeadHours * HOUR_MS ? at : null;
}
