import { notFound } from '../errors.ts';
import type { Patient } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';
import { grantUntil, requirePatientAccess } from './patient-access.ts';

/**
 * A hotline agent finds a caller by PESEL to act on their behalf. Every look-up is audited with the
 * agent's reason — one that finds no one too, with no patient (the PESEL of someone who never
 * registered is not kept). A hit gives the agent leave to act on that person for
 * `Settings.agentAccessMinutes`; the answer carries what the agent asks to verify the caller.
 */
export async function findPatientByPesel(
  deps: Deps,
  principal: Principal,
  pesel: string,
  reason: string | undefined,
): Promise<Patient> {
  requireRole(principal, 'agent');
  const { pesel: valid } = parsePesel(pesel);
  const why = requirePatientAccess(principal, '', reason);
  const found = await deps.store.runInTransaction(async (tx) => {
    const patient = await tx.getPatientByPesel(valid);
    if (!patient) {
      audit(deps, tx, actorOf(principal), null, 'find-by-pesel-miss', why);
      return null;
    }
    tx.putAccessGrant({ agentId: principal.agentId, patientId: patient.id, until: grantUntil(deps, deps.clock.now()) });
    audit(deps, tx, actorOf(principal), patient.id, 'find-by-pesel', why);
    return patient;
  });
  if (!found) throw notFound('PATIENT_NOT_FOUND', 'No patient with this PESEL has registered yet.', 'pesel');
  return found;
}
