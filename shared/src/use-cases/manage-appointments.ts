import { requireBookableCentre } from '../centre-status.ts';
import { conflict, DomainError, forbidden, notFound } from '../errors.ts';
import { type CancellationCode, makeEvent, placeOf, visitFactsOf } from '../events.ts';
import type { Appointment, Centre, Slot } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, isCentrePrincipal, type Principal, requireCentreAccess, requireRole } from '../principal.ts';
import { doseWindow, findVaccine, isWithinWindow, planNextDose } from '../vaccines.ts';
import { withAlternatives } from './book-appointment.ts';
import { type AppointmentView, audit, channelOf, type Deps, viewAppointment } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

/**
 * Staff reach a patient's appointment only when it is at their own centre; agents only after looking
 * the patient up.
 */
async function requireAppointmentAccess(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  appointment: Appointment,
  reason: string | undefined,
): Promise<string> {
  const why = requirePatientAccess(principal, appointment.patientId, reason);
  if (isCentrePrincipal(principal)) requireCentreAccess(principal, appointment.centreId);
  await requireLookUp(deps, tx, principal, appointment.patientId);
  return why;
}

/** A visit the caller may change, still booked; answers it with the reason its access is recorded under. */
async function bookedAppointment(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  input: { appointmentId: string; reason?: string | undefined },
  refusal: 'NOT_CANCELLABLE' | 'NOT_RESCHEDULABLE',
  change: 'cancelled' | 'moved',
): Promise<{ appointment: Appointment; why: string }> {
  const appointment = await tx.getAppointment(input.appointmentId);
  if (!appointment) throw notFound('APPOINTMENT_NOT_FOUND', 'There is no such appointment.', 'appointmentId');
  const why = await requireAppointmentAccess(deps, tx, principal, appointment, input.reason);
  if (appointment.status !== 'booked') {
    throw conflict(refusal, `This visit is ${appointment.status.replace('_', '-')} and cannot be ${change}.`);
  }
  return { appointment, why };
}

async function centreOf(deps: Deps, centreId: string): Promise<Centre> {
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'The centre no longer exists.');
  return centre;
}

/** Builds views for appointments, reading each centre once. */
export async function viewAppointments(deps: Deps, appointments: readonly Appointment[]): Promise<AppointmentView[]> {
  const centres = new Map<string, Centre>();
  const views: AppointmentView[] = [];
  for (const appointment of appointments) {
    let centre = centres.get(appointment.centreId);
    if (!centre) {
      centre = await centreOf(deps, appointment.centreId);
      centres.set(centre.id, centre);
    }
    views.push(viewAppointment(appointment, centre));
  }
  return views;
}

/**
 * Lists a patient's visits, soonest first; a read by an agent or staff member is audited. Staff see
 * only the visits at their own centre, and nothing of a patient who has none there; agents need a
 * recent look-up of the patient.
 */
export async function listAppointments(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<AppointmentView[]> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const why = requirePatientAccess(principal, patientId, reason);
  const appointments = await deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const patient = await tx.getPatient(patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
    const all = await tx.listAppointmentsOfPatient(patientId);
    const found = isCentrePrincipal(principal) ? all.filter((a) => a.centreId === principal.centreId) : all;
    if (isCentrePrincipal(principal) && found.length === 0) {
      throw forbidden('CENTRE_FORBIDDEN', 'This person has no visit at your vaccination centre.');
    }
    audit(deps, tx, actorOf(principal), patientId, 'list-appointments', why);
    return found;
  });
  return viewAppointments(deps, appointments);
}

/** Shows one visit to whoever may see it. */
export async function getAppointment(
  deps: Deps,
  principal: Principal,
  appointmentId: string,
  reason?: string,
): Promise<AppointmentView> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const appointment = await deps.store.runInTransaction(async (tx) => {
    const found = await tx.getAppointment(appointmentId);
    if (!found) throw notFound('APPOINTMENT_NOT_FOUND', 'There is no such appointment.', 'appointmentId');
    const why = await requireAppointmentAccess(deps, tx, principal, found, reason);
    audit(deps, tx, actorOf(principal), found.patientId, 'read-appointment', why);
    return found;
  });
  const [view] = await viewAppointments(deps, [appointment]);
  return view as AppointmentView;
}

export interface CancelInput {
  appointmentId: string;
  reason?: string | undefined;
}

/**
 * Cancels a booked visit and the later doses booked after it (a later dose needs the earlier one),
 * freeing their places.
 */
