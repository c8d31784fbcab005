import { makeEvent } from '../events.ts';
import type { Actor, Centre, LocalDate } from '../model.ts';
import { addDays, localToday } from '../time-zone.ts';
import type { Deps } from './deps.ts';
import { endVisitWithoutDose } from './record-vaccination.ts';

/** How long after a centre's last slot of the day ends its day is closed (late patients, the desk's last recordings). */
export const DAY_CLOSE_GRACE_MINUTES = 60;

const CLOSER: Actor = { role: 'system', id: 'day-closer' };

export interface DayCloseSummary {
  centres: number;
  /** Centre-days closed by this run. */
  days: number;
  noShows: number;
}

/** The record that a centre's day was closed, kept with the idempotency records (a week): closing twice does nothing. */
const closedKey = (centreId: string, date: LocalDate) => `day-closed:${centreId}:${date}`;

/**
 * Closes every centre's day that is over (its last slot ended `DAY_CLOSE_GRACE_MINUTES` ago, or the day
 * has passed): each visit still only booked — the person never checked in — becomes a no-show, and
 * the later doses booked after it are cancelled, each in its own transaction; then one
 * `centre.day_closed` event counts them. Visits checked in but not recorded are left for the desk
 * and counted. Run every quarter of an hour; a run cut short is finished by the next.
 */
export async function closeDueDays(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
): Promise<DayCloseSummary> {
  const centres = await deps.store.listCentres();
  const summary: DayCloseSummary = { centres: centres.length, days: 0, noShows: 0 };
  let done = 0;
  for (const centre of centres) {
    const today = localToday(deps.clock.now(), centre.timeZone);
    for (const date of [addDays(today, -1), today]) {
      const closed = await closeDayIfOver(deps, centre, date);
      if (closed !== null) {
        summary.days++;
        summary.noShows += closed;
      }
    }
    onProgress?.(++done, centres.length);
  }
  return summary;
}

/** Closes one centre-day when it is over and not yet closed; answers the no-shows marked, or null when it was left. */
async function closeDayIfOver(deps: Deps, centre: Centre, date: LocalDate): Promise<number | null> {
  const slots = await deps.store.listSlotsOfCentreDay(centre.id, date);
  if (slots.length === 0) return null;
  const lastEnd = Math.max(...slots.map((s) => Date.parse(s.end)));
  if (deps.clock.now().getTime() < lastEnd + DAY_CLOSE_GRACE_MINUTES * 60_000) return null;
  const key = closedKey(centre.id, date);
  if (await deps.store.runInTransaction((tx) => tx.getIdempotency(key))) return null;

  const visits = await deps.store.listAppointmentsOfCentreDay(centre.id, date);
  let noShows = 0;
  for (const visit of visits) {
    if (visit.status !== 'booked' || visit.checkedInAt) continue;
    const marked = await deps.store.runInTransaction(async (tx) => {
      // Read again: the desk may have checked the person in since the list was read.
      const current = await tx.getAppointment(visit.id);
      if (current?.status !== 'booked' || current.checkedInAt) return false;
      await endVisitWithoutDose(deps, tx, current, { status: 'no_show', automatic: true }, CLOSER, deps.clock.now());
      return true;
    });
    if (marked) noShows++;
  }
  // Counted from the day as it now stands: a run cut short before the event is finished by the next.
  const after = await deps.store.listAppointmentsOfCentreDay(centre.id, date);
  const counts = {
    noShows: after.filter((v) => v.status === 'no_show').length,
    checkedInNotRecorded: after.filter((v) => v.status === 'booked' && v.checkedInAt).length,
  };
  const first = await deps.store.runInTransaction(async (tx) => {
    if (await tx.getIdempotency(key)) return false;
    const now = deps.clock.now();
    tx.putIdempotency({ key, requestHash: 'day-closed', response: counts, createdAt: now.toISOString() });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'centre.day_closed', now, CLOSER, centre.id, {
        centreId: centre.id,
        date,
        ...counts,
      }),
    );
    return true;
  });
  return first ? noShows : null;
}
