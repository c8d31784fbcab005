import { invalid } from './errors.ts';
import { isPolishPublicHoliday } from './holidays.ts';
import type { Centre, CentreSchedule, Instant, LocalDate, Slot, TimeRange, Weekday } from './model.ts';
import { WEEKDAYS } from './model.ts';
import {
  addDays,
  daysBetween,
  formatMinutes,
  instantsOfDay,
  isValidLocalDate,
  isValidLocalTime,
  minutesOfDay,
  weekdayOf,
} from './time-zone.ts';

/** A slot as the schedule defines it, before anyone books it. */
export type PlannedSlot = Omit<Slot, 'booked'>;

/** What must be written to bring one centre-day's stored slots in line with its schedule. */
export interface SlotChanges {
  create: PlannedSlot[];
  resize: Array<{ slotId: string; capacity: number }>;
  /** Same start, new end: the slot length changed but the slot (and its bookings) can stay. */
  retime: Array<{ slotId: string; end: Instant }>;
  remove: string[];
  /** Bookings beyond what a resized or removed slot can hold; the caller cancels `excess` of them. */
  overbooked: Array<{ slotId: string; excess: number }>;
}

const MINUTE_MS = 60_000;
const MIN_SLOT_MINUTES = 5;
const MAX_SLOT_MINUTES = 240;
const MAX_CAPACITY = 500;

const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/**
 * Document id of a slot, unique per centre, vaccine and start; UTC so that it is the same whatever
 * zone reads it. `/` is refused because ids are used as document ids.
 */
export const slotId = (centreId: string, vaccineId: string, start: Date): string => {
  checkIdPart(centreId, 'centreId');
  checkIdPart(vaccineId, 'vaccineId');
  if (Number.isNaN(start.getTime())) throw invalid('INVALID_INSTANT', 'The slot start is not a valid date.', 'start');
  return `${centreId}_${vaccineId}_${utcStamp(start.toISOString())}`;
};

const checkIdPart = (id: string, field: string): void => {
  if (id.includes('/'))
    throw invalid('INVALID_ID', `"${id}" must not contain "/", as it becomes part of a document id.`, field);
};

