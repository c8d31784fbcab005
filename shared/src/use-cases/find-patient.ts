import { notFound } from '../errors.ts';
import type { Patient } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';
import { requirePatientAccess } from './patient-access.ts';

/**
 * A hotline agent finds a caller by PESEL to act on their behalf. The look-up is audited with the
 * agent's reason; the answer carries what the agent asks to verify the caller.
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
  return deps.store.runInTransaction(async (tx) => {
    const patient = await tx.getPatientByPesel(valid);
    if (!patient) {
      throw notFound('PATIENT_NOT_FOUND', 'No patient with this PESEL has registered yet.', 'pesel');
    }
    audit(deps, tx, actorOf(principal), patient.id, 'find-by-pesel', why);
    return patient;
  });
}
