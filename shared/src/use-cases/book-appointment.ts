import { evaluateEligibility, isReferralValid, issueReferral } from '../eligibility.ts';
import { conflict, DomainError, forbidden, notFound } from '../errors.ts';
import { makeEvent, visitFactsOf } from '../events.ts';
import type { Actor, Appointment, Slot, UnverifiedBooking } from '../model.ts';
import { ageOn } from '../pesel.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type Principal, requireCentreAccess, requireRole } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { doseWindow, findVaccine, isWithinWindow, planNextDose } from '../vaccines.ts';
import { type AppointmentView, audit, type Deps, viewAppointment } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

export interface BookInput {
  patientId: string;
  slotId: string;
  /** Same key, same request → the same answer and a single booking (its format is the route's to check). */
  idempotencyKey: string | null;
  /** Why an agent or staff member books for the patient (audited). */
  reason?: string | undefined;
}

export interface BookingResult {
  bookingId: string;
  appointments: AppointmentView[];
}

/**
 * Books a slot for a patient and, when the course has further doses, the next dose at the same centre
 * at the earliest slot inside the allowed interval — both in one transaction, or neither. A booking by
 * text message (`unverified`) is recorded and audited as made by that phone, and marked on its visits.
 */
export async function bookAppointment(
  deps: Deps,
  principal: Principal,
  input: BookInput,
  unverified: UnverifiedBooking | null = null,
): Promise<BookingResult> {
  requireRole(principal, 'patient', 'agent', 'staff');
  const access = requirePatientAccess(principal, input.patientId, input.reason);
  const actor: Actor = unverified ? { role: unverified.channel, id: unverified.phone } : actorOf(principal);
  const reason = unverified ? 'booking by text message' : access;
  const scopedKey = input.idempotencyKey === null ? null : `book:${actor.role}:${actor.id}:${input.idempotencyKey}`;
  const requestHash = `${input.patientId}|${input.slotId}`;

  try {
    return await deps.store.runInTransaction(async (tx) => {
      const now = deps.clock.now();
      await requireLookUp(deps, tx, principal, input.patientId);
      if (scopedKey) {
        const previous = await tx.getIdempotency(scopedKey);
        if (previous) {
          if (previous.requestHash !== requestHash) {
            throw conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different booking.');
          }
          return previous.response as BookingResult;
        }
      }
      const slot = await tx.getSlot(input.slotId);
      if (!slot) throw notFound('SLOT_NOT_FOUND', 'There is no such slot.', 'slotId');
      if (principal.role === 'staff') requireCentreAccess(principal, slot.centreId);
      const patient = await tx.getPatient(input.patientId);
      if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
      const centre = await tx.getCentre(slot.centreId);
      if (!centre) throw notFound('CENTRE_NOT_FOUND', 'The slot’s centre no longer exists.', 'slotId');
      const history = await tx.listAppointmentsOfPatient(patient.id);
      const rules = await tx.listEligibilityRules();
      const referral = await tx.getReferral(patient.id);

      const eligibility = evaluateEligibility(patient, rules, localToday(now, deps.settings.timeZone));
      if (!eligibility.eligible) {
        throw new DomainError('forbidden', eligibility.code, eligibility.message, {
          details: { eligibleFrom: eligibility.eligibleFrom },
        });
      }
      if (slot.start <= now.toISOString()) throw conflict('SLOT_IN_PAST', 'This slot has already started.');
      const next = planNextDose(history, deps.vaccines);
      const vaccine = findVaccine(deps.vaccines, slot.vaccineId, 'slotId');
      if (!next.vaccineIds.includes(vaccine.id)) {
        throw conflict('WRONG_VACCINE_FOR_DOSE', `Dose ${next.dose} must be one of: ${next.vaccineIds.join(', ')}.`, {
          dose: next.dose,
          vaccineIds: next.vaccineIds,
        });
      }
      if (!isWithinWindow(slot.start, next)) {
        throw conflict('OUTSIDE_DOSE_INTERVAL', `Dose ${next.dose} must be given between the dates shown.`, {
          dose: next.dose,
          earliest: next.earliest,
          latest: next.latest,
        });
      }
      if (ageOn(patient.birthDate, slot.localDate) < vaccine.minAgeYears) {
        throw forbidden('TOO_YOUNG_FOR_VACCINE', `${vaccine.name} is given from the age of ${vaccine.minAgeYears}.`);
      }
      if (slot.booked >= slot.capacity) throw conflict('SLOT_FULL', 'This slot has just been taken.');

      let followUp: Slot | null = null;
      if (next.kind === 'primary' && next.dose < vaccine.doses) {
        const window = doseWindow(vaccine, slot.start);
        const [found] = await tx.findFreeSlots({
          centreId: slot.centreId,
          vaccineIds: [vaccine.id],
          from: window.earliest ?? slot.end,
          to: window.latest ? new Date(Date.parse(window.latest) + 1).toISOString() : null,
          limit: 1,
        });
        if (!found) {
          throw conflict(
            'NEXT_DOSE_UNAVAILABLE',
            `This centre has no free slot for dose ${next.dose + 1} within the interval ${vaccine.name} requires; choose another date or centre.`,
          );
        }
        followUp = found;
      }

      const bookingId = deps.ids.next('bkg');
      const at = now.toISOString();
      const reference = await newReference(deps, tx);
      tx.putBookingReference({ reference, bookingId, patientId: patient.id, createdAt: at });
      const appointments: Appointment[] = [];
      const take = (s: Slot, dose: number) => {
        const appointment: Appointment = {
          id: deps.ids.next('apt'),
          patientId: patient.id,
          centreId: s.centreId,
          slotId: s.id,
          vaccineId: s.vaccineId,
          dose,
          bookingId,
          reference,
          status: 'booked',
          start: s.start,
          localDate: s.localDate,
          version: 1,
          bookedBy: actor,
          ...(unverified ? { unverifiedBooking: unverified } : {}),
          createdAt: at,
          updatedAt: at,
          checkedInAt: null,
          cancellation: null,
          completion: null,
        };
        tx.putSlot({ ...s, booked: s.booked + 1 });
        tx.putAppointment(appointment);
        tx.addEvent(
          makeEvent(deps.ids.next('evt'), 'appointment.booked', now, actor, appointment.id, {
            ...visitFactsOf(appointment),
            bookingId,
            version: 1,
            autoBooked: dose !== next.dose,
          }),
        );
        appointments.push(appointment);
      };
      take(slot, next.dose);
      if (followUp) take(followUp, next.dose + 1);

      if (!isReferralValid(referral, now)) {
        const issued = issueReferral({ id: deps.ids.next('ref'), patientId: patient.id, rule: eligibility.rule, now });
        tx.putReferral(issued);
        tx.addEvent(makeEvent(deps.ids.next('evt'), 'referral.issued', now, actor, patient.id, { ...issued }));
      }
      audit(deps, tx, actor, patient.id, 'book', reason);
      const result: BookingResult = { bookingId, appointments: appointments.map((a) => viewAppointment(a, centre)) };
      if (scopedKey) tx.putIdempotency({ key: scopedKey, requestHash, response: result, createdAt: at });
      return result;
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'SLOT_FULL') {
      throw await withAlternatives(deps, error, input.slotId);
    }
    if (error instanceof DomainError && error.code === 'CONTENDED') {
      // At an opening thousands may want the same slot; the ones the store could not serve are offered
      // the next free slots rather than an error.
      throw await withAlternatives(
        deps,
        conflict('SLOT_BUSY', 'Many people are booking this slot right now. Pick another, or try again in a moment.'),
        input.slotId,
      );
    }
    throw error;
  }
}

/** Candidates tried for a booking's reference before giving up: one in 10¹² is taken per million bookings. */
const REFERENCE_TRIES = 5;

/** A booking reference no booking has yet (taken in the caller's transaction, so two bookings cannot share one). */
async function newReference(deps: Deps, tx: Transaction): Promise<string> {
  for (let i = 0; i < REFERENCE_TRIES; i++) {
    const candidate = deps.ids.reference();
    if (!(await tx.getBookingReference(candidate))) return candidate;
  }
  throw new Error(`No free booking reference in ${REFERENCE_TRIES} tries: the reference source is not random.`);
}

/** A full slot is answered with the next free ones at the same centre, so the person is offered, not refused. */
export async function withAlternatives(deps: Deps, error: DomainError, slotId: string): Promise<DomainError> {
  const slot = await deps.store.getSlot(slotId);
  if (!slot) return error;
  const alternatives = await deps.store.findFreeSlots({
    centreId: slot.centreId,
    vaccineIds: [slot.vaccineId],
    from: slot.start,
    to: null,
    limit: 5,
  });
  return new DomainError('conflict', error.code, error.message, {
    details: { alternatives: alternatives.map((s) => ({ slotId: s.id, start: s.start, free: s.capacity - s.booked })) },
    cause: error,
  });
}