/** `2026-03-29T06:00:00.000Z` → `20260329T0600Z`. */
const utcStamp = (iso: string): string =>
  `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;

interface MinuteRange {
  from: number;
  to: number;
}

// Touching ranges are joined too, so that 08:00–12:00 plus extra 12:00–14:00 yields slots straight
// through instead of a slot boundary forced at 12:00.
const mergeRanges = (ranges: MinuteRange[]): MinuteRange[] => {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: MinuteRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
};

const openingMinutes = (schedule: CentreSchedule, date: LocalDate): MinuteRange[] => {
  if (schedule.closedDates.includes(date)) return [];
  const ranges: MinuteRange[] = [];
  // Centres are in Poland: a public holiday closes the weekly hours, and only hours added for that very
  // date open the centre on it.
  const weekly = isPolishPublicHoliday(date) ? [] : (schedule.weekly.days[weekdayOf(date)] ?? []);
  for (const range of weekly) {
    ranges.push({ from: minutesOfDay(range.from), to: minutesOfDay(range.to) });
  }
  for (const extra of schedule.extraHours) {
    if (extra.date === date) ranges.push({ from: minutesOfDay(extra.from), to: minutesOfDay(extra.to) });
  }
  return mergeRanges(ranges.filter((r) => r.from < r.to));
};

/** The minute of the day from which the centre is closed that day (its earliest early closing), or null. */
const closingMinute = (schedule: CentreSchedule, date: LocalDate): number | null => {
  let earliest: number | null = null;
  for (const closing of schedule.closedFrom ?? []) {
    if (closing.date !== date) continue;
    const minute = minutesOfDay(closing.from);
    if (earliest === null || minute < earliest) earliest = minute;
  }
  return earliest;
};

/**
 * The hours a centre is open on a local date: the weekly template plus that date's extra hours, sorted
 * with overlapping or touching ranges merged; on a public holiday only the extra hours; nothing on a
 * closed date, which wins over extra hours; cut at the time it closes early that day, if it does.
 */
export const openingHours = (schedule: CentreSchedule, date: LocalDate): TimeRange[] => {
  const closing = closingMinute(schedule, date) ?? Number.POSITIVE_INFINITY;
  return openingMinutes(schedule, date)
    .filter((r) => r.from < closing)
    .map((r) => ({ from: formatMinutes(r.from), to: formatMinutes(Math.min(r.to, closing)) }));
};

/**
 * Every bookable slot of a centre for local dates `fromDate`…`toDate` inclusive, in the centre's zone, by
 * `openingHours` (so none on a public holiday the centre did not open on). Wall-clock starts that a DST
 * change skips get no slot; slots that do not fit before closing are dropped. On a day the centre closes
 * early, no slot begins at or after that time, and one that began before it keeps its length.
 */
export const generateSlots = (
  centre: Pick<Centre, 'id' | 'timeZone' | 'schedule'>,
  fromDate: LocalDate,
  toDate: LocalDate,
): PlannedSlot[] => {
  const { id: centreId, timeZone, schedule } = centre;
  const slotMinutes = schedule.weekly.slotMinutes;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0) {
    throw invalid(
      'INVALID_SLOT_LENGTH',
      'The slot length must be a positive whole number of minutes.',
      'schedule.weekly.slotMinutes',
    );
  }
  checkIdPart(centreId, 'centreId');
  const vaccines = Object.entries(schedule.weekly.capacity)
    .filter(([, capacity]) => capacity > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([vaccineId, capacity]) => {
      checkIdPart(vaccineId, 'vaccineId');
      return { vaccineId, capacity, idPrefix: `${centreId}_${vaccineId}_` };
    });
  const slots: PlannedSlot[] = [];
  if (vaccines.length === 0) return slots;

  let ordered = true;
  let previousStart = '';
  const days = daysBetween(fromDate, toDate);
  for (let i = 0; i <= days; i++) {
    const date = addDays(fromDate, i);
    const ranges = openingMinutes(schedule, date);
    if (ranges.length === 0) continue;
    const closing = closingMinute(schedule, date) ?? Number.POSITIVE_INFINITY;
    const instantOf = instantsOfDay(date, timeZone);
    for (const range of ranges) {
      for (let m = range.from; m + slotMinutes <= range.to && m < closing; m += slotMinutes) {
        const start = instantOf(m);
        if (start === null) continue;
        const startIso = start.toISOString();
        const endIso = new Date(start.getTime() + slotMinutes * MINUTE_MS).toISOString();
        const stamp = utcStamp(startIso);
        if (startIso <= previousStart) ordered = false;
        previousStart = startIso;
        for (const { vaccineId, capacity, idPrefix } of vaccines) {
          slots.push({
            id: idPrefix + stamp,
            centreId,
            vaccineId,
            start: startIso,
            end: endIso,
            localDate: date,
            capacity,
          });
        }
      }
    }
  }
  // Starts come out in instant order in real zones; the check guards exotic transitions where local
  // order and instant order could disagree, without paying for a sort every time.
  if (!ordered) slots.sort(byStartThenVaccine);
  return slots;
};

const byStartThenVaccine = (a: PlannedSlot, b: PlannedSlot): number =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.vaccineId < b.vaccineId ? -1 : a.vaccineId > b.vaccineId ? 1 : 0;

const checkRange = (range: TimeRange, path: string): MinuteRange => {
  if (!isValidLocalTime(range.from)) {
    throw invalid('INVALID_TIME', 'The opening time must be HH:MM between 00:00 and 23:59.', `${path}.from`);
  }
  if (!isValidLocalTime(range.to, { allowEndOfDay: true })) {
    throw invalid('INVALID_TIME', 'The closing time must be HH:MM between 00:00 and 24:00.', `${path}.to`);
  }
  const from = minutesOfDay(range.from);
  const to = minutesOfDay(range.to);
  if (from >= to) {
    throw invalid(
      'INVALID_RANGE',
      `The closing time ${range.to} must be later than the opening time ${range.from}.`,
      `${path}.to`,
    );
  }
  return { from, to };
};

const checkNoOverlap = (ranges: Array<MinuteRange & { path: string }>, on: string): void => {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (current.from < previous.to) {
      const show = (r: MinuteRange) => `${formatMinutes(r.from)}–${formatMinutes(r.to)}`;
      throw invalid(
        'OVERLAPPING_HOURS',
        `Opening hours ${show(current)} overlap ${show(previous)} on ${on}.`,
        `${current.path}.from`,
      );
    }
  }
};

/**
 * Refuses a schedule that cannot be turned into slots, naming the first offending field
 * (e.g. `schedule.weekly.days.mon[0].to`), so that admins fix it before any slot is generated.
 */
export const validateSchedule = (schedule: CentreSchedule, knownVaccineIds: readonly string[]): void => {
  const { weekly, closedDates, extraHours, closedFrom = [] } = schedule;
  let open = extraHours.length > 0;

  for (const [day, ranges] of Object.entries(weekly.days)) {
    const dayPath = `schedule.weekly.days.${day}`;
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      throw invalid('UNKNOWN_WEEKDAY', `"${day}" is not a weekday; use mon, tue, wed, thu, fri, sat or sun.`, dayPath);
    }
    if (ranges === undefined) continue;
    if (!Array.isArray(ranges)) {
      throw invalid('INVALID_RANGE', 'Opening hours of a day must be a list of time ranges.', dayPath);
    }
    const checked = ranges.map((range, i) => ({ ...checkRange(range, `${dayPath}[${i}]`), path: `${dayPath}[${i}]` }));
    checkNoOverlap(checked, WEEKDAY_NAMES[day as Weekday]);
    if (ranges.length > 0) open = true;
  }

  const { slotMinutes } = weekly;
  if (!Number.isInteger(slotMinutes) || slotMinutes < MIN_SLOT_MINUTES || slotMinutes > MAX_SLOT_MINUTES) {
    throw invalid(
      'INVALID_SLOT_LENGTH',
      `The slot length must be a whole number of minutes from ${MIN_SLOT_MINUTES} to ${MAX_SLOT_MINUTES}.`,
      'schedule.weekly.slotMinutes',
    );
  }

  let anyCapacity = false;
  for (const [vaccineId, capacity] of Object.entries(weekly.capacity)) {
    const path = `schedule.weekly.capacity.${vaccineId}`;
    if (!knownVaccineIds.includes(vaccineId)) {
      throw invalid('UNKNOWN_VACCINE', `There is no vaccine with id "${vaccineId}".`, path);
    }
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_CAPACITY) {
      throw invalid('INVALID_CAPACITY', `Capacity must be a whole number of people from 0 to ${MAX_CAPACITY}.`, path);
    }
    if (capacity > 0) anyCapacity = true;
  }
  if (open && !anyCapacity) {
    throw invalid(
      'NO_CAPACITY',
      'The centre has opening hours but no vaccine with capacity above 0, so nobody could book.',
      'schedule.weekly.capacity',
    );
  }

  closedDates.forEach((date, i) => {
    if (!isValidLocalDate(date)) {
      throw invalid(
        'INVALID_DATE',
        `"${date}" is not a calendar date in the form YYYY-MM-DD.`,
        `schedule.closedDates[${i}]`,
      );
    }
  });

  closedFrom.forEach((closing, i) => {
    const path = `schedule.closedFrom[${i}]`;
    if (!isValidLocalDate(closing.date)) {
      throw invalid('INVALID_DATE', `"${closing.date}" is not a calendar date in the form YYYY-MM-DD.`, `${path}.date`);
    }
    if (!isValidLocalTime(closing.from)) {
      throw invalid('INVALID_TIME', 'The closing time must be HH:MM between 00:00 and 23:59.', `${path}.from`);
    }
  });

  // Extra hours may overlap the weekly hours (they extend the day and are merged), but not each other.
  const extrasByDate = new Map<LocalDate, Array<MinuteRange & { path: string }>>();
  extraHours.forEach((extra, i) => {
    const path = `schedule.extraHours[${i}]`;
    if (!isValidLocalDate(extra.date)) {
      throw invalid('INVALID_DATE', `"${extra.date}" is not a calendar date in the form YYYY-MM-DD.`, `${path}.date`);
    }
    const range = { ...checkRange(extra, path), path };
    const sameDate = extrasByDate.get(extra.date);
    if (sameDate === undefined) extrasByDate.set(extra.date, [range]);
    else sameDate.push(range);
  });
  for (const [date, ranges] of extrasByDate) checkNoOverlap(ranges, date);
};

/**
 * Compares one centre-day's stored slots with freshly planned ones. Slots that lose room for their
 * bookings are listed as overbooked, so the caller cancels exactly that many and none are orphaned.
 */
export const planSlotChanges = (existing: readonly Slot[], planned: readonly PlannedSlot[]): SlotChanges => {
  const changes: SlotChanges = { create: [], resize: [], retime: [], remove: [], overbooked: [] };
  const existingById = new Map(existing.map((slot) => [slot.id, slot]));
  const plannedIds = new Set<string>();

  for (const slot of planned) {
    plannedIds.add(slot.id);
    const current = existingById.get(slot.id);
    if (current === undefined) {
      changes.create.push(slot);
      continue;
    }
    if (Date.parse(current.end) !== Date.parse(slot.end)) changes.retime.push({ slotId: slot.id, end: slot.end });
    if (current.capacity !== slot.capacity) {
      changes.resize.push({ slotId: slot.id, capacity: slot.capacity });
      if (current.booked > slot.capacity) {
        changes.overbooked.push({ slotId: slot.id, excess: current.booked - slot.capacity });
      }
    }
  }

  for (const slot of existing) {
    if (plannedIds.has(slot.id)) continue;
    changes.remove.push(slot.id);
    if (slot.booked > 0) changes.overbooked.push({ slotId: slot.id, excess: slot.booked });
  }
  return changes;
};
