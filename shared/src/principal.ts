import { forbidden } from './errors.ts';
import type { Actor, Instant } from './model.ts';

/**
 * A centre's people: `staff` check patients in and record vaccinations; a `centre-manager` also
 * keeps the centre's schedule, closures, batches and staff. Each works at one centre.
 */
export type CentreRole = 'staff' | 'centre-manager';
export const CENTRE_ROLES: readonly CentreRole[] = ['staff', 'centre-manager'];

/**
 * A sign-in of a hotline agent or supervisor, as their token names it: which one (`id`, the same for
 * every token of that sign-in) and when it began. Their sessions end after a time idle and a time in
 * all (hotline-sessions.ts), counted from these.
 */
export interface HotlineSignIn {
  id: string;
  startedAt: Instant;
}

/** Who is calling, as established by a verified session token. */
export type Principal =
  | { role: 'patient'; patientId: string }
  | { role: 'agent'; agentId: string; session?: HotlineSignIn }
  | { role: 'staff'; staffId: string; centreId: string }
  | { role: 'centre-manager'; staffId: string; centreId: string }
  | { role: 'admin'; adminId: string }
  | { role: 'supervisor'; supervisorId: string; session?: HotlineSignIn }
  /** The ministry's analysts: they read reports (aggregates and pseudonymous rows), never a person's record. */
  | { role: 'analyst'; analystId: string }
  /** A public-health registry's system: it fetches each day's vaccinations as FHIR (docs/fhir.md), nothing else. */
  | { role: 'registry'; registryId: string };

/** The hotline's people: agents, who act for callers, and supervisors (privacy officers), who review them. */
export type HotlinePrincipal = Extract<Principal, { role: 'agent' | 'supervisor' }>;

/** Whether the caller works at the hotline (an agent or a supervisor). */
export function isHotlinePrincipal(principal: Principal): principal is HotlinePrincipal {
  return principal.role === 'agent' || principal.role === 'supervisor';
}

/** A principal who works at a centre, whatever their centre role. */
export type CentrePrincipal = Extract<Principal, { role: CentreRole }>;

/** Whether the caller works at a centre (staff or its manager). */
export function isCentrePrincipal(principal: Principal): principal is CentrePrincipal {
  return principal.role === 'staff' || principal.role === 'centre-manager';
}

export type Role = Principal['role'];

/** The actor recorded on events and audit records. */
export function actorOf(principal: Principal): Actor {
  switch (principal.role) {
    case 'patient':
      return { role: 'patient', id: principal.patientId };
    case 'agent':
      return { role: 'agent', id: principal.agentId };
    // A manager acts as the centre's staff on events and in the audit; the staff record says which.
    case 'staff':
    case 'centre-manager':
      return { role: 'staff', id: principal.staffId };
    case 'admin':
      return { role: 'admin', id: principal.adminId };
    case 'supervisor':
      return { role: 'supervisor', id: principal.supervisorId };
    case 'analyst':
      return { role: 'analyst', id: principal.analystId };
    case 'registry':
      return { role: 'registry', id: principal.registryId };
  }
}

/**
 * The principal a verified token's subject and role claims describe, or null when the role is missing
 * or unknown, or a centre role's token has no centre. Every identity adapter maps tokens this way; a
 * hotline role's principal carries its sign-in when the token names one.
 */
export function principalFromClaims(
  subject: unknown,
  role: unknown,
  centreId: unknown,
  signIn: HotlineSignIn | null = null,
): Principal | null {
  if (typeof subject !== 'string' || subject === '') return null;
  const session = signIn ? { session: signIn } : {};
  switch (role) {
    case 'patient':
      return { role: 'patient', patientId: subject };
    case 'agent':
      return { role: 'agent', agentId: subject, ...session };
    case 'supervisor':
      return { role: 'supervisor', supervisorId: subject, ...session };
    case 'admin':
      return { role: 'admin', adminId: subject };
    case 'analyst':
      return { role: 'analyst', analystId: subject };
    case 'registry':
      return { role: 'registry', registryId: subject };
    case 'staff':
    case 'centre-manager':
      return typeof centreId === 'string' && centreId !== '' ? { role, staffId: subject, centreId } : null;
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

/**
 * A centre's people see only their own centre (administrators onboard centres; the centre's data stays
 * with its staff). `manager`: the operation is the centre manager's (schedules, closures, batches).
 */
export function requireCentreAccess(principal: Principal, centreId: string, need: 'staff' | 'manager' = 'staff'): void {
  if (!isCentrePrincipal(principal)) {
    throw forbidden('ROLE_NOT_ALLOWED', `This operation is not available to the ${principal.role} role.`);
  }
  if (need === 'manager' && principal.role === 'staff') {
    throw forbidden('MANAGER_ONLY', 'Only the centre’s manager can do this.');
  }
  if (principal.centreId === centreId) return;
  throw forbidden('CENTRE_FORBIDDEN', 'You can only manage your own vaccination centre.');
}
