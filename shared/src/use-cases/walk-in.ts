import { conflict, invalid, notFound } from '../errors.ts';
import { normalizeMobile } from '../messages/phone.ts';
import type { Appointment, Language, Patient } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import { actorOf, type Principal, requireCentreAccess } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { findVaccine } from '../vaccines.ts';
import { type BookingResult, bookAppointment } from './book-appointment.ts';
import { checkIn } from './centre-day.ts';
import { audit, type Deps } from './deps.ts';
import { enrolPatient } from './login.ts';

/** A person at the desk without a booking, as staff read them off the identity document. */
export interface WalkInInput {
  pesel: string;
  givenName: string;
  familyName: string;
  vaccineId: string;
  /** The person's mobile as they give it at the desk, for the texts about their visits; kept only where the record has none. */
  phone?: string | undefined;
  language?: Language | undefined;
  idempotencyKey?: string | null | undefined;
}

export interface WalkInResult {
  patient: Pick<Patient, 'id' | 'pesel' | 'givenName' | 'familyName' | 'birthDate'>;
  booking: BookingResult;
  /** The visit booked into the current slot, already checked in. */
  appointment: Appointment;
}

const NAME = /^[\p{L}][\p{L}\p{M}' .-]{0,99}$/u;

/**
 * Books a person who came without a booking into the slot running now (of the product asked, when it
 * has room) and checks them in, in one step: the booking rules apply as to anyone (eligibility, one
 * visit per dose, the course's next dose booked with it). A person never seen before is registered
 * from the PESEL and the names on the identity document the desk checked; a known person's record is
 * left as it is, and one with no names yet (registered by text message) takes the document's. A mobile
 * the person gives at the desk is kept where the record has none (the person stands there, identified).
 * Sent again with the same key, it answers the same booking.
 */
export async function bookWalkIn(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: WalkInInput,
): Promise<WalkInResult> {
  requireCentreAccess(principal, centreId);
  const { pesel } = parsePesel(input.pesel, 'pesel');
  const givenName = input.givenName.trim();
  const familyName = input.familyName.trim();
  if (!NAME.test(givenName)) throw invalid('INVALID_NAME', 'Type the given name as on the document.', 'givenName');
  if (!NAME.test(familyName)) throw invalid('INVALID_NAME', 'Type the family name as on the document.', 'familyName');
  const phone = input.phone?.trim() ? normalizeMobile(input.phone, 'phone') : null;
  findVaccine(deps.vaccines, input.vaccineId);
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');

  const now = deps.clock.now();
  const today = localToday(now, centre.timeZone);
  const running = (await deps.store.listSlotsOfCentreDay(centreId, today)).find(
    (s) => s.vaccineId === input.vaccineId && Date.parse(s.start) <= now.getTime() && now.getTime() < Date.parse(s.end),
  );
  if (!running) {
    throw conflict('NO_CURRENT_SLOT', `No ${input.vaccineId} slot is running at this centre now.`, {
      vaccineId: input.vaccineId,
    });
  }

  const patient = await deps.store.runInTransaction(async (tx) => {
    const { patient: found } = await enrolPatient(deps, tx, {
      pesel,
      language: input.language ?? 'pl',
      verified: null,
    });
    const withNames = found.givenName === '' ? { ...found, givenName, familyName } : found;
    const named = phone && withNames.phone === null ? { ...withNames, phone } : withNames;
    if (named !== found) tx.putPatient(named);
    audit(deps, tx, actorOf(principal), named.id, 'walk-in', 'identity document checked at the desk');
    return named;
  });
  const booking = await bookAppointment(deps, principal, {
    patientId: patient.id,
    slotId: running.id,
    idempotencyKey: input.idempotencyKey ? `walk-in:${input.idempotencyKey}` : null,
    reason: 'walk-in at the centre',
    atTheDesk: true,
  });
  const first = booking.appointments.find((a) => a.slotId === running.id) ?? booking.appointments[0];
  if (!first) throw new Error('a booking without appointments');
  const stored = await deps.store.getAppointment(first.id);
  const appointment =
    stored?.status === 'booked' && !stored.checkedInAt
      ? await checkIn(deps, principal, centreId, first.id)
      : (stored as Appointment);
  return {
    patient: {
      id: patient.id,
      pesel: patient.pesel,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
    },
    booking,
    appointment,
  };
}
