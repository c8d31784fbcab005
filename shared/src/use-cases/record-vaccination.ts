import { conflict, invalid } from '../errors.ts';
import { makeEvent, visitFactsOf } from '../events.ts';
import type {
  Appointment,
  Completion,
  InjectionSite,
  NotGivenReason,
  Slot,
  StaffMember,
  VaccinationWarning,
  Vaccine,
} from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { findVaccine } from '../vaccines.ts';
import { CLOCK_SLACK_MS, changeCentreVisit, type DeskRequest } from './centre-day.ts';
import { takeDoseForVaccination } from './centre-stock.ts';
import { audit, type Deps } from './deps.ts';
import { cancelOne } from './manage-appointments.ts';

/** How far back a vaccination given but not yet recorded may be entered. */
const LATE_ENTRY_DAYS = 7;

const DAY_MS = 86_400_000;

/** What the desk records about a dose given. */
export interface VaccinationInput {
  vaccineId: string;
  /** The centre's batch the dose came from (active, of the product, usable on the day): its lot is recorded. */
  batchId: string;
  /** The dose number given; left out, the course's (`Appointment.dose`). */
  dose?: number | undefined;
  site: InjectionSite;
  /** When the dose was given; defaults to now. A later entry gives the date and time. */
  at?: string | undefined;
  /** Staff ids of the centre: who gave the dose (default: the one recording) and who was responsible (default: the vaccinator). */
  vaccinatorId?: string | undefined;
  responsibleId?: string | undefined;
}

export type CompletionInput = VaccinationInput & {
  appointmentId: string;
  idempotencyKey?: string | null | undefined;
};

/**
 * What a recording of a dose notes without refusing it: another product than the one booked or the
 * course's first dose, another dose number than the course's, or an interval since the previous dose
 * given outside the product's bounds.
 */
export function vaccinationWarnings(
  appointment: Appointment,
  given: { vaccineId: string; dose: number; at: string },
  history: readonly Appointment[],
  catalogue: readonly Vaccine[],
): VaccinationWarning[] {
  const warnings: VaccinationWarning[] = [];
  if (given.vaccineId !== appointment.vaccineId) warnings.push('PRODUCT_DIFFERS_FROM_BOOKING');
  if (given.dose !== appointment.dose) warnings.push('DOSE_DIFFERS_FROM_COURSE');
  const completed = history.filter((a) => a.id !== appointment.id && a.status === 'completed' && a.completion);
  const doseOf = (a: Appointment) => a.completion?.dose ?? a.dose;
  const first = completed.find((a) => doseOf(a) === 1);
  const vaccine = catalogue.find((v) => v.id === given.vaccineId);
  if (given.dose > 1 && first?.completion && first.completion.vaccineId !== given.vaccineId) {
    warnings.push('PRODUCT_DIFFERS_FROM_FIRST_DOSE');
  }
  const previous = completed.find((a) => doseOf(a) === given.dose - 1);
  // The interval bounds are the primary course's; a booster's are not checked here.
  if (previous?.completion && vaccine && given.dose <= vaccine.doses) {
    const days = Math.floor((Date.parse(given.at) - Date.parse(previous.completion.at)) / DAY_MS);
    if (days < vaccine.minIntervalDays) warnings.push('INTERVAL_TOO_SHORT');
    if (days > vaccine.maxIntervalDays) warnings.push('INTERVAL_TOO_LONG');
  }
  return warnings;
}

/** Checks a recording's fields that need nothing read; every refusal names its field. */
function checkVaccinationInput(deps: Deps, input: VaccinationInput): void {
  findVaccine(deps.vaccines, input.vaccineId);
  if (input.dose !== undefined && (!Number.isInteger(input.dose) || input.dose < 1 || input.dose > 10)) {
    throw invalid('INVALID_DOSE', 'dose is a whole number from 1 to 10.', 'dose');
  }
}

/**
 * When the dose was given: now, or an earlier time entered later (a first recording at most a week
 * back), never before the check-in, never ahead of the clock (one minute of slack for a device's clock).
 */
