import { requireBookableCentre } from '../centre-status.ts';
import { type Eligibility, isReferralValid, issueReferral } from '../eligibility.ts';
import { conflict, DomainError, forbidden, invalid, notFound } from '../errors.ts';
import { makeEvent, visitFactsOf } from '../events.ts';
import type {
  Actor,
  Appointment,
  Centre,
  Instant,
  Patient,
  Referral,
  Slot,
  UnverifiedBooking,
  Vaccine,
} from '../model.ts';
import { ageOn } from '../pesel.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, isCentrePrincipal, type Principal, requireCentreAccess, requireRole } from '../principal.ts';
import { toLocalStart } from '../time-zone.ts';
import {
  type DoseWindow,
  doseWindow,
  findVaccine,
  followUpRange,
  isWithinWindow,
  type NextDose,
  planNextDose,
} from '../vaccines.ts';
import { type AppointmentView, audit, channelOf, type Deps, viewAppointment } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';
import { eligibilityNow } from './patient-eligibility.ts';

export interface BookInput {
  patientId: string;
  slotId: string;
  /**
   * The slot the person chose for the course's next dose, inside its interval at the same centre; null
   * or absent: the earliest free one.
   */
  nextSlotId?: string | null | undefined;
  /** Same key, same request → the same answer and a single booking (its format is the route's to check). */
  idempotencyKey: string | null;
  /** Why an agent or staff member books for the patient (audited). */
  reason?: string | undefined;
  /**
   * A person standing at the centre's desk: the centre's own staff may book them into a slot that has
   * begun and not yet ended (a walk-in). Not part of the API's booking request.
   */
  atTheDesk?: boolean | undefined;
}

export interface BookingResult {
  bookingId: string;
  appointments: AppointmentView[];
}

/** A free slot as a booking page offers it: its start also on the centre's wall clock. */
export interface OfferedSlot {
  slotId: string;
  start: Instant;
  localStart: string;
  free: number;
}

/** What booking a slot would do, before the person confirms: the dose it is, and the course's next dose with it. */
export interface BookingPreview {
  dose: number;
  vaccineId: string;
  centreId: string;
  slot: OfferedSlot;
  /** The course's next dose, booked along with this one; null when this is the last dose. */
  followUp: {
    dose: number;
    /** When the next dose may start, both bounds included. */
    earliest: Instant;
    latest: Instant | null;
    /** The slot the booking takes for it unless the person picks another: the earliest free one. */
    proposed: OfferedSlot;
  } | null;
}

/** What a booking of a slot is, once every rule of the person's situation has been checked. */
export interface Plan {
  slot: Slot;
  centre: Centre;
  next: NextDose;
  vaccine: Vaccine;
  eligibility: Extract<Eligibility, { eligible: true }>;
  followUp: Slot | null;
}

/**
 * Checks, in a transaction, that the person may book the slot (eligible, the right product and
 * interval for their next dose, old enough, room left) and finds the course's next dose: the slot the
 * person chose for it, or the earliest free one in its interval at the same centre. Throws what a
 * booking would answer.
 */
