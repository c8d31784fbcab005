import { notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import { normalizeMobile } from '../messages/phone.ts';
import type { Language, Patient } from '../model.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

export interface ContactInput {
  patientId: string;
  /** A mobile number in any usual spelling, or null for no text messages. */
  phone?: string | null | undefined;
  /** The language of the person's text messages. */
  language?: Language | undefined;
  reason?: string | undefined;
}

/**
 * Sets where and in which language a patient gets text messages. The number is normalised to E.164
 * and must be a mobile one (a landline cannot receive SMS); a bad one is refused, naming `phone`.
 */
export async function updateContact(deps: Deps, principal: Principal, input: ContactInput): Promise<Patient> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, input.patientId, input.reason);
  const phone = input.phone === undefined || input.phone === null ? input.phone : normalizeMobile(input.phone);
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, input.patientId);
    const patient = await tx.getPatient(input.patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
    const updated: Patient = {
      ...patient,
      ...(phone !== undefined ? { phone } : {}),
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
    return updated;
  });
}
