import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { CentreSchedule, LocalDate } from '../model.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { validateSchedule } from '../schedule.ts';
import { isValidLocalDate, localToday } from '../time-zone.ts';
import type { Deps } from './deps.ts';
import { type PublishSummary, publishSlotsForDay, republishAhead } from './publish-slots.ts';

export interface ScheduleChangeResult {
  centreId: string;
  schedule: CentreSchedule;
  created: number;
  resized: number;
  removed: number;
  cancelledAppointments: number;
}

/**
 * Replaces a centre's schedule and regenerates its future free capacity. Booked visits stay where
 * they are unless their capacity disappears, in which case they are cancelled with a reason (and
 * the patients told, through the events).
 */
export async function changeSchedule(
  deps: Deps,
  principal: Principal,
  centreId: string,
  schedule: CentreSchedule,
): Promise<ScheduleChangeResult> {
  requireCentreAccess(principal, centreId, 'manager');
  validateSchedule(
    schedule,
    deps.vaccines.map((v) => v.id),
  );
  const actor = actorOf(principal);
  const centre = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    const updated = { ...found, schedule };
    tx.putCentre(updated);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'schedule.changed', now, actor, centreId, { centreId, schedule }));
    return updated;
  });
  const summary = await republishAhead(deps, centre, actor, 'The centre changed its opening hours.');
  return {
    centreId,
    schedule,
    created: summary.created,
    resized: summary.resized,
    removed: summary.removed,
    cancelledAppointments: summary.cancelled.length,
  };
}

/** A centre's current schedule, for its staff. */
export async function getSchedule(deps: Deps, principal: Principal, centreId: string): Promise<CentreSchedule> {
  requireCentreAccess(principal, centreId);
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  return centre.schedule;
}

export interface CancelDayResult {
  centreId: string;
  date: LocalDate;
  cancelledAppointments: PublishSummary['cancelled'];
}

/**
 * Closes a centre for a day: the date joins the closed dates and every visit still to come that day
 * is cancelled with the reason, so that the patients can be told and offered other slots.
 */
export async function cancelCentreDay(
  deps: Deps,
  principal: Principal,
  centreId: string,
  date: LocalDate,
  reason: string,
): Promise<CancelDayResult> {
  requireCentreAccess(principal, centreId, 'manager');
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', 'date must be a date (YYYY-MM-DD).', 'date');
  if (!reason || reason.trim().length < 3) {
    throw invalid('REASON_REQUIRED', 'Say why the day is cancelled; patients will be told.', 'reason');
  }
  const actor = actorOf(principal);
  await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const centre = await tx.getCentre(centreId);
    if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    if (date < localToday(now, centre.timeZone)) throw conflict('DAY_IN_PAST', 'This day is already over.');
    const closedDates = [...new Set([...centre.schedule.closedDates, date])].sort();
    tx.putCentre({ ...centre, schedule: { ...centre.schedule, closedDates } });
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'centre.day_cancelled', now, actor, centreId, {
        centreId,
        date,
        reason: reason.trim(),
      }),
    );
  });
  // The patients are told the centre's own words; who cancelled is in the cancellation's `by`.
  const summary = await publishSlotsForDay(deps, centreId, date, actor, reason.trim(), 'day_cancelled');
  return { centreId, date, cancelledAppointments: summary.cancelled };
}