export async function planBooking(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  input: {
    patientId: string;
    slotId: string;
    nextSlotId?: string | null | undefined;
    atTheDesk?: boolean | undefined;
    /** The slot as already read, a place held in it for this person counted free (a standby offer taken). */
    heldSlot?: Slot | undefined;
  },
  now: Date,
): Promise<Plan & { patient: Patient; referral: Referral | null }> {
  const slot = input.heldSlot ?? (await tx.getSlot(input.slotId));
  if (!slot) throw notFound('SLOT_NOT_FOUND', 'There is no such slot.', 'slotId');
  if (isCentrePrincipal(principal)) requireCentreAccess(principal, slot.centreId);
  const patient = await tx.getPatient(input.patientId);
  if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
  const centre = await tx.getCentre(slot.centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'The slot’s centre no longer exists.', 'slotId');
  requireBookableCentre(centre);
  const history = await tx.listAppointmentsOfPatient(patient.id);
  const rules = await tx.listEligibilityRules();
  const referral = await tx.getReferral(patient.id);
  const chosen = input.nextSlotId ? await tx.getSlot(input.nextSlotId) : null;
  if (input.nextSlotId && !chosen) throw notFound('SLOT_NOT_FOUND', 'There is no such slot.', 'nextSlotId');

  const eligibility = eligibilityNow(deps, patient, rules, { now, region: centre.address.voivodeship });
  if (!eligibility.eligible) {
    throw new DomainError('forbidden', eligibility.code, eligibility.message, {
      details: { eligibleFrom: eligibility.eligibleFrom },
    });
  }
  const atTheDesk = input.atTheDesk === true && isCentrePrincipal(principal);
  const over = atTheDesk ? slot.end : slot.start;
  if (over <= now.toISOString()) {
    throw conflict('SLOT_IN_PAST', atTheDesk ? 'This slot is over.' : 'This slot has already started.');
  }
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
    if (chosen) {
      followUp = checkedFollowUp(chosen, slot, window, next.dose + 1);
    } else {
      const [found] = await tx.findFreeSlots({
        centreId: slot.centreId,
        vaccineIds: [vaccine.id],
        ...followUpRange(vaccine, slot),
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
  } else if (chosen) {
    throw invalid(
      'NO_NEXT_DOSE',
      `Dose ${next.dose} is the last of the course: there is no next dose to choose.`,
      'nextSlotId',
    );
  }
  return { slot, centre, next, vaccine, eligibility, followUp, patient, referral };
}

/** The slot a person chose for the next dose, if it is one: same centre and product, inside the interval, with room. */
function checkedFollowUp(chosen: Slot, slot: Slot, window: DoseWindow, dose: number): Slot {
  if (chosen.centreId !== slot.centreId || chosen.vaccineId !== slot.vaccineId) {
    throw invalid(
      'NEXT_DOSE_ELSEWHERE',
      `Dose ${dose} is booked at the same centre, with the same product.`,
      'nextSlotId',
    );
  }
  if (!isWithinWindow(chosen.start, window)) {
    throw conflict('OUTSIDE_DOSE_INTERVAL', `Dose ${dose} must be given between the dates shown.`, {
      dose,
      earliest: window.earliest,
      latest: window.latest,
    });
  }
  if (chosen.booked >= chosen.capacity) {
    throw conflict('NEXT_DOSE_SLOT_FULL', `The time chosen for dose ${dose} has just been taken; choose another.`);
  }
  return chosen;
}

const offered = (slot: Slot, centre: Centre): OfferedSlot => {
  return {
    slotId: slot.id,
    start: slot.start,
    localStart: toLocalStart(slot.start, centre.timeZone),
    free: slot.capacity - slot.booked,
  };
};

/**
 * What booking a slot would do for a person, checked as the booking will be, without booking: so a
 * page can say before the person confirms that they cannot book it yet (and why), which dose it is,
 * and when the course's next dose is proposed. Throws what the booking would answer.
 */
export async function previewBooking(
  deps: Deps,
  principal: Principal,
  input: { patientId: string; slotId: string; reason?: string | undefined },
): Promise<BookingPreview> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const access = requirePatientAccess(principal, input.patientId, input.reason);
  const previewed = deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    await requireLookUp(deps, tx, principal, input.patientId);
    const plan = await planBooking(deps, tx, principal, input, now);
    audit(deps, tx, actorOf(principal), plan.patient.id, 'preview booking', access);
    const window = doseWindow(plan.vaccine, plan.slot.start);
    return {
      dose: plan.next.dose,
      vaccineId: plan.vaccine.id,
      centreId: plan.centre.id,
      slot: offered(plan.slot, plan.centre),
      followUp: plan.followUp
        ? {
            dose: plan.next.dose + 1,
            earliest: window.earliest ?? plan.slot.end,
            latest: window.latest,
            proposed: offered(plan.followUp, plan.centre),
          }
        : null,
    };
  });
  // A slot taken since the search is answered as the booking would be: with the next free ones.
  return previewed.catch(async (error: unknown) => {
    throw error instanceof DomainError && error.code === 'SLOT_FULL'
      ? await withAlternatives(deps, error, input.slotId)
      : error;
  });
}

/**
 * Books a slot for a patient and, when the course has further doses, the next dose at the same centre
 * — at the slot the person chose for it, or the earliest free one inside the allowed interval — both in
 * one transaction, or neither. A booking by text message (`unverified`) is recorded and audited as
 * made by that phone, and marked on its visits.
 */
