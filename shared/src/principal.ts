import { forbidden } from './errors.ts';
import type { Actor } from './model.ts';

/** Who is calling, as established by a verified session token. */
export type Principal =
  | { role: 'patient'; patientId: string }
  | { role: 'agent'; agentId: string }
  | { role: 'staff'; staffId: string; centreId: string }
  | { role: 'admin'; adminId: string };

export type Role = Principal['role'];

/** The actor recorded on events and audit records. */
export function actorOf(principal: Principal): Actor {
  switch (principal.role) {
    case 'patient':
      return { role: 'patient', id: principal.patientId };
    case 'agent':
      return { role: 'agent', id: principal.agentId };
    case 'staff':
      return { role: 'staff', id: principal.staffId };
    case 'admin':
      return { role: 'admin', id: principal.adminId };
  }
}

/**
 * The principal a verified token's subject and role claims describe, or null when the role is missing
 * or unknown, or a staff token has no centre. Every identity adapter maps tokens this way.
 */
export function principalFromClaims(subject: unknown, role: unknown, centreId: unknown): Principal | null {
  if (typeof subject !== 'string' || subject === '') return null;
  switch (role) {
    case 'patient':
      return { role: 'patient', patientId: subject };
    case 'agent':
      return { role: 'agent', agentId: subject };
    case 'admin':
      return { role: 'admin', adminId: subject };
    case 'staff':
      return typeof centreId === 'string' && centreId !== '' ? { role: 'staff', staffId: subject, centreId } : null;
    default:
      return null;
  }
}

/** Refuses a principal whose role is not among those allowed for an operation. */
export function requireRole<R extends Role>(
  principal: Principal,
  ...roles: R[]
): asserts principal is Extract<Principal, { role: R }> {
  if (!(roles as Role[]).includes(principal.role)) {
    throw forbidden('ROLE_NOT_ALLOWED', `This operation is not available to the ${principal.role} role.`);
  }
}

/** Staff see only their own centre (administrators onboard centres; the centre's data stays with its staff). */
export function requireCentreAccess(principal: Principal, centreId: string): void {
  if (principal.role === 'staff' && principal.centreId === centreId) return;
  throw forbidden('CENTRE_FORBIDDEN', 'You can only manage your own vaccination centre.');
}
