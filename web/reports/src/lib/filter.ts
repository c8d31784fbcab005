import type { ReportFilter } from '@ereg/shared';

/*
 * The dashboard's filter as the address keeps it (`?from=2026-01-01&to=2026-01-28&voivodeship=14&
 * ageBand=80%2B&vaccineId=comirnaty`), so that a view can be shared by its link. Dates left out of the
 * address are the last four weeks up to today, as the country's calendar has it.
 */

/** The days the dashboard shows when the address names none: four weeks, today the last. */
export const DEFAULT_DAYS = 28;

/** The country's time zone: "today" for the dashboard is the date in Warsaw. */
const ZONE = 'Europe/Warsaw';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in Poland (`YYYY-MM-DD`), whatever the reader's own zone. */
export function todayInPoland(now: Date): string {
  // The Canadian English format is the ISO date.
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

/** A calendar date `days` later (earlier when negative). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T12:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Whether a text is a real calendar date `YYYY-MM-DD` (not 2026-02-30). */
export function isDate(text: string): boolean {
  return DATE.test(text) && new Date(`${text}T12:00:00Z`).toISOString().slice(0, 10) === text;
}

/** The filter an address asks for: what it names, the last four weeks for the dates it does not. */
export function filterOf(search: URLSearchParams, now: Date): ReportFilter {
  const to = search.get('to') || todayInPoland(now);
  const from =
    search.get('from') || (isDate(to) ? addDays(to, 1 - DEFAULT_DAYS) : addDays(todayInPoland(now), 1 - DEFAULT_DAYS));
  return {
    from,
    to,
    voivodeship: search.get('voivodeship') || null,
    ageBand: search.get('ageBand') || null,
    vaccineId: search.get('vaccineId') || null,
  };
}

/** The query of a filter for the address and the API: what is set, in a fixed order. */
export function queryOf(filter: ReportFilter): string {
  const params = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.voivodeship) params.set('voivodeship', filter.voivodeship);
  if (filter.ageBand) params.set('ageBand', filter.ageBand);
  if (filter.vaccineId) params.set('vaccineId', filter.vaccineId);
  return params.toString();
}

/** The longest period a report covers (the API's limit), in days counting both ends. */
export const MAX_DAYS = 366;

/** Days from one date to another (negative when the second is earlier). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

/**
 * What is wrong with a filter's dates as typed, by field: missing, not a date, the end before the start,
 * or a period longer than a report covers.
 */
export type FilterProblem = 'required' | 'invalid' | 'beforeFrom' | 'tooLong';

export function checkDates(from: string, to: string): Partial<Record<'from' | 'to', FilterProblem>> {
  const problems: Partial<Record<'from' | 'to', FilterProblem>> = {};
  if (!from) problems.from = 'required';
  else if (!isDate(from)) problems.from = 'invalid';
  if (!to) problems.to = 'required';
  else if (!isDate(to)) problems.to = 'invalid';
  if (problems.from || problems.to) return problems;
  if (daysBetween(from, to) < 0) problems.to = 'beforeFrom';
  else if (daysBetween(from, to) >= MAX_DAYS) problems.from = 'tooLong';
  return problems;
}
