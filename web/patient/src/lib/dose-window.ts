import type { AppointmentView, Vaccine } from '@ereg/shared';
import { localDateOf } from './local-date.ts';

const DAY_MS = 86_400_000;

/**
 * The dates a visit may move to: from today, and for a later dose of a course within the vaccine's
 * interval after the dose before it (the API checks the exact instants; this only narrows the search).
 */
export function doseWindow(
  visit: AppointmentView,
  visits: readonly AppointmentView[],
  vaccines: readonly Vaccine[],
  today: string,
): { from: string; to?: string } {
  const vaccine = vaccines.find((v) => v.id === visit.vaccineId);
  const previous = visits.find((v) => v.dose === visit.dose - 1 && (v.status === 'booked' || v.status === 'completed'));
  if (!vaccine || !previous || visit.dose > vaccine.doses) return { from: today };
  const at = Date.parse(previous.start);
  const earliest = localDateOf(new Date(at + vaccine.minIntervalDays * DAY_MS));
  const latest = localDateOf(new Date(at + vaccine.maxIntervalDays * DAY_MS));
  const from = earliest > today ? earliest : today;
  return latest >= from ? { from, to: latest } : { from };
}
