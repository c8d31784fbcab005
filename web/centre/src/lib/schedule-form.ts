import type { CentreSchedule, LocalDate, LocalTime, Weekday } from '@ereg/shared';

/** The week as the form lists it, Monday first (the domain's WEEKDAYS; only types come from shared/). */
export const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The API's limits, checked here too so that a mistake is named before anything is sent. */
export const SLOT_MINUTES = { min: 5, max: 240 } as const;
export const MAX_CAPACITY = 500;
export const MAX_RANGES_PER_DAY = 6;

export interface HoursRow {
  /** Stable across edits, for React's lists. */
  key: string;
  from: string;
  to: string;
}

export interface DateRow {
  key: string;
  date: string;
}

export interface ExtraHoursRow extends HoursRow {
  date: string;
}

/** The schedule as the manager edits it: what they typed, as typed, until it is checked and sent. */
export interface ScheduleForm {
  days: Record<Weekday, HoursRow[]>;
  slotMinutes: string;
  /** Places per slot, per product of the catalogue. */
  capacity: Record<string, string>;
  closedDates: DateRow[];
  extraHours: ExtraHoursRow[];
  /** Days closed early (by closing the rest of a day): not edited here, sent back as they were. */
  closedFrom: Array<{ date: LocalDate; from: LocalTime }>;
}

/** What is wrong with a field of the form, for its message. */
export type FormProblem = 'required' | 'order' | 'overlap' | 'slotLength' | 'capacity' | 'noCapacity';

/** A field of the form by the path the API names it (`weekly.days.mon.0.to`, `closedDates.2`), and what is wrong. */
export type FormProblems = ReadonlyMap<string, FormProblem>;

let rows = 0;
/** A key for a new row of the form. */
export const newRowKey = (): string => `row-${++rows}`;

/** The form for a saved schedule: every weekday (closed ones empty) and every product of the catalogue. */
export function formOf(
  schedule: CentreSchedule,
  productIds: readonly string[],
  newKey: () => string = newRowKey,
): ScheduleForm {
  const days = Object.fromEntries(
    WEEK.map((day) => [day, (schedule.weekly.days[day] ?? []).map((r) => ({ key: newKey(), from: r.from, to: r.to }))]),
  ) as Record<Weekday, HoursRow[]>;
  const ids = [...new Set([...productIds, ...Object.keys(schedule.weekly.capacity)])];
  return {
    days,
    slotMinutes: String(schedule.weekly.slotMinutes),
    capacity: Object.fromEntries(ids.map((id) => [id, String(schedule.weekly.capacity[id] ?? 0)])),
    closedDates: schedule.closedDates.map((date) => ({ key: newKey(), date })),
    extraHours: schedule.extraHours.map((e) => ({ key: newKey(), date: e.date, from: e.from, to: e.to })),
    closedFrom: [...(schedule.closedFrom ?? [])],
  };
}

/** `08:00:00` (a time input with seconds) → `08:00`. */
const hhmm = (time: string): string => time.trim().slice(0, 5);

const wholeNumber = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);

/**
 * The schedule the API takes for a form, row for row in the form's order, so that a field the API
 * names (`extraHours.1.from`) is the form's row. A product with no places is left out (it has no slots
 * either way). Check the form first: an unfilled number here becomes NaN, which the API refuses.
 */
export function scheduleOf(form: ScheduleForm): CentreSchedule {
  const days: CentreSchedule['weekly']['days'] = {};
  for (const day of WEEK) {
    const ranges = form.days[day];
    if (ranges.length > 0) days[day] = ranges.map((r) => ({ from: hhmm(r.from), to: hhmm(r.to) }));
  }
  const capacity: Record<string, number> = {};
  for (const [id, places] of Object.entries(form.capacity)) {
    const value = wholeNumber(places) ?? Number.NaN;
    if (value !== 0) capacity[id] = value;
  }
  return {
    weekly: { days, slotMinutes: wholeNumber(form.slotMinutes) ?? Number.NaN, capacity },
    closedDates: form.closedDates.map((row) => row.date),
    extraHours: form.extraHours.map((row) => ({ date: row.date, from: hhmm(row.from), to: hhmm(row.to) })),
    ...(form.closedFrom.length > 0 ? { closedFrom: form.closedFrom } : {}),
  };
}

const minutes = (time: string): number | null => {
  const match = /^(\d{2}):(\d{2})/.exec(time.trim());
  if (!match) return null;
  const value = Number(match[1]) * 60 + Number(match[2]);
  return value <= 24 * 60 ? value : null;
};

