import { parseBookingReference } from '../booking-reference.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { Appointment, AppointmentStatus, LocalDate, Patient, Slot } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { isValidLocalDate, localToday, toLocalStart } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';

export interface DayListEntry {
  appointmentId: string;
  /** The booking's reference, which the patient shows (and its QR code) at the desk. */
  reference: string;
  localStart: string;
  status: Appointment['status'];
  vaccineId: string;
  dose: number;
  checkedInAt: string | null;
  /** The vaccination as recorded (for a completed visit), which the desk may correct. */
  completion: Appointment['completion'];
  /** The recordings a correction replaced, oldest first, with who corrected and why: a desk shows a record was corrected. */
  corrections: NonNullable<Appointment['corrections']>;
  /** Why the dose was not given (for a not-given visit). */
  notGiven: Appointment['notGiven'] | null;
  /** When the visit last changed: a screen keeps the newest of two copies. */
  updatedAt: string;
  /**
   * Set when the visit was booked by text message (`sms`: the phone that booked proves nothing about who
   * the person is), or for a person a hotline agent registered from a call who has not logged in since
   * (`phone`: the number they gave): the centre checks their identity document before vaccinating.
   */
  identityCheck: { channel: 'sms' | 'phone'; bookedByPhone: string } | null;
  patient: Pick<Patient, 'id' | 'pesel' | 'givenName' | 'familyName' | 'birthDate' | 'phone'>;
}

export interface DayList {
  centreId: string;
  date: LocalDate;
  slots: Array<Slot & { localStart: string }>;
  /**
   * The day's visits; cancelled ones are left out of a whole list. Asked `since`, only the visits
   * changed since then, cancelled ones included, for a screen to merge into the list it holds.
   */
  appointments: DayListEntry[];
  /** The server's time of the answer: what the next `since` should be. */
  asOf: string;
  /** Whether `appointments` is the whole day (no `since` asked). */
  complete: boolean;
}

/**
 * How far before `since` changes are sent again: the instances that wrote them may read their clocks a
 * little apart, and a screen merges a visit sent twice by its id.
 */
export const DAY_LIST_OVERLAP_MS = 5_000;

/**
 * The centre's day: its slots and the people expected. Reading the names is audited per patient, and
 * a screen that keeps the list current asks only for the visits changed `since` its last answer, so
 * an idle day costs no audit records however often it is asked.
 */
export async function getCentreDay(
  deps: Deps,
  principal: Principal,
  centreId: string,
  date: LocalDate,
  since?: string,
): Promise<DayList> {
  requireCentreAccess(principal, centreId);
  if (!isValidLocalDate(date)) throw invalid('INVALID_DATE', 'date must be a date (YYYY-MM-DD).', 'date');
  const sinceMs = since === undefined ? null : Date.parse(since);
  if (sinceMs !== null && Number.isNaN(sinceMs)) {
    throw invalid('INVALID_INSTANT', 'since must be an ISO 8601 instant (the asOf of an earlier answer).', 'since');
  }
  const asOf = deps.clock.now().toISOString();
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  const slots = await deps.store.listSlotsOfCentreDay(centreId, date);
  const appointments = (await deps.store.listAppointmentsOfCentreDay(centreId, date)).filter((a) =>
    sinceMs === null ? a.status !== 'cancelled' : Date.parse(a.updatedAt) > sinceMs - DAY_LIST_OVERLAP_MS,
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
    asOf,
    complete: sinceMs === null,
  };
}