function givenAt(input: { at?: string | undefined }, appointment: Appointment, now: Date, correction = false): Date {
  const at = input.at ? new Date(input.at) : now;
  if (Number.isNaN(at.getTime())) throw invalid('INVALID_INSTANT', 'at must be an ISO 8601 instant.', 'at');
  if (at.getTime() > now.getTime() + CLOCK_SLACK_MS)
    throw invalid('IN_FUTURE', 'A vaccination cannot be recorded ahead of time.', 'at');
  if (!correction && at.getTime() < now.getTime() - LATE_ENTRY_DAYS * DAY_MS) {
    throw invalid('TOO_LATE', `A vaccination can be entered up to ${LATE_ENTRY_DAYS} days after it was given.`, 'at');
  }
  if (appointment.checkedInAt && at.getTime() < Date.parse(appointment.checkedInAt)) {
    throw invalid(
      'BEFORE_CHECK_IN',
      `at must not be earlier than the patient's check-in (${appointment.checkedInAt}).`,
      'at',
    );
  }
  return at;
}

/** A staff member of this centre named on a recording (who vaccinated, who was responsible). */
async function staffOfCentre(tx: Transaction, centreId: string, staffId: string, field: string): Promise<StaffMember> {
  const member = await tx.getStaff(staffId);
  if (!member || member.centreId !== centreId) {
    throw invalid('STAFF_NOT_AT_CENTRE', `${field} must be a staff member of this centre.`, field);
  }
  return member;
}

/**
 * The recording of a dose given at `at`, read and checked in the transaction: the staff it names
 * belong to this centre (who vaccinated defaults to the one recording, who was responsible to who
 * vaccinated), the dose number is the course's unless said, and the warnings come from the person's
 * other visits. Only reads: the caller writes.
 */
async function recordingOf(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  appointment: Appointment,
  input: VaccinationInput,
  at: Date,
  batch: { take: boolean; previous?: Pick<Completion, 'batchId' | 'lot'> },
): Promise<Completion> {
  const vaccinatorId = input.vaccinatorId ?? actorOf(principal).id;
  const responsibleId = input.responsibleId ?? vaccinatorId;
  await staffOfCentre(tx, appointment.centreId, vaccinatorId, 'vaccinatorId');
  if (responsibleId !== vaccinatorId) await staffOfCentre(tx, appointment.centreId, responsibleId, 'responsibleId');
  const history = await tx.listAppointmentsOfPatient(appointment.patientId);
  const centre = await tx.getCentre(appointment.centreId);
  const dose = input.dose ?? appointment.dose;
  const given = { vaccineId: input.vaccineId, dose, at: at.toISOString() };
  // The dose comes out of the batch's stock last: taking it is the unit's last read.
  const lot = batch.take
    ? (
        await takeDoseForVaccination(deps, tx, {
          centreId: appointment.centreId,
          batchId: input.batchId,
          vaccineId: input.vaccineId,
          localDate: localToday(at, centre?.timeZone ?? deps.settings.timeZone),
          actor: actorOf(principal),
        })
      ).batch.number
    : (batch.previous?.lot ?? '');
  return {
    vaccineId: input.vaccineId,
    lot,
    batchId: input.batchId,
    dose,
    site: input.site,
    vaccinatorId,
    responsibleId,
    warnings: vaccinationWarnings(appointment, given, history, deps.vaccines),
    by: actorOf(principal),
    at: given.at,
  };
}

/** What the events of a recording say: the visit, and the dose as recorded. */
function recordedFacts(appointment: Appointment, completion: Completion) {
  return {
    ...visitFactsOf(appointment),
    vaccineId: completion.vaccineId,
    lot: completion.lot,
    at: completion.at,
    ...(completion.batchId ? { batchId: completion.batchId } : {}),
    ...(completion.site ? { site: completion.site } : {}),
    ...(completion.dose !== undefined && completion.dose !== appointment.dose ? { doseGiven: completion.dose } : {}),
  };
}

/**
 * Records a dose given: the product (which may differ from the one booked), the lot, the dose number
 * (the course's unless said otherwise), the site, when, who vaccinated and who was responsible. The
 * patient must have been checked in. What looks wrong is kept as warnings, never refused.
 */
