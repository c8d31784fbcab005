import { invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import { maskPhone, normalizeMobile, normalizePhone } from '../messages/phone.ts';
import type { Language, Patient } from '../model.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

export interface ContactInput {
  patientId: string;
  /** A mobile number in any usual spelling, or null for no text messages. */
  phone?: string | null | undefined;
  /** A landline to call the person back on (noted, never texted), or null for none. */
  landline?: string | null | undefined;
  /** The language of the person's text messages. */
  language?: Language | undefined;
  reason?: string | undefined;
}

/**
 * What an agent is answered of the record they changed: what they typed (the new mobile) and the name
 * and birth date they see anyway; the PESEL and a landline stay masked, as on the caller's card (the
 * reveal is the audited way to see them), and the priority groups are not theirs to read.
 */
export function agentsViewOf(patient: Patient): Patient {
  return {
    ...patient,
    pesel: `*******${patient.pesel.slice(-4)}`,
    ...(patient.landline ? { landline: maskPhone(patient.landline) } : {}),
    groups: [],
  };
}

/** A landline in E.164; a mobile given as one is refused (it belongs in `phone`, which is texted). */
function landlineOf(input: string): string {
  const contact = normalizePhone(input, 'landline');
  if (contact.kind !== 'landline') {
    throw invalid(
      'NOT_A_LANDLINE',
      'This is a mobile number: give it as the phone, which gets text messages.',
      'landline',
    );
  }
  return contact.number;
}

/**
 * Sets where and in which language a patient gets text messages. The number is normalised to E.164
 * and must be a mobile one (a landline cannot receive SMS); a bad one is refused, naming `phone`. A
 * landline is kept apart (`landline`: noted to call the person back, never texted). An agent is answered
 * the record masked (`agentsViewOf`).
 */
export async function updateContact(deps: Deps, principal: Principal, input: ContactInput): Promise<Patient> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, input.patientId, input.reason);
  const phone = input.phone === undefined || input.phone === null ? input.phone : normalizeMobile(input.phone);
  const landline =
    input.landline === undefined || input.landline === null ? input.landline : landlineOf(input.landline);
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, input.patientId);
    const patient = await tx.getPatient(input.patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
    const updated: Patient = {
      ...patient,
      ...(phone !== undefined ? { phone } : {}),
      ...(landline !== undefined ? { landline } : {}),
      ...(input.language ? { language: input.language } : {}),
    };
    tx.putPatient(updated);
    const now = deps.clock.now();
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'patient.contact_changed', now, actorOf(principal), patient.id, {
        patientId: patient.id,
        hasPhone: updated.phone !== null,
        language: updated.language,
      }),
    );
    audit(deps, tx, actorOf(principal), patient.id, 'contact', why);
    return principal.role === 'agent' ? agentsViewOf(updated) : updated;
  });
}
