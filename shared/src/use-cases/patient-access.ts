import { forbidden, invalid } from '../errors.ts';
import type { Principal } from '../principal.ts';

/**
 * Decides whether the caller may touch a patient's data before anything is read. Patients reach only
 * themselves; agents reach anyone but must say why (the reason is audited); staff reach patients
 * through their own centre's appointments, which the use case checks once it has read them.
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
      return reason?.trim() || 'centre visit';
    case 'admin':
      throw forbidden('ROLE_NOT_ALLOWED', 'Administrators do not handle individual patients’ visits.');
  }
}
