import { notFound } from '../errors.ts';
import type { Patient } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { audit, type Deps } from './deps.ts';
import { budgetExceeded, guardLookUp } from './hotline-lookup.ts';
import { grantUntil, requirePatientAccess } from './patient-access.ts';

/**
 * A hotline agent finds a caller by PESEL to act on their behalf, with a reason in their own words (the
 * console's look-up with a reason from the list is `lookUpCaller`). Every look-up is audited with the
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
  const outcome = await deps.store.runInTransaction(async (tx) => {
    const now = deps.clock.now();
    // Counted against the agent's budget and watched as every look-up is (hotline-lookup.ts).
    const guard = await guardLookUp(
      deps,
      tx,
      principal.agentId,
      now,
      async () => {
        const patient = await tx.getPatientByPesel(valid);
        return patient ? [patient] : [];
      },
      valid,
    );
    guard.apply(tx);
    if (guard.refusedForMs !== null) return { refusedForMs: guard.refusedForMs, patient: null };
    const [patient] = guard.people;
    if (!patient) {
      audit(deps, tx, actorOf(principal), null, 'find-by-pesel-miss', why);
      return { refusedForMs: null, patient: null };
    }
    tx.putAccessGrant({ agentId: principal.agentId, patientId: patient.id, until: grantUntil(deps, now) });
    audit(deps, tx, actorOf(principal), patient.id, 'find-by-pesel', why);
    return { refusedForMs: null, patient };
  });
  if (outcome.refusedForMs !== null) throw budgetExceeded(deps, outcome.refusedForMs);
  if (!outcome.patient) {
    throw notFound('PATIENT_NOT_FOUND', 'No patient with this PESEL has registered yet.', 'pesel');
  }
  return outcome.patient;
}
