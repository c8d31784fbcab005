import type { DayList } from '@ereg/shared';

export type Visit = DayList['appointments'][number];

/** What the desk sees of a visit: booked, here (checked in, not yet vaccinated), vaccinated, not given, or missed. */
export type VisitState = 'booked' | 'checkedIn' | 'vaccinated' | 'notGiven' | 'noShow';

export function visitState(visit: Pick<Visit, 'status' | 'checkedInAt'>): VisitState {
  if (visit.status === 'completed') return 'vaccinated';
  if (visit.status === 'no_show') return 'noShow';
  if (visit.status === 'not_given') return 'notGiven';
  return visit.checkedInAt ? 'checkedIn' : 'booked';
}

/** The newer of two copies of a visit (by when it last changed); the first on a tie. */
export const newer = <V extends Pick<Visit, 'updatedAt'>>(a: V, b: V): V => (b.updatedAt > a.updatedAt ? b : a);

/**
 * The day's visits after an answer of the day list: a whole day replaces what was held; the visits
 * changed since the last answer (`since`) are merged in by id, the newer copy kept, and a visit
 * cancelled meanwhile leaves the list.
 */
export function mergeDay(
  held: readonly Visit[],
  answer: { appointments: readonly Visit[]; complete: boolean },
): Visit[] {
  if (answer.complete) return [...answer.appointments];
  const byId = new Map(held.map((v) => [v.appointmentId, v]));
  for (const changed of answer.appointments) {
    const before = byId.get(changed.appointmentId);
    const kept = before ? newer(before, changed) : changed;
    if (kept.status === 'cancelled') byId.delete(changed.appointmentId);
    else byId.set(changed.appointmentId, kept);
  }
  return [...byId.values()];
}

export interface DayCounters {
  /** Every visit of the day (cancelled ones are not on the list). */
  expected: number;
  /** Those who came: checked in, vaccinated or not yet. */
  checkedIn: number;
  vaccinated: number;
  /** Still to vaccinate: booked, here or not yet come. */
  left: number;
}

/** The counters at the top of the day. */
export function countDay(visits: ReadonlyArray<Pick<Visit, 'status' | 'checkedInAt'>>): DayCounters {
  const counters: DayCounters = { expected: 0, checkedIn: 0, vaccinated: 0, left: 0 };
  for (const visit of visits) {
    counters.expected += 1;
    if (visit.checkedInAt) counters.checkedIn += 1;
    if (visit.status === 'completed') counters.vaccinated += 1;
    if (visit.status === 'booked') counters.left += 1;
  }
  return counters;
}

/** Folds case and diacritics away ("Łukasz" → "lukasz"), so a quick search finds names however typed. */
const folded = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();

/**
 * The visits matching what was typed in the list's search: every word must be found in the name,
 * the PESEL or the booking reference (spaces and dashes in a reference are ignored). Empty finds all.
 */
export function filterVisits<V extends Pick<Visit, 'reference' | 'patient'>>(visits: readonly V[], query: string): V[] {
  const words = folded(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...visits];
  const compactQuery = folded(query).replace(/[\s-]/g, '');
  return visits.filter((v) => {
    const name = folded(`${v.patient.givenName} ${v.patient.familyName}`);
    const reference = v.reference.toLowerCase();
    if (compactQuery.length >= 4 && reference.includes(compactQuery)) return true;
    return words.every((w) => name.includes(w) || v.patient.pesel.startsWith(w) || reference.startsWith(w));
  });
}

/** Visits in the order of the day: by time, then by name. */
export const byTime = (a: Visit, b: Visit): number =>
  a.localStart.localeCompare(b.localStart) || a.patient.familyName.localeCompare(b.patient.familyName, 'pl');

/** The `HH:MM` of a centre-local `YYYY-MM-DDTHH:MM`. */
export const clockOf = (localStart: string): string => localStart.slice(11, 16);

/** The calendar date (`YYYY-MM-DD`) at `now` on the wall clock of `timeZone`. */
export function todayIn(timeZone: string, now: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The date `days` after (or before) a `YYYY-MM-DD` date. */
export function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export const isLocalDate = (text: string | null): text is string =>
  text !== null && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T12:00:00Z`));
