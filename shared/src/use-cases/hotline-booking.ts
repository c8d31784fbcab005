import { conflict, DomainError, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import { maskPhone } from '../messages/phone.ts';
import type { Slot } from '../model.ts';
import type { FreeSlotQuery, Transaction } from '../ports.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { type BookingResult, newReference, type Plan, planBooking, writeBooking } from './book-appointment.ts';
import { audit, type Deps, viewAppointment } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

/** The most people one household booking takes. */
export const HOUSEHOLD_LIMIT = 5;
/** Free slots of the centre tried for each further person, soonest from the first person's. */
const NEARBY_SLOTS_TRIED = 24;

/** Refusals that mean "not this slot for this person", after which the next slot nearby is tried. */
const TRY_NEXT = new Set([
  'SLOT_FULL',
  'SLOT_IN_PAST',
  'WRONG_VACCINE_FOR_DOSE',
  'OUTSIDE_DOSE_INTERVAL',
  'TOO_YOUNG_FOR_VACCINE',
  'NEXT_DOSE_UNAVAILABLE',
]);

export interface HouseholdInput {
  slotId: string;
  patientIds: readonly string[];
  reason: string;
  idempotencyKey: string | null;
}

export interface HouseholdResult {
  /** One booking per person, in the order asked. */
  bookings: Array<BookingResult & { patientId: string }>;
}

/**
 * A view of a transaction in which the places this unit is about to take are already taken: the slots
 * it reads show them booked, and full ones are no longer offered as free.
 */
function withPendingTakes(tx: Transaction, taken: Map<string, number>): Transaction {
  const adjust = (slot: Slot): Slot => ({ ...slot, booked: slot.booked + (taken.get(slot.id) ?? 0) });
  const getSlot = async (id: string) => {
    const slot = await tx.getSlot(id);
    return slot ? adjust(slot) : null;
  };
  const findFreeSlots = async (query: FreeSlotQuery) => {
    const extra = [...taken.values()].reduce((a, b) => a + b, 0);
    const found = await tx.findFreeSlots({ ...query, limit: query.limit + extra });
    return found
      .map(adjust)
      .filter((s) => s.booked < s.capacity)
      .slice(0, query.limit);
  };
  return new Proxy(tx, {
    get(target, name, receiver) {
      if (name === 'getSlot') return getSlot;
      if (name === 'findFreeSlots') return findFreeSlots;
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A refusal of one member, naming them: the whole household is refused with it. */
function forMember(error: unknown, index: number, patientId: string): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.kind, error.code, `Person ${index + 1}: ${error.message}`, {
    field: `patientIds.${index}`,
    details: { ...error.details, patientId },
    cause: error,
  });
}

type PlannedMember = Plan & Awaited<ReturnType<typeof planBooking>>;

/** The nearest slot at the first person's centre, at or after their time, that this person may have. */
async function planNearby(
  deps: Deps,
  view: Transaction,
  principal: Principal,
  patientId: string,
  first: Slot,
  now: Date,
): Promise<PlannedMember> {
  const nearby = await view.findFreeSlots({
    centreId: first.centreId,
    vaccineIds: null,
    from: first.start,
    to: null,
    limit: NEARBY_SLOTS_TRIED,
  });
  // The first person's product first at each time: a household keeps one product where it can.
  nearby.sort(
    (a, b) =>
      a.start.localeCompare(b.start) ||
      Number(b.vaccineId === first.vaccineId) - Number(a.vaccineId === first.vaccineId),
  );
  for (const slot of nearby) {
    try {
      return await planBooking(deps, view, principal, { patientId, slotId: slot.id }, now);
    } catch (error) {
      if (!(error instanceof DomainError) || !TRY_NEXT.has(error.code)) throw error;
    }
  }
  throw conflict(
    'NO_ROOM_NEARBY',
    'This centre has no free time near the first person’s that this person may have; book them separately.',
  );
}

/**
 * A hotline agent books a household of up to five people in one request: each person with their own
 * eligibility and course, the first at the slot chosen, the others at the same centre at the nearest
 * times from it that each may have (the same product where there is room). All or nothing, in one
 * transaction; one idempotency key for the whole request. Every person must have been looked up, and a
 * refusal names the person (`patientIds.<n>`).
 */
export async function bookHousehold(deps: Deps, principal: Principal, input: HouseholdInput): Promise<HouseholdResult> {
  requireRole(principal, 'agent');
  const why = requirePatientAccess(principal, '', input.reason);
  if (input.patientIds.length === 0 || input.patientIds.length > HOUSEHOLD_LIMIT) {
    throw invalid('HOUSEHOLD_SIZE', `Book one to ${HOUSEHOLD_LIMIT} people together.`, 'patientIds');
  }
  const twice = input.patientIds.findIndex((id, i) => input.patientIds.indexOf(id) !== i);
  if (twice >= 0) throw invalid('DUPLICATE_MEMBER', 'A person is named twice.', `patientIds.${twice}`);
  const actor = actorOf(principal);
  const scopedKey =
    input.idempotencyKey === null ? null : `household:${actor.role}:${actor.id}:${input.idempotencyKey}`;
  const requestHash = `${input.slotId}|${input.patientIds.join(',')}`;

  let replayed = false;
  const booked = await deps.store
    .runInTransaction(async (tx) => {
      replayed = false;
      const now = deps.clock.now();
      for (const [i, patientId] of input.patientIds.entries()) {
        try {
          await requireLookUp(deps, tx, principal, patientId);
        } catch (error) {
          throw forMember(error, i, patientId);
        }
      }
      if (scopedKey) {
        const previous = await tx.getIdempotency(scopedKey);
        if (previous) {
          if (previous.requestHash !== requestHash) {
            throw conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different booking.');
          }
          replayed = true;
          return previous.response as HouseholdResult;
        }
      }
      const first = await tx.getSlot(input.slotId);
      if (!first) throw notFound('SLOT_NOT_FOUND', 'There is no such slot.', 'slotId');
      const taken = new Map<string, number>();
      const slots = new Map<string, Slot>();
      const view = withPendingTakes(tx, taken);
      const plans: PlannedMember[] = [];
      for (const [i, patientId] of input.patientIds.entries()) {
        try {
          const plan =
            i === 0
              ? await planBooking(deps, view, principal, { patientId, slotId: first.id }, now)
              : await planNearby(deps, view, principal, patientId, first, now);
          for (const slot of [plan.slot, plan.followUp]) {
            if (!slot) continue;
            // The slot as stored, before this household: the view showed it with the places taken so far.
            if (!slots.has(slot.id)) slots.set(slot.id, { ...slot, booked: slot.booked - (taken.get(slot.id) ?? 0) });
            taken.set(slot.id, (taken.get(slot.id) ?? 0) + 1);
          }
          plans.push(plan);
        } catch (error) {
          throw forMember(error, i, patientId);
        }
      }
      const references: string[] = [];
      for (const _ of plans) {
        let reference = await newReference(deps, tx);
        while (references.includes(reference)) reference = await newReference(deps, tx);
        references.push(reference);
      }
      // Each slot is written once, with every place this household takes in it.
      for (const [id, slot] of slots) tx.putSlot({ ...slot, booked: slot.booked + (taken.get(id) ?? 0) });
      const bookings = plans.map((plan, i) => {
        const booked = writeBooking(deps, tx, {
          plan,
          actor,
          now,
          reference: references[i] as string,
          unverified: null,
          writeSlots: false,
        });
        audit(deps, tx, actor, plan.patient.id, 'book household', why);
        return {
          patientId: plan.patient.id,
          bookingId: booked.bookingId,
          appointments: booked.appointments.map((a) => viewAppointment(a, plan.centre)),
        };
      });
      const result: HouseholdResult = { bookings };
      if (scopedKey) tx.putIdempotency({ key: scopedKey, requestHash, response: result, createdAt: now.toISOString() });
      return result;
    })
    .catch((error: unknown) => {
      if (error instanceof DomainError) deps.telemetry?.bookingRefused(error.code);
      throw error;
    });
  if (!replayed) deps.telemetry?.booked('phone', booked.bookings.length);
  return booked;
}

/**
 * Sends a booking's confirmation again, to the person's mobile (or the phone that booked it by text):
 * the planner texts the booking as it stands now. A person with only a landline gets none
 * (`NO_MOBILE`: read the details to them). Agents need a look-up of the person, as for any change.
 */
export async function resendConfirmation(
  deps: Deps,
  principal: Principal,
  input: { appointmentId: string; reason?: string | undefined },
): Promise<{ bookingId: string; sentTo: string }> {
  requireRole(principal, 'patient', 'agent');
  return deps.store.runInTransaction(async (tx) => {
    const appointment = await tx.getAppointment(input.appointmentId);
    if (!appointment) throw notFound('APPOINTMENT_NOT_FOUND', 'There is no such visit.', 'appointmentId');
    const why = requirePatientAccess(principal, appointment.patientId, input.reason);
    await requireLookUp(deps, tx, principal, appointment.patientId);
    const patient = await tx.getPatient(appointment.patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'appointmentId');
    if (appointment.status !== 'booked') {
      throw conflict('NOT_BOOKED', 'This visit is no longer booked: there is nothing to confirm.');
    }
    const to = appointment.unverifiedBooking?.phone ?? patient.phone;
    if (!to) {
      throw conflict(
        'NO_MOBILE',
        patient.landline
          ? 'This person gave only a landline, which cannot receive text messages: read the details to them.'
          : 'This person has no mobile number: add one, or read the details to them.',
      );
    }
    const now = deps.clock.now();
    const actor = actorOf(principal);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'booking.confirmation_resent', now, actor, appointment.bookingId, {
        bookingId: appointment.bookingId,
        patientId: patient.id,
        centreId: appointment.centreId,
        appointmentId: appointment.id,
      }),
    );
    audit(deps, tx, actor, patient.id, 'resend confirmation', why);
    return { bookingId: appointment.bookingId, sentTo: maskPhone(to) };
  });
}