export async function completeVaccination(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: CompletionInput,
): Promise<Appointment> {
  checkVaccinationInput(deps, input);
  const asked = JSON.stringify(['complete', input.vaccineId, input.batchId, input.dose, input.site, input.at]);
  return changeCentreVisit(
    deps,
    principal,
    centreId,
    input.appointmentId,
    async (tx, appointment, now) => {
      const centre = await tx.getCentre(centreId);
      if (appointment.localDate > localToday(now, centre?.timeZone ?? deps.settings.timeZone)) {
        throw conflict('NOT_YET_DUE', 'This visit is on a later day.');
      }
      if (!appointment.checkedInAt) {
        throw conflict('NOT_CHECKED_IN', 'Check the patient in before recording the vaccination.');
      }
      const at = givenAt(input, appointment, now);
      const completion = await recordingOf(deps, tx, principal, appointment, input, at, { take: true });
      const updated: Appointment = {
        ...appointment,
        status: 'completed',
        version: appointment.version + 1,
        updatedAt: now.toISOString(),
        completion,
      };
      const warnings = completion.warnings ?? [];
      tx.putAppointment(updated);
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'appointment.completed', now, completion.by, appointment.id, {
          ...recordedFacts(appointment, completion),
          ...(warnings.length > 0 ? { warnings } : {}),
        }),
      );
      audit(deps, tx, completion.by, appointment.patientId, 'complete', 'centre visit');
      return updated;
    },
    { request: { idempotencyKey: input.idempotencyKey, asked } },
  );
}

/** Corrects a recorded vaccination; the recording as it was is kept, with who changed it and why. */
export async function correctVaccination(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: VaccinationInput & { appointmentId: string; reason: string; idempotencyKey?: string | null | undefined },
): Promise<Appointment> {
  checkVaccinationInput(deps, input);
  const reason = input.reason.trim();
  if (reason.length < 3) throw invalid('REASON_REQUIRED', 'Say what the correction puts right.', 'reason');
  const asked = JSON.stringify(['correct', input.vaccineId, input.batchId, input.dose, input.site, input.at, reason]);
  return changeCentreVisit(
    deps,
    principal,
    centreId,
    input.appointmentId,
    async (tx, appointment, now) => {
      const before = appointment.completion as Completion;
      // What the correction leaves out stays as it was recorded.
      const corrected: VaccinationInput = {
        ...input,
        dose: input.dose ?? before.dose,
        vaccinatorId: input.vaccinatorId ?? before.vaccinatorId,
        responsibleId: input.responsibleId ?? before.responsibleId,
      };
      const at = givenAt({ at: input.at ?? before.at }, appointment, now, true);
      // Another batch named gives its dose; the one first named keeps the dose it gave (no stock goes back).
      const sameBatch = before.batchId === input.batchId;
      const completion = await recordingOf(deps, tx, principal, appointment, corrected, at, {
        take: !sameBatch,
        previous: before,
      });
      const updated: Appointment = {
        ...appointment,
        version: appointment.version + 1,
        updatedAt: now.toISOString(),
        completion,
        corrections: [...(appointment.corrections ?? []), { before, reason, by: completion.by, at: now.toISOString() }],
      };
      tx.putAppointment(updated);
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'vaccination.corrected', now, completion.by, appointment.id, {
          ...recordedFacts(appointment, completion),
          ...(!sameBatch && before.batchId ? { previousBatchId: before.batchId } : {}),
        }),
      );
      audit(deps, tx, completion.by, appointment.patientId, 'correct-vaccination', reason);
      return updated;
    },
    { status: 'completed', request: { idempotencyKey: input.idempotencyKey, asked } },
  );
}

/**
 * Cancels the later doses booked after a visit that did not give its dose (missed, or not given): a
 * later dose needs the earlier one given. Reads first; call before any write of the transaction.
 */
async function laterDosesOf(
  tx: Transaction,
  appointment: Appointment,
): Promise<{ later: Appointment[]; slots: Map<string, Slot> }> {
  const later = (await tx.listAppointmentsOfPatient(appointment.patientId)).filter(
    (a) => a.status === 'booked' && a.dose > appointment.dose,
  );
  const slots = new Map<string, Slot>();
  for (const a of later) {
    const slot = await tx.getSlot(a.slotId);
    if (slot) slots.set(slot.id, slot);
  }
  return { later, slots };
}