/** Why the desk checks the person's identity document, if it must. */
function identityCheckOf(a: Appointment, p: Patient | undefined): DayListEntry['identityCheck'] {
  if (a.unverifiedBooking) return { channel: a.unverifiedBooking.channel, bookedByPhone: a.unverifiedBooking.phone };
  if (p?.registeredBy === 'phone') return { channel: 'phone', bookedByPhone: p.phone ?? p.landline ?? '' };
  return null;
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
    completion: a.completion,
    corrections: a.corrections ?? [],
    notGiven: a.notGiven ?? null,
    updatedAt: a.updatedAt,
    identityCheck: identityCheckOf(a, p),
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
 * Reads an appointment of the caller's centre inside a transaction, in the state a change needs
 * (`booked` unless said otherwise). A visit moves only so: booked → checked in (on its day) →
 * completed, not given or no-show; booked → no-show once it has started; booked → cancelled. A
 * completed visit's recording can be corrected; cancelled, not-given and no-show visits change no more.
 */
async function centreAppointment(
  tx: Transaction,
  principal: Principal,
  centreId: string,
  appointmentId: string,
  status: AppointmentStatus,
): Promise<Appointment> {
  requireCentreAccess(principal, centreId);
  const appointment = await tx.getAppointment(appointmentId);
  if (!appointment || appointment.centreId !== centreId) {
    throw notFound('APPOINTMENT_NOT_FOUND', 'There is no such appointment at this centre.', 'appointmentId');
  }
  if (appointment.status !== status) {
    const now = appointment.status.replace('_', '-');
    throw status === 'booked'
      ? conflict('NOT_BOOKED', `This visit is already ${now}.`)
      : conflict('NOT_COMPLETED', `Only a recorded vaccination can be corrected; this visit is ${now}.`);
  }
  return appointment;
}

/** How a desk's request is made safe to send again: its key, and what it asked (a key reused for another request is refused). */
export interface DeskRequest {
  idempotencyKey?: string | null | undefined;
  /** What the request asks, in a stable form: the same key with another ask is refused. */
  asked: string;
}

/**
 * Runs a change of one visit of a centre as a unit of work, once the visit is loaded and the caller's
 * access checked. With an idempotency key (a device's queued request sent again after a lost answer),
 * a request already done answers as it did the first time instead of failing on the visit's new state.
 */
export function changeCentreVisit<T>(
  deps: Deps,
  principal: Principal,
  centreId: string,
  appointmentId: string,
  change: (tx: Transaction, appointment: Appointment, now: Date) => Promise<T>,
  options: { status?: AppointmentStatus; request?: DeskRequest } = {},
): Promise<T> {
  const key = options.request?.idempotencyKey
    ? `centre:${actorOf(principal).id}:${options.request.idempotencyKey}`
    : null;
  const asked = `${centreId}|${appointmentId}|${options.request?.asked ?? ''}`;
  return deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    if (key) {
      requireCentreAccess(principal, centreId);
      const previous = await tx.getIdempotency(key);
      if (previous) {
        if (previous.requestHash !== asked) {
          throw conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');
        }
        return previous.response as T;
      }
    }
    const appointment = await centreAppointment(tx, principal, centreId, appointmentId, options.status ?? 'booked');
    const result = await change(tx, appointment, now);
    if (key) tx.putIdempotency({ key, requestHash: asked, response: result, createdAt: now.toISOString() });
    return result;
  });
}

/** How far ahead of the server's clock a device's clock may run. */
export const CLOCK_SLACK_MS = 60_000;

/**
 * Marks the patient as arrived, on the day of the visit. `at`: when they arrived, for a check-in made
 * on a device without a network and sent later (that day's date at the centre, never ahead of the clock).
 */
export async function checkIn(
  deps: Deps,
  principal: Principal,
  centreId: string,
  appointmentId: string,
  request: DeskRequest & { at?: string | undefined } = { asked: 'check-in' },
): Promise<Appointment> {
  const at = request.at === undefined ? null : new Date(request.at);
  if (at && Number.isNaN(at.getTime())) throw invalid('INVALID_INSTANT', 'at must be an ISO 8601 instant.', 'at');
  return changeCentreVisit(
    deps,
    principal,
    centreId,
    appointmentId,
    async (tx, appointment, now) => {
      const centre = await tx.getCentre(centreId);
      const arrived = at ?? now;
      if (arrived.getTime() > now.getTime() + CLOCK_SLACK_MS) {
        throw invalid('IN_FUTURE', 'A check-in cannot be recorded ahead of time.', 'at');
      }
      if (appointment.localDate !== localToday(arrived, centre?.timeZone ?? deps.settings.timeZone)) {
        throw conflict('NOT_TODAY', 'Patients can only be checked in on the day of their visit.');
      }
      if (appointment.checkedInAt) return appointment;
      const updated = { ...appointment, checkedInAt: arrived.toISOString(), updatedAt: now.toISOString() };
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
    },
    { request: { idempotencyKey: request.idempotencyKey, asked: `${request.asked}|${request.at ?? ''}` } },
  );
}
