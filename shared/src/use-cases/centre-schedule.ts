import { requireScheduleWithinProducts } from '../centre-status.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { Actor, Centre, CentreSchedule, LocalDate, LocalTime, Patient } from '../model.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { validateSchedule } from '../schedule.ts';
import { isValidLocalDate, isValidLocalTime, localToday, toLocal } from '../time-zone.ts';
import type { Deps } from './deps.ts';
import { dryRunDeps } from './dry-run.ts';
import {
  type Cancellable,
  type DayChange,
  type PublishSummary,
  publishSlotsForDay,
  republishAhead,
} from './publish-slots.ts';

export interface CancelledVisit {
  appointmentId: string;
  patientId: string;
  /** As the identity provider gave it; null for a person booked by text who has never logged in. */
  patientName: string | null;
  vaccineId: string;
  dose: number;
  /** Centre-local date and time of the visit. */
  date: LocalDate;
  time: LocalTime;
  reference: string;
  /** A later dose cancelled because an earlier dose of the same person is. */
  laterDose: boolean;
}

/** What a schedule change does to a centre's future slots and visits. */
export interface SchedulePreview {
  centreId: string;
  created: number;
  resized: number;
  removed: number;
  /** Each day the change touches, with its slot changes, places before and after, and visits cancelled. */
  days: DayChange[];
  cancellations: CancelledVisit[];
}

export interface ScheduleChangeResult extends SchedulePreview {
  schedule: CentreSchedule;
  cancelledAppointments: number;
}

const REASON_HOURS_CHANGED = 'The centre changed its opening hours.';

/** Saves the schedule and republishes the centre's days: the one path of a change, real or rehearsed. */
async function applySchedule(
  deps: Deps,
  actor: Actor,
  centreId: string,
  schedule: CentreSchedule,
  cancellable: Cancellable,
): Promise<{ centre: Centre; summary: PublishSummary }> {
  const centre = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    const updated = { ...found, schedule };
    tx.putCentre(updated);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'schedule.changed', now, actor, centreId, { centreId, schedule }));
    return updated;
  });
  const summary = await republishAhead(deps, centre, actor, REASON_HOURS_CHANGED, cancellable);
  return { centre, summary };
}

/** The visits cancelled by a publication, named for the manager, soonest first. */
async function nameCancelled(deps: Deps, centre: Centre, summary: PublishSummary): Promise<CancelledVisit[]> {
  const later = new Set(summary.cascaded);
  const patients = new Map<string, Patient | null>();
  const zones = new Map<string, string>([[centre.id, centre.timeZone]]);
  for (const appointment of summary.cancelled) {
    if (!patients.has(appointment.patientId)) {
      patients.set(appointment.patientId, await deps.store.getPatient(appointment.patientId));
    }
    if (!zones.has(appointment.centreId)) {
      const other = await deps.store.getCentre(appointment.centreId);
      zones.set(appointment.centreId, other?.timeZone ?? centre.timeZone);
    }
  }
  return [...summary.cancelled]
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.dose - b.dose))
    .map((appointment) => {
      const patient = patients.get(appointment.patientId) ?? null;
      const name = patient ? `${patient.givenName} ${patient.familyName}`.trim() : '';
      const local = toLocal(new Date(appointment.start), zones.get(appointment.centreId) ?? centre.timeZone);
      return {
        appointmentId: appointment.id,
        patientId: appointment.patientId,
        patientName: name === '' ? null : name,
        vaccineId: appointment.vaccineId,
        dose: appointment.dose,
        date: local.date,
        time: local.time,
        reference: appointment.reference,
        laterDose: later.has(appointment.id),
      };
    });
}

/** A schedule the manager may set: valid, and offering only the products the centre may give. */
async function checkChange(
  deps: Deps,
  principal: Principal,
  centreId: string,
  schedule: CentreSchedule,
): Promise<void> {
  requireCentreAccess(principal, centreId, 'manager');
  validateSchedule(
    schedule,
    deps.vaccines.map((v) => v.id),
  );
  const centre = await deps.store.getCentre(centreId);
  if (centre) requireScheduleWithinProducts(schedule, centre.vaccineIds);
}

/** Rehearses a change on the code that makes it, writing nothing, and names what it would do. */
async function rehearse(deps: Deps, actor: Actor, centreId: string, schedule: CentreSchedule) {
  const { centre, summary } = await applySchedule(dryRunDeps(deps), actor, centreId, schedule, 'all');
  return { centre, summary, cancellations: await nameCancelled(deps, centre, summary) };
}

const previewOf = (centreId: string, summary: PublishSummary, cancellations: CancelledVisit[]): SchedulePreview => ({
  centreId,
  created: summary.created,
  resized: summary.resized,
  removed: summary.removed,
  days: summary.days,
  cancellations,
});