/**
 * Ends a visit whose dose was not given — missed (`no_show`) or refused at the desk (`not_given`) —
 * and cancels the later doses booked after it. The reads come first, then the writes.
 */
export async function endVisitWithoutDose(
  deps: Deps,
  tx: Transaction,
  appointment: Appointment,
  outcome:
    | { status: 'no_show'; automatic: boolean }
    | { status: 'not_given'; reason: NotGivenReason; note: string | null },
  actor: Appointment['bookedBy'],
  now: Date,
): Promise<Appointment> {
  const { later, slots } = await laterDosesOf(tx, appointment);
  const base = { ...appointment, version: appointment.version + 1, updatedAt: now.toISOString() };
  const updated: Appointment =
    outcome.status === 'no_show'
      ? { ...base, status: 'no_show' }
      : {
          ...base,
          status: 'not_given',
          notGiven: { reason: outcome.reason, note: outcome.note, by: actor, at: now.toISOString() },
        };
  tx.putAppointment(updated);
  tx.addEvent(
    outcome.status === 'no_show'
      ? makeEvent(deps.ids.next('evt'), 'appointment.no_show', now, actor, appointment.id, {
          ...visitFactsOf(appointment),
          ...(outcome.automatic ? { automatic: true } : {}),
        })
      : makeEvent(deps.ids.next('evt'), 'appointment.not_given', now, actor, appointment.id, {
          ...visitFactsOf(appointment),
          reasonCode: outcome.reason,
        }),
  );
  const why = outcome.status === 'no_show' ? 'was missed' : 'was not given';
  for (const a of later)
    cancelOne(deps, tx, a, slots, `Dose ${appointment.dose} ${why}.`, actor, now, true, 'dose_missed');
  for (const slot of slots.values()) tx.putSlot(slot);
  return updated;
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
  request: DeskRequest = { asked: 'no-show' },
): Promise<Appointment> {
  return changeCentreVisit(
    deps,
    principal,
    centreId,
    appointmentId,
    async (tx, appointment, now) => {
      if (appointment.start > now.toISOString()) throw conflict('NOT_YET_DUE', 'This visit has not started yet.');
      const actor = actorOf(principal);
      const updated = await endVisitWithoutDose(
        deps,
        tx,
        appointment,
        { status: 'no_show', automatic: false },
        actor,
        now,
      );
      audit(deps, tx, actor, appointment.patientId, 'no-show', 'centre visit');
      return updated;
    },
    { request },
  );
}

/**
 * Records that a person who came was not vaccinated, and why (declined, contraindication, unwell, or
 * other with a note). Later doses booked after it are cancelled, so the person can book again.
 */
export async function markNotGiven(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: {
    appointmentId: string;
    reason: NotGivenReason;
    note?: string | undefined;
    idempotencyKey?: string | null | undefined;
  },
): Promise<Appointment> {
  const note = input.note?.trim() || null;
  if (input.reason === 'other' && (note === null || note.length < 3)) {
    throw invalid('NOTE_REQUIRED', 'Say why the dose was not given (at least 3 characters).', 'note');
  }
  return changeCentreVisit(
    deps,
    principal,
    centreId,
    input.appointmentId,
    async (tx, appointment, now) => {
      if (!appointment.checkedInAt) {
        throw conflict('NOT_CHECKED_IN', 'Check the patient in before recording that the dose was not given.');
      }
      const actor = actorOf(principal);
      const updated = await endVisitWithoutDose(
        deps,
        tx,
        appointment,
        { status: 'not_given', reason: input.reason, note: input.reason === 'other' ? note : null },
        actor,
        now,
      );
      audit(deps, tx, actor, appointment.patientId, 'not-given', 'centre visit');
      return updated;
    },
    { request: { idempotencyKey: input.idempotencyKey, asked: JSON.stringify(['not-given', input.reason, note]) } },
  );
}
