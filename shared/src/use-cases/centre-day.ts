import { parseBookingReference } from '../booking-reference.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent, visitFactsOf } from '../events.ts';
import type { Appointment, LocalDate, Patient, Slot } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { isValidLocalDate, localToday, toLocalStart } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';
import { cancelOne } from './manage-appointments.ts';

export interface DayListEntry {
  appointmentId: string;
  /** The booking's reference, which the patient shows (and its QR code) at the desk. */
  reference: string;
  localStart: string;
  status: Appointment['status'];
  vaccineId: string;
  dose: number;
  checkedInAt: string | null;
  /**
   * Set when the visit was booked by text message: the phone that booked proves nothing about who the
   * person is, so the centre checks their identity document before vaccinating.
   */
  identityCheck: { channel: 'sms'; bookedByPhone: string } | null;
  patient: Pick<Patient, 'id' | 'pesel' | 'givenName' | 'familyName' | 'birthDate' | 'phone'>;
}

export interface DayList {
  centreId: string;
  date: LocalDate;
  slots: Array<Slot & { localStart: string }>;
  appointments: DayListEntry[];
}

/** The centre's day: its slots and the people expected. Reading the names is audited per patient. */
export async function getCentreDay(
  deps: Deps,
  principal: Principal,
  centreId: string,
  date: LocalDate,
): Promise<DayList> {
  requireCentreAccess(principal, centreId);
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', 'date must be a date (YYYY-MM-DD).', 'date');
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  const slots = await deps.store.listSlotsOfCentreDay(centreId, date);
  const appointments = (await deps.store.listAppointmentsOfCentreDay(centreId, date)).filter(
    (a) => a.status !== 'cancelled',
  );
  const actor = actorOf(principal);
  const patients = await deps.store.runInTransaction(async (tx) => {
    const found = new Map<string, Patient>();
    for (const a of appointments) {
      const patient = found.get(a.patientId) ?? (await tx.getPatient(a.patientId));
      if (patient) found.set(patient.id, patient);
    }
    for (const patientId of found.keys()) audit(deps, tx, actor, patientId, 'day-list', `day list ${date}`);
    return found;
  });
  const localStart = (instant: string) => toLocalStart(instant, centre.timeZone);
  return {
    centreId,
    date,
    slots: slots.map((s) => ({ ...s, localStart: localStart(s.start) })),
    appointments: appointments.map((a) => dayListEntry(a, patients.get(a.patientId), localStart(a.start))),
  };
}

/** A visit as the centre's desk sees it: when, what, its state, and whom to expect. */
function dayListEntry(a: Appointment, p: Patient | undefined, localStart: string): DayListEntry {
  return {
    appointmentId: a.id,
    reference: a.reference,
    localStart,
    status: a.status,
    vaccineId: a.vaccineId,
    dose: a.dose,
    checkedInAt: a.checkedInAt,
    identityCheck: a.unverifiedBooking
      ? { channel: a.unverifiedBooking.channel, bookedByPhone: a.unverifiedBooking.phone }
      : null,
    patient: {
      id: a.patientId,
      pesel: p?.pesel ?? '',
      givenName: p?.givenName ?? '',
      familyName: p?.familyName ?? '',
      birthDate: p?.birthDate ?? '',
      phone: p?.phone ?? null,
    },
  };
}

/**
 * The visits at this centre booked under a reference a patient shows or reads out (typed in any case,
 * with spaces or dashes, or scanned from its QR code), soonest first, for check-in. Visits at other
 * centres stay hidden: a reference found elsewhere answers as one not found here. Audited.
 */
export async function findVisitsByReference(
  deps: Deps,
  principal: Principal,
  centreId: string,
  typed: string,
): Promise<{ centreId: string; reference: string; appointments: DayListEntry[] }> {
  requireCentreAccess(principal, centreId);
  const reference = parseBookingReference(typed, 'reference');
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  const here = (await deps.store.listAppointmentsByReference(reference)).filter((a) => a.centreId === centreId);
  if (here.length === 0) {
    throw notFound('REFERENCE_NOT_FOUND', `No visit at this centre is booked under ${reference}.`, 'reference');
  }
  const patientId = (here[0] as Appointment).patientId;
  const patient = await deps.store.runInTransaction(async (tx) => {
    const found = await tx.getPatient(patientId);
    audit(deps, tx, actorOf(principal), patientId, 'find-by-reference', `booking reference ${reference}`);
    return found;
  });
  const localStart = (instant: string) => toLocalStart(instant, centre.timeZone);
  return {
    centreId,
    reference,
    appointments: here.map((a) => dayListEntry(a, patient ?? undefined, localStart(a.start))),
  };
}

/**
 * Reads a booked appointment of the caller's centre inside a transaction. A visit moves only so:
 * booked → checked in (on its day) → completed or no-show; booked → no-show once it has started;
 * booked → cancelled. Completed, cancelled and no-show visits change no more.
 */
async function centreAppointment(
  tx: Transaction,
  principal: Principal,
  centreId: string,
  appointmentId: string,
): Promise<Appointment> {
  requireCentreAccess(principal, centreId);
  const appointment = await tx.getAppointment(appointmentId);
  if (!appointment || appointment.centreId !== centreId) {
    throw notFound('APPOINTMENT_NOT_FOUND', 'There is no such appointment at this centre.', 'appointmentId');
  }
  if (appointment.status !== 'booked') {
    throw conflict('NOT_BOOKED', `This visit is already ${appointment.status.replace('_', '-')}.`);
  }
  return appointment;
}