/**
 * What replacing a centre's schedule would do, without doing it: slots added, resized and removed per
 * day, and the booked visits it would cancel, each named. Computed by running the change itself on a
 * store that commits nothing, so the change does exactly this unless bookings move in between.
 */
export async function previewScheduleChange(
  deps: Deps,
  principal: Principal,
  centreId: string,
  schedule: CentreSchedule,
): Promise<SchedulePreview> {
  await checkChange(deps, principal, centreId, schedule);
  const { summary, cancellations } = await rehearse(deps, actorOf(principal), centreId, schedule);
  return previewOf(centreId, summary, cancellations);
}

/**
 * Replaces a centre's schedule and regenerates its future free capacity. Booked visits stay where
 * they are unless their capacity disappears; then they are cancelled with a reason (and the patients
 * told, through the events) — only those the manager confirmed (`confirmed`: ids the preview named).
 * A change that would cancel any other visit is refused with CANCELLATIONS_NOT_CONFIRMED, listing
 * them, and writes nothing; a visit booked after that check keeps its place (its slot keeps room for it).
 */
export async function changeSchedule(
  deps: Deps,
  principal: Principal,
  centreId: string,
  schedule: CentreSchedule,
  confirmed: readonly string[] = [],
): Promise<ScheduleChangeResult> {
  await checkChange(deps, principal, centreId, schedule);
  const actor = actorOf(principal);
  const agreed = new Set(confirmed);
  const planned = await rehearse(deps, actor, centreId, schedule);
  const unconfirmed = planned.cancellations.filter((c) => !agreed.has(c.appointmentId));
  if (unconfirmed.length > 0) {
    throw conflict(
      'CANCELLATIONS_NOT_CONFIRMED',
      `This change would cancel ${unconfirmed.length} booked visit(s) not confirmed: confirm each by id, or keep the capacity they need.`,
      { cancellations: unconfirmed },
    );
  }
  const { centre, summary } = await applySchedule(deps, actor, centreId, schedule, agreed);
  const cancellations = await nameCancelled(deps, centre, summary);
  return {
    ...previewOf(centreId, summary, cancellations),
    schedule,
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
  /** The local time from which the day was closed; null when the whole day was. */
  from: LocalTime | null;
  cancelledAppointments: PublishSummary['cancelled'];
  /** The same visits named as a schedule preview names them (patient, local time, dose, reference). */
  cancellations: CancelledVisit[];
}

/** A schedule closed on a date from a local time on, or all day (`from` null); the earlier closing wins. */
function closeDay(schedule: CentreSchedule, date: LocalDate, from: LocalTime | null): CentreSchedule {
  if (from === null) return { ...schedule, closedDates: [...new Set([...schedule.closedDates, date])].sort() };
  const others = (schedule.closedFrom ?? []).filter((c) => c.date !== date);
  const earlier = (schedule.closedFrom ?? []).find((c) => c.date === date && c.from <= from);
  const closedFrom = [...others, earlier ?? { date, from }].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { ...schedule, closedFrom };
}

/**
 * Closes a centre for a day, or for the rest of it from a local time (`from`): the date joins the
 * closed dates (or the early closings, `closedFrom`, when a time is given), and every visit still to
 * come in what is closed is cancelled with the reason, so that the patients can be told and offered
 * other slots. Visits before `from`, and any patient already checked in, keep their places.
 */
export async function cancelCentreDay(
  deps: Deps,
  principal: Principal,
  centreId: string,
  date: LocalDate,
  reason: string,
  from: LocalTime | null = null,
): Promise<CancelDayResult> {
  requireCentreAccess(principal, centreId, 'manager');
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', 'date must be a date (YYYY-MM-DD).', 'date');
  if (from !== null && !isValidLocalTime(from)) {
    throw invalid('INVALID_TIME', 'from must be a local time HH:MM between 00:00 and 23:59.', 'from');
  }
  if (!reason || reason.trim().length < 3) {
    throw invalid('REASON_REQUIRED', 'Say why the day is cancelled; patients will be told.', 'reason');
  }
  const actor = actorOf(principal);
  const centre = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const found = await tx.getCentre(centreId);
    if (!found) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
    if (date < localToday(now, found.timeZone)) throw conflict('DAY_IN_PAST', 'This day is already over.');
    const closed = { ...found, schedule: closeDay(found.schedule, date, from) };
    tx.putCentre(closed);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'centre.day_cancelled', now, actor, centreId, {
        centreId,
        date,
        reason: reason.trim(),
        ...(from === null ? {} : { from }),
      }),
    );
    return closed;
  });
  // The patients are told the centre's own words; who cancelled is in the cancellation's `by`.
  const summary = await publishSlotsForDay(deps, centreId, date, actor, reason.trim(), 'day_cancelled');
  const cancellations = await nameCancelled(deps, centre, summary);
  return { centreId, date, from, cancelledAppointments: summary.cancelled, cancellations };
}