export async function cancelAppointment(
  deps: Deps,
  principal: Principal,
  input: CancelInput,
): Promise<AppointmentView[]> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const actor = actorOf(principal);
  const cancelled = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    const { appointment, why } = await bookedAppointment(deps, tx, principal, input, 'NOT_CANCELLABLE', 'cancelled');
    const history = await tx.listAppointmentsOfPatient(appointment.patientId);
    const affected = history.filter(
      (a) => a.id === appointment.id || (a.status === 'booked' && a.dose > appointment.dose),
    );
    const slots = new Map<string, Slot>();
    for (const a of affected) {
      const slot = slots.get(a.slotId) ?? (await tx.getSlot(a.slotId));
      if (slot) slots.set(slot.id, slot);
    }
    const reason = input.reason?.trim() || `cancelled by ${actor.role}`;
    const result: Appointment[] = [];
    for (const a of affected) {
      result.push(cancelOne(deps, tx, a, slots, reason, actor, now, a.id !== appointment.id, 'requested'));
    }
    for (const slot of slots.values()) tx.putSlot(slot);
    audit(deps, tx, actor, appointment.patientId, 'cancel', why);
    return result;
  });
  deps.telemetry?.cancelled(channelOf(actor), 1);
  return viewAppointments(deps, cancelled);
}

/**
 * Cancels one appointment inside a transaction: frees its place in the (already read) slot and
 * writes the event. The caller writes the slots once all are adjusted.
 */
export function cancelOne(
  deps: Deps,
  tx: Transaction,
  appointment: Appointment,
  slots: Map<string, Slot>,
  reason: string,
  actor: Appointment['bookedBy'],
  now: Date,
  cascade: boolean,
  code: CancellationCode,
): Appointment {
  const at = now.toISOString();
  const slot = slots.get(appointment.slotId);
  if (slot) slots.set(slot.id, { ...slot, booked: Math.max(0, slot.booked - 1) });
  const updated: Appointment = {
    ...appointment,
    status: 'cancelled',
    version: appointment.version + 1,
    updatedAt: at,
    cancellation: { reason, code, by: actor, at },
  };
  tx.putAppointment(updated);
  tx.addEvent(
    makeEvent(deps.ids.next('evt'), 'appointment.cancelled', now, actor, appointment.id, {
      ...visitFactsOf(appointment),
      bookingId: appointment.bookingId,
      version: updated.version,
      reason,
      reasonCode: code,
      cascade,
    }),
  );
  return updated;
}

export interface RescheduleInput {
  appointmentId: string;
  slotId: string;
  reason?: string | undefined;
}

/**
 * Moves a booked visit to another slot: the old place is released and the new one taken in one
 * transaction (with the next dose, when the new date would push it out of its interval).
 */
export async function rescheduleAppointment(
  deps: Deps,
  principal: Principal,
  input: RescheduleInput,
): Promise<AppointmentView[]> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const actor = actorOf(principal);
  const moved = await deps.store
    .runInTransaction(async (tx) => {
      const now = deps.clock.now();
      const { appointment, why } = await bookedAppointment(deps, tx, principal, input, 'NOT_RESCHEDULABLE', 'moved');
      if (appointment.slotId === input.slotId) throw conflict('SAME_SLOT', 'The visit is already in this slot.');
      const target = await tx.getSlot(input.slotId);
      if (!target) throw notFound('SLOT_NOT_FOUND', 'There is no such slot.', 'slotId');
      if (isCentrePrincipal(principal)) requireCentreAccess(principal, target.centreId);
      const targetCentre = await tx.getCentre(target.centreId);
      if (targetCentre) requireBookableCentre(targetCentre);
      const moves = await planMove(deps, tx, appointment, target, now);
      const result = moves.map((move) => moveAppointment(deps, tx, move, actor, now));
      audit(deps, tx, actor, appointment.patientId, 'reschedule', why);
      return result;
    })
    .catch(async (error: unknown) => {
      // As when booking: a slot taken meanwhile (or fought over) is answered with the next free ones.
      if (error instanceof DomainError && (error.code === 'SLOT_FULL' || error.code === 'CONTENDED')) {
        const taken =
          error.code === 'SLOT_FULL'
            ? error
            : conflict(
                'SLOT_BUSY',
                'Many people are booking this slot right now. Pick another, or try again in a moment.',
              );
        throw await withAlternatives(deps, taken, input.slotId);
      }
      throw error;
    });
  return viewAppointments(deps, moved);
}

