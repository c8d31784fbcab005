import { type Eligibility, evaluateEligibility } from '../eligibility.ts';
import { notFound } from '../errors.ts';
import type { EligibilityRule } from '../model.ts';
import { actorOf, type Principal, requireRole } from '../principal.ts';
import { localToday } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';
import { requireLookUp, requirePatientAccess } from './patient-access.ts';

/**
 * Whether a person may book today, and why (the rule that lets them in, or from when they may): a
 * patient asks for themselves, an agent for a person looked up (audited), so the hotline tells a caller
 * exactly what the patients' app would.
 */
export async function patientEligibility(
  deps: Deps,
  principal: Principal,
  patientId: string,
  reason?: string,
): Promise<{ eligibility: Eligibility }> {
  requireRole(principal, 'patient', 'agent');
  const why = requirePatientAccess(principal, patientId, reason);
  return deps.store.runInTransaction(async (tx) => {
    await requireLookUp(deps, tx, principal, patientId);
    const patient = await tx.getPatient(patientId);
    if (!patient) throw notFound('PATIENT_NOT_FOUND', 'There is no such patient.', 'patientId');
    const rules = await tx.listEligibilityRules();
    if (principal.role !== 'patient') audit(deps, tx, actorOf(principal), patientId, 'read-eligibility', why);
    return { eligibility: eligibilityNow(deps, patient, rules) };
  });
}

/**
 * A person's eligibility at this instant under `rules`, in the country's calendar: an opening at 20:00
 * admits from 20:00, not from the start of its day. `region`: the voivodeship of the centre in question.
 */
export function eligibilityNow(
  deps: Pick<Deps, 'clock' | 'settings'>,
  person: { birthDate: string; groups: readonly string[] },
  rules: readonly EligibilityRule[],
  at: { now?: Date; region?: string } = {},
): Eligibility {
  const now = at.now ?? deps.clock.now();
  return evaluateEligibility(person, rules, localToday(now, deps.settings.timeZone), {
    now: now.toISOString(),
    region: at.region,
    timeZone: deps.settings.timeZone,
  });
}