/** Checks a range's two times: filled in, and closing after opening. */
function checkRange(
  problems: Map<string, FormProblem>,
  path: string,
  row: HoursRow,
): { from: number; to: number } | null {
  const from = minutes(row.from);
  const to = minutes(row.to);
  if (from === null) problems.set(`${path}.from`, 'required');
  if (to === null) problems.set(`${path}.to`, 'required');
  if (from === null || to === null) return null;
  if (to <= from) {
    problems.set(`${path}.to`, 'order');
    return null;
  }
  return { from, to };
}

/** Marks the later of two ranges that overlap (as the API does: its opening time). */
function checkOverlaps(problems: Map<string, FormProblem>, ranges: Array<{ path: string; from: number; to: number }>) {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous && current && current.from < previous.to) problems.set(`${current.path}.from`, 'overlap');
  }
}

/**
 * What must be fixed before the form can be sent, by the API's path of each field: times filled in and
 * in order, a day's hours not overlapping, the slot length and places whole numbers in the API's
 * bounds, some product with places when the centre opens at all, every date filled in.
 */
export function checkScheduleForm(form: ScheduleForm): FormProblems {
  const problems = new Map<string, FormProblem>();
  let open = form.extraHours.length > 0;
  for (const day of WEEK) {
    const checked: Array<{ path: string; from: number; to: number }> = [];
    form.days[day].forEach((row, i) => {
      const path = `weekly.days.${day}.${i}`;
      const range = checkRange(problems, path, row);
      if (range) checked.push({ path, ...range });
      open = true;
    });
    checkOverlaps(problems, checked);
  }
  const slot = wholeNumber(form.slotMinutes);
  if (slot === null || slot < SLOT_MINUTES.min || slot > SLOT_MINUTES.max) {
    problems.set('weekly.slotMinutes', 'slotLength');
  }
  let anyPlaces = false;
  for (const [id, text] of Object.entries(form.capacity)) {
    const places = wholeNumber(text);
    if (places === null || places > MAX_CAPACITY) problems.set(`weekly.capacity.${id}`, 'capacity');
    else if (places > 0) anyPlaces = true;
  }
  if (open && !anyPlaces && ![...problems.keys()].some((p) => p.startsWith('weekly.capacity.'))) {
    problems.set('weekly.capacity', 'noCapacity');
  }
  form.closedDates.forEach((row, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date)) problems.set(`closedDates.${i}`, 'required');
  });
  const extras = new Map<string, Array<{ path: string; from: number; to: number }>>();
  form.extraHours.forEach((row, i) => {
    const path = `extraHours.${i}`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date)) problems.set(`${path}.date`, 'required');
    const range = checkRange(problems, path, row);
    if (range) extras.set(row.date, [...(extras.get(row.date) ?? []), { path, ...range }]);
  });
  for (const ranges of extras.values()) checkOverlaps(problems, ranges);
  return problems;
}

/**
 * The form's path of a field the API names: the domain's `schedule.weekly.days.mon[0].to` and the
 * request schema's `weekly.days.mon.0.to` both become `weekly.days.mon.0.to`; null for none.
 */
export function scheduleFieldPath(field: string | undefined): string | null {
  if (!field) return null;
  const path = field
    .replace(/^schedule\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\./, '');
  return path === '' ? null : path;
}

/** The products whose places per slot the form lowers, with the places before and after. */
export function loweredCapacity(
  saved: CentreSchedule,
  edited: CentreSchedule,
): Array<{ productId: string; before: number; after: number }> {
  return Object.entries(saved.weekly.capacity)
    .map(([productId, before]) => ({ productId, before, after: edited.weekly.capacity[productId] ?? 0 }))
    .filter((change) => change.after < change.before);
}

/** Whether two schedules are the same (what the preview was of, and what the form holds now). */
export const sameSchedule = (a: CentreSchedule, b: CentreSchedule): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The schedule with a day closed: all of it, or from a local time on (the rest of it). */
export function withDayClosed(schedule: CentreSchedule, date: LocalDate, from: LocalTime | null): CentreSchedule {
  if (from === null) {
    return { ...schedule, closedDates: [...new Set([...schedule.closedDates, date])].sort() };
  }
  // As the API does: an earlier closing of that day stays.
  const others = (schedule.closedFrom ?? []).filter((c) => c.date !== date);
  const earlier = (schedule.closedFrom ?? []).find((c) => c.date === date && c.from <= from);
  return { ...schedule, closedFrom: [...others, earlier ?? { date, from }] };
}
