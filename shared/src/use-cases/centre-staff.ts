import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import type { StaffMember } from '../model.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, CENTRE_ROLES, type CentreRole, type Principal, requireCentreAccess } from '../principal.ts';
import type { Deps } from './deps.ts';

/** One of a centre's people as the centre's screens show them; the e-mail only to its manager. */
export interface CentreStaffEntry {
  id: string;
  name: string;
  role: CentreRole;
  email?: string;
}

/** A new member as the centre's manager describes them. */
export interface NewStaffMember {
  name: string;
  email: string;
  role: CentreRole;
}

const NAME_LENGTH = { min: 2, max: 100 };
/** Enough of RFC 5322 to refuse typing errors: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The staff and managers of a centre, by name: the desk picks who vaccinated from it. */
export async function listCentreStaff(
  deps: Deps,
  principal: Principal,
  centreId: string,
): Promise<{ staff: CentreStaffEntry[] }> {
  requireCentreAccess(principal, centreId);
  const manager = principal.role === 'centre-manager';
  const members = await deps.store.listStaffOfCentre(centreId);
  const staff = members
    .map(({ id, name, role, email }): CentreStaffEntry => (manager ? { id, name, role, email } : { id, name, role }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { staff };
}

/** Checks a new member's fields, naming the first bad one; answers them trimmed, the e-mail in lower case. */
function validateNewStaffMember(input: NewStaffMember): NewStaffMember {
  const name = input.name.trim();
  if (name.length < NAME_LENGTH.min || name.length > NAME_LENGTH.max) {
    throw invalid('INVALID_NAME', `name is ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters.`, 'name');
  }
  const email = input.email.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) {
    throw invalid('INVALID_EMAIL', 'email must be an e-mail address.', 'email');
  }
  if (!CENTRE_ROLES.includes(input.role)) {
    throw invalid('INVALID_ROLE', `role is one of ${CENTRE_ROLES.join(', ')}.`, 'role');
  }
  return { name, email, role: input.role };
}

const emailTaken = (field: string) => conflict('EMAIL_TAKEN', 'Someone already signs in with this e-mail.', { field });

/**
 * Adds a member to the manager's centre. Their sign-in account is made before the store's record, so
 * that nothing is half-written: an account without a record opens no session (sessions need the
 * record), while a record without an account would be a member who cannot sign in.
 */
export async function addStaffMember(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: NewStaffMember,
): Promise<StaffMember> {
  requireCentreAccess(principal, centreId, 'manager');
  return enrolStaffMember(deps, principal, centreId, input);
}

/**
 * Adds a member to a centre, the account first (see `addStaffMember`), for whoever was allowed to:
 * the centre's manager, or an administrator (who also leaves an audit record in the same unit).
 */
export async function enrolStaffMember(
  deps: Deps,
  principal: Principal,
  centreId: string,
  input: NewStaffMember,
  alsoInUnit: (tx: Transaction) => void = () => {},
): Promise<StaffMember> {
  const fields = validateNewStaffMember(input);
  // Looked up before the account is made, so that a taken e-mail makes no account; checked again below.
  const holder = await deps.store.runInTransaction((tx) => tx.getStaffByEmail(fields.email));
  if (holder) throw emailTaken('email');
  const member: StaffMember = { id: deps.ids.next('stf'), ...fields, centreId };
  await deps.staffAccounts.provision(member);
  const now = deps.clock.now();
  try {
    await deps.store.runInTransaction(async (tx) => {
      const centre = await tx.getCentre(centreId);
      if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
      if (await tx.getStaffByEmail(member.email)) throw emailTaken('email');
      tx.putStaff(member);
      alsoInUnit(tx);
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'staff.added', now, actorOf(principal), member.id, {
          centreId,
          staffId: member.id,
          role: member.role,
        }),
      );
    });
  } catch (error) {
    // Lost a race for the e-mail: the account made above is closed again (it opened no session).
    await deps.staffAccounts.revoke(member.id).catch(() => {});
    throw error;
  }
  return member;
}

/** A member of the centre, read in the transaction; 404 when the centre has no such member. */
function memberOfCentre(member: StaffMember | null, centreId: string): StaffMember {
  if (!member || member.centreId !== centreId) {
    throw notFound('STAFF_NOT_FOUND', 'This centre has no such staff member.', 'staffId');
  }
  return member;
}

function refuseLastManager(members: StaffMember[], leaving: StaffMember, what: string): void {
  const managers = members.filter((m) => m.role === 'centre-manager');
  if (leaving.role === 'centre-manager' && managers.every((m) => m.id === leaving.id)) {
    throw conflict('LAST_MANAGER', `The centre’s only manager cannot be ${what}: make another member manager first.`);
  }
}

/**
 * Removes a member from the manager's centre and ends their sessions. The record goes first (which
 * already refuses their sessions), then their account is revoked.
 */
export async function removeStaffMember(
  deps: Deps,
  principal: Principal,
  centreId: string,
  staffId: string,
): Promise<{ removed: { id: string } }> {
  requireCentreAccess(principal, centreId, 'manager');
  if ('staffId' in principal && principal.staffId === staffId) {
    throw conflict('CANNOT_REMOVE_SELF', 'You cannot remove yourself; another manager can.');
  }
  const now = deps.clock.now();
  await deps.store.runInTransaction(async (tx) => {
    const member = memberOfCentre(await tx.getStaff(staffId), centreId);
    refuseLastManager(await tx.listStaffOfCentre(centreId), member, 'removed');
    tx.deleteStaff(member.id);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'staff.removed', now, actorOf(principal), member.id, {
        centreId,
        staffId: member.id,
        role: member.role,
      }),
    );
  });
  await deps.staffAccounts.revoke(staffId);
  return { removed: { id: staffId } };
}

/**
 * Makes a member of the manager's centre staff or manager. Their account gets the new role's claims
 * and their sessions end, so that they sign in again in the new role. Asked again with the role they
 * already have, it changes nothing in the store and sets their account again (a retry after a failure
 * of the identity provider).
 */
export async function changeStaffRole(
  deps: Deps,
  principal: Principal,
  centreId: string,
  staffId: string,
  role: CentreRole,
): Promise<StaffMember> {
  requireCentreAccess(principal, centreId, 'manager');
  if (!CENTRE_ROLES.includes(role)) {
    throw invalid('INVALID_ROLE', `role is one of ${CENTRE_ROLES.join(', ')}.`, 'role');
  }
  const now = deps.clock.now();
  const changed = await deps.store.runInTransaction(async (tx) => {
    const member = memberOfCentre(await tx.getStaff(staffId), centreId);
    if (member.role === role) return member;
    if (role === 'staff') refuseLastManager(await tx.listStaffOfCentre(centreId), member, 'made staff');
    const updated: StaffMember = { ...member, role };
    tx.putStaff(updated);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'staff.role_changed', now, actorOf(principal), member.id, {
        centreId,
        staffId: member.id,
        from: member.role,
        to: role,
      }),
    );
    return updated;
  });
  // Revoked first: provisioning enables the account again, with the new role's claims.
  await deps.staffAccounts.revoke(changed.id);
  await deps.staffAccounts.provision(changed);
  return changed;
}