export async function bookAppointment(
  deps: Deps,
  principal: Principal,
  input: BookInput,
  unverified: UnverifiedBooking | null = null,
): Promise<BookingResult> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager');
  const access = requirePatientAccess(principal, input.patientId, input.reason);
  const actor: Actor = unverified ? { role: unverified.channel, id: unverified.phone } : actorOf(principal);
  const reason = unverified ? 'booking by text message' : access;
  const scopedKey = input.idempotencyKey === null ? null : `book:${actor.role}:${actor.id}:${input.idempotencyKey}`;
  const requestHash = `${input.patientId}|${input.slotId}|${input.nextSlotId ?? ''}`;

  // An answer given again for the same key is not another booking.
  let replayed = false;
  try {
    const booked = await deps.store.runInTransaction(async (tx) => {
      replayed = false;
      const now = deps.clock.now();
      await requireLookUp(deps, tx, principal, input.patientId);
      if (scopedKey) {
        const previous = await tx.getIdempotency(scopedKey);
        if (previous) {
          if (previous.requestHash !== requestHash) {
            throw conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different booking.');
          }
          replayed = true;
          return previous.response as BookingResult;
        }
      }
      const { slot, centre, next, eligibility, followUp, patient, referral } = await planBooking(
        deps,
        tx,
        principal,
        input,
        now,
      );

      const reference = await newReference(deps, tx);
      const { bookingId, appointments } = writeBooking(deps, tx, {
        plan: { slot, next, eligibility, followUp, patient, referral },
        actor,
        now,
        reference,
        unverified,
      });
      audit(deps, tx, actor, patient.id, 'book', reason);
      const result: BookingResult = { bookingId, appointments: appointments.map((a) => viewAppointment(a, centre)) };
      if (scopedKey) {
        tx.putIdempotency({ key: scopedKey, requestHash, response: result, createdAt: now.toISOString() });
      }
      return result;
    });
    if (!replayed) deps.telemetry?.booked(channelOf(actor), 1);
    return booked;
  } catch (error) {
    const refusal = await asRefusal(deps, error, input.slotId);
    if (refusal instanceof DomainError) deps.telemetry?.bookingRefused(refusal.code);
    throw refusal;
  }
}

/** A booking's failure as the person is told it: a full or contended slot comes with the next free ones. */
async function asRefusal(deps: Deps, error: unknown, slotId: string): Promise<unknown> {
  if (error instanceof DomainError && error.code === 'SLOT_FULL') return withAlternatives(deps, error, slotId);
  if (error instanceof DomainError && error.code === 'CONTENDED') {
    // At an opening thousands may want the same slot; the ones the store could not serve are offered
    // the next free slots rather than an error.
    return withAlternatives(
      deps,
      conflict('SLOT_BUSY', 'Many people are booking this slot right now. Pick another, or try again in a moment.'),
      slotId,
    );
  }
  return error;
}

/**
 * Writes a planned booking inside its transaction (after every read): the reference taken, the visit and
 * the course's next dose with their slots' counts and events, and a referral when the person has no
 * valid one.
 */
export function writeBooking(
  deps: Deps,
  tx: Transaction,
  input: {
    plan: Pick<Plan, 'slot' | 'next' | 'eligibility' | 'followUp'> & { patient: Patient; referral: Referral | null };
    actor: Actor;
    now: Date;
    reference: string;
    unverified: UnverifiedBooking | null;
    /** False when the caller writes the slots' counts itself (several bookings in one slot, one write each). */
    writeSlots?: boolean;
  },
): { bookingId: string; appointments: Appointment[] } {
  const { plan, actor, now, reference, unverified } = input;
  const { patient } = plan;
  const bookingId = deps.ids.next('bkg');
  const at = now.toISOString();
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
    if (input.writeSlots !== false) tx.putSlot({ ...s, booked: s.booked + 1 });
    tx.putAppointment(appointment);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'appointment.booked', now, actor, appointment.id, {
        ...visitFactsOf(appointment),
        bookingId,
        version: 1,
        autoBooked: dose !== plan.next.dose,
      }),
    );
    appointments.push(appointment);
  };
  take(plan.slot, plan.next.dose);
  if (plan.followUp) take(plan.followUp, plan.next.dose + 1);
  if (!isReferralValid(plan.referral, now)) {
    const issued = issueReferral({ id: deps.ids.next('ref'), patientId: patient.id, rule: plan.eligibility.rule, now });
    tx.putReferral(issued);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'referral.issued', now, actor, patient.id, { ...issued }));
  }
  return { bookingId, appointments };
}

/** Candidates tried for a booking's reference before giving up: one in 10¹² is taken per million bookings. */
const REFERENCE_TRIES = 5;

/** A booking reference no booking has yet (taken in the caller's transaction, so two bookings cannot share one). */
export async function newReference(deps: Deps, tx: Transaction): Promise<string> {
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