/** Runs a change of one visit of a centre as a unit of work, once the visit is loaded and the caller's access checked. */
function changeCentreVisit<T>(
  deps: Deps,
  principal: Principal,
  centreId: string,
  appointmentId: string,
  change: (tx: Transaction, appointment: Appointment, now: Date) => Promise<T>,
): Promise<T> {
  return deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    return change(tx, await centreAppointment(tx, principal, centreId, appointmentId), now);
  });
}

/** Marks the patient as arrived (on the day of the visit). */
export async function checkIn(
  deps: Deps,
  principal: Principal,
  centreId: string,
  appointmentId: string,
): Promise<Appointment> {
  return changeCentreVisit(deps, principal, centreId, appointmentId, async (tx, appointment, now) => {
    const centre = await tx.getCentre(centreId);
    if (appointment.localDate !== localToday(now, centre?.timeZone ?? deps.settings.timeZone)) {
      throw conflict('NOT_TODAY', 'Patients can only be checked in on the day of their visit.');
    }
    if (appointment.checkedInAt) return appointment;
    const updated = { ...appointment, checkedInAt: now.toISOString(), updatedAt: now.toISOString() };
    tx.putAppointment(updated);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'appointment.checked_in', now, actorOf(principal), appointment.id, {
        appointmentId: appointment.id,
        patientId: appointment.patientId,
        centreId,
      }),
    );
    audit(deps, tx, actorOf(principal), appointment.patientId, 'check-in', 'centre visit');
    return updated;
  });
}

export interface CompletionInput {
  appointmentId: string;
  vaccineId: string;
  lot: string;
  /** When the dose was given; defaults to now. */
  at?: string | undefined;
}

const LOT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/;

/** How far ahead of the server's clock a device's clock may run. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Records a completed vaccination: which product, which lot, who gave it and when. The patient must
 * have been checked in; the time given lies between the check-in and now (one minute of clock slack).
 */
export async function completeVaccination(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: CompletionInput,
): Promise<Appointment> {
  if (!LOT_PATTERN.test(input.lot)) {
    throw invalid('INVALID_LOT', 'The lot number is 2–30 letters, digits or dashes, as printed on the vial.', 'lot');
  }
  return changeCentreVisit(deps, principal, centreId, input.appointmentId, async (tx, appointment, now) => {
    const at = input.at ? new Date(input.at) : now;
    if (Number.isNaN(at.getTime())) throw invalid('INVALID_INSTANT', 'at must be an ISO 8601 instant.', 'at');
    if (at.getTime() > now.getTime() + CLOCK_SLACK_MS)
      throw invalid('IN_FUTURE', 'A vaccination cannot be recorded ahead of time.', 'at');
    if (input.vaccineId !== appointment.vaccineId) {
      throw invalid(
        'VACCINE_MISMATCH',
        `This visit is for ${appointment.vaccineId}; record the product booked.`,
        'vaccineId',
      );
    }
    const centre = await tx.getCentre(centreId);
    if (appointment.localDate > localToday(now, centre?.timeZone ?? deps.settings.timeZone)) {
      throw conflict('NOT_YET_DUE', 'This visit is on a later day.');
    }
    if (!appointment.checkedInAt) {
      throw conflict('NOT_CHECKED_IN', 'Check the patient in before recording the vaccination.');
    }
    if (at.getTime() < new Date(appointment.checkedInAt).getTime()) {
      throw invalid(
        'BEFORE_CHECK_IN',
        `at must not be earlier than the patient's check-in (${appointment.checkedInAt}).`,
        'at',
      );
    }
    const actor = actorOf(principal);
    const updated: Appointment = {
      ...appointment,
      status: 'completed',
      version: appointment.version + 1,
      updatedAt: now.toISOString(),
      completion: { vaccineId: input.vaccineId, lot: input.lot, by: actor, at: at.toISOString() },
    };
    tx.putAppointment(updated);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'appointment.completed', now, actor, appointment.id, {
        ...visitFactsOf(appointment),
        vaccineId: input.vaccineId,
        lot: input.lot,
        at: at.toISOString(),
      }),
    );
    audit(deps, tx, actor, appointment.patientId, 'complete', 'centre visit');
    return updated;
  });
}

/**
 * Marks a visit whose time has passed as missed. Later doses booked after it are cancelled: a later
 * dose needs the earlier one given or booked.
 */
export async function markNoShow(
  deps: Deps,
  principal: Principal,
  centreId: string,
  appointmentId: string,
): Promise<Appointment> {
  return changeCentreVisit(deps, principal, centreId, appointmentId, async (tx, appointment, now) => {
    if (appointment.start > now.toISOString()) throw conflict('NOT_YET_DUE', 'This visit has not started yet.');
    const later = (await tx.listAppointmentsOfPatient(appointment.patientId)).filter(
      (a) => a.status === 'booked' && a.dose > appointment.dose,
    );
    const slots = new Map<string, Slot>();
    for (const a of later) {
      const slot = await tx.getSlot(a.slotId);
      if (slot) slots.set(slot.id, slot);
    }
    const actor = actorOf(principal);
    const updated: Appointment = {
      ...appointment,
      status: 'no_show',
      version: appointment.version + 1,
      updatedAt: now.toISOString(),
    };
    tx.putAppointment(updated);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'appointment.no_show', now, actor, appointment.id, visitFactsOf(appointment)),
    );
    for (const a of later)
      cancelOne(deps, tx, a, slots, `Dose ${appointment.dose} was missed.`, actor, now, true, 'dose_missed');
    for (const slot of slots.values()) tx.putSlot(slot);
    audit(deps, tx, actor, appointment.patientId, 'no-show', 'centre visit');
    return updated;
  });
}
