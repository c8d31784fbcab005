import { forbidden, invalid } from '../errors.ts';
import type { Transaction } from '../ports.ts';
import type { Principal } from '../principal.ts';
import type { Deps } from './deps.ts';

/**
 * Decides whether the caller may touch a patient's data before anything is read. Patients reach only
 * themselves; agents must say why (the reason is audited) and, inside the transaction, hold a grant
 * from a recent look-up of the person (`requireLookUp`); staff reach patients through their own
 * centre's appointments, which the use case checks once it has read them.
 */
export function requirePatientAccess(principal: Principal, patientId: string, reason: string | undefined): string {
  switch (principal.role) {
    case 'patient':
      if (principal.patientId !== patientId) {
        throw forbidden('NOT_YOUR_DATA', 'You can only see and change your own visits.');
      }
      return 'own data';
    case 'agent':
      if (!reason || reason.trim().length < 3) {
        throw invalid(
          'REASON_REQUIRED',
          'Say why you are opening this patient’s data (at least 3 characters).',
          'reason',
        );
      }
      return reason.trim();
    case 'staff':
    case 'centre-manager':
      return reason?.trim() || 'centre visit';
    case 'admin':
      throw forbidden('ROLE_NOT_ALLOWED', 'Administrators do not handle individual patients’ visits.');
    case 'supervisor':
      throw forbidden('ROLE_NOT_ALLOWED', 'Supervisors review the hotline’s work and act on no patient.');
    case 'analyst':
      throw forbidden('ROLE_NOT_ALLOWED', 'Analysts read reports; they reach no patient’s data.');
    case 'registry':
      throw forbidden('ROLE_NOT_ALLOWED', 'A registry receives the day’s export; it acts on no patient’s visits.');
  }
}

/**
 * An agent acts on a patient only while the grant of an audited look-up of that person lasts
 * (`Settings.agentAccessMinutes`); read in the acting transaction, so an expired grant cannot slip
 * through. Other roles pass.
 */
export async function requireLookUp(
  deps: Deps,
  tx: Transaction,
  principal: Principal,
  patientId: string,
): Promise<void> {
  if (principal.role !== 'agent') return;
  const grant = await tx.getAccessGrant(principal.agentId, patientId);
  if (!grant || grant.until <= deps.clock.now().toISOString()) {
    throw forbidden(
      'LOOKUP_REQUIRED',
      `Look the caller up by PESEL first: an agent may act on a person for ${deps.settings.agentAccessMinutes} minutes after looking them up.`,
    );
  }
}

/** The grant a look-up gives an agent on the person found. */
export function grantUntil(deps: Deps, now: Date): string {
  return new Date(now.getTime() + deps.settings.agentAccessMinutes * 60_000).toISOString();
}