/** One visit's move: from its slot (null when gone) to another. */
export interface VisitMove {
  appointment: Appointment;
  from: Slot | null;
  to: Slot;
}

/**
 * Checks, inside a transaction, that a booked visit may move to a slot (same product, not begun,
 * inside its dose's interval, room left) and finds where the course's next dose goes when the new date
 * pushes it out of its interval: the earliest free slot of its centre inside the new one. Reads only;
 * answers the moves to write (`writeMove`), the visit's first.
 */
export async function planMove(
  deps: Deps,
  tx: Transaction,
  appointment: Appointment,
  target: Slot,
  now: Date,
): Promise<VisitMove[]> {
  const current = await tx.getSlot(appointment.slotId);
  const history = await tx.listAppointmentsOfPatient(appointment.patientId);

  if (target.vaccineId !== appointment.vaccineId) {
    throw conflict('WRONG_VACCINE_FOR_DOSE', 'A visit can only move to a slot with the same vaccine.', {
      vaccineIds: [appointment.vaccineId],
    });
  }
  if (target.start <= now.toISOString()) throw conflict('SLOT_IN_PAST', 'This slot has already started.');
  const before = history.filter((a) => a.dose < appointment.dose);
  const window = planNextDose(before, deps.vaccines);
  if (!isWithinWindow(target.start, window)) {
    throw conflict('OUTSIDE_DOSE_INTERVAL', `Dose ${appointment.dose} must be given between the dates shown.`, {
      dose: appointment.dose,
      earliest: window.earliest,
      latest: window.latest,
    });
  }
  const later = history.find((a) => a.status === 'booked' && a.dose === appointment.dose + 1);
  const vaccine = findVaccine(deps.vaccines, appointment.vaccineId);
  // A later primary dose that would fall outside the interval moves with this one, to the earliest
  // free slot of its centre inside the new interval; if there is none, nothing moves.
  let laterMove: VisitMove | null = null;
  if (later && later.dose <= vaccine.doses) {
    const window = doseWindow(vaccine, target.start);
    if (!isWithinWindow(later.start, window)) {
      const [free] = await tx.findFreeSlots({
        centreId: later.centreId,
        vaccineIds: [later.vaccineId],
        from: window.earliest ?? target.end,
        to: window.latest ? new Date(Date.parse(window.latest) + 1).toISOString() : null,
        limit: 2,
      });
      if (!free || free.id === target.id) {
        throw conflict(
          'NEXT_DOSE_OUT_OF_INTERVAL',
          `Dose ${later.dose} could not be moved to fit the new date; choose another date or move dose ${later.dose} first.`,
          { nextAppointmentId: later.id },
        );
      }
      laterMove = { appointment: later, from: await tx.getSlot(later.slotId), to: free };
    }
  }
  if (target.booked >= target.capacity) throw conflict('SLOT_FULL', 'This slot has just been taken.');
  const moves: VisitMove[] = [{ appointment, from: current, to: target }];
  if (laterMove) moves.push(laterMove);
  return moves;
}

/** Releases the old place, takes the new one and records the move. */
export function moveAppointment(
  deps: Deps,
  tx: Transaction,
  move: { appointment: Appointment; from: Slot | null; to: Slot },
  actor: Appointment['bookedBy'],
  now: Date,
): Appointment {
  const { appointment, from, to } = move;
  if (from) tx.putSlot({ ...from, booked: Math.max(0, from.booked - 1) });
  tx.putSlot({ ...to, booked: to.booked + 1 });
  // A visit booked by text that the person moves themselves is theirs from then on: its messages no
  // longer go to the phone that booked it (which must not learn the new time).
  const { unverifiedBooking: _, ...rest } = appointment;
  const updated: Appointment = {
    ...(actor.role === 'patient' ? rest : appointment),
    slotId: to.id,
    centreId: to.centreId,
    start: to.start,
    localDate: to.localDate,
    version: appointment.version + 1,
    updatedAt: now.toISOString(),
  };
  tx.putAppointment(updated);
  tx.addEvent(
    makeEvent(deps.ids.next('evt'), 'appointment.rescheduled', now, actor, appointment.id, {
      appointmentId: appointment.id,
      bookingId: appointment.bookingId,
      patientId: appointment.patientId,
      vaccineId: appointment.vaccineId,
      dose: appointment.dose,
      version: updated.version,
      from: placeOf(appointment),
      to: placeOf(updated),
    }),
  );
  return updated;
}
