import { requireScheduleWithinProducts, scheduledProducts } from '../centre-status.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { makeEvent } from '../events.ts';
import { parsePostalCode } from '../geo.ts';
import type { Centre, EligibilityRule, StaffMember } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import type { Transaction } from '../ports.ts';
import { actorOf, type CentreRole, type Principal, requireRole } from '../principal.ts';
import { validateSchedule } from '../schedule.ts';
import { voivodeshipBySlug, voivodeshipOfGmina } from '../teryt.ts';
import { isValidTimeZone } from '../time-zone.ts';
import { audit, type Deps } from './deps.ts';
import { republishAhead } from './publish-slots.ts';

/** The eligibility policy in force and announced. */
export async function listEligibilityRules(deps: Deps): Promise<EligibilityRule[]> {
  return deps.store.listEligibilityRules();
}

/**
 * A new centre as the ministry describes it, with its first staff (one of them at least its manager).
 * `vaccineIds` left out: the products its schedule offers.
 */
export type OnboardInput = Omit<
  Centre,
  'id' | 'createdAt' | 'status' | 'statusChange' | 'closedFrom' | 'vaccineIds' | 'email'
> & {
  vaccineIds?: string[] | undefined;
  email?: string | null | undefined;
  staff: Array<{ name: string; email: string; role?: CentreRole | undefined }>;
};

/** Enough of RFC 5322 to refuse typing errors: one @, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The centre's contact e-mail, in lower case, or null. */
const checkContactEmail = (email: string | null | undefined): string | null => {
  const trimmed = email?.trim().toLowerCase() ?? '';
  if (trimmed === '') return null;
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) {
    throw invalid('INVALID_EMAIL', 'email must be an e-mail address.', 'email');
  }
  return trimmed;
};

/** The products a new centre may give: known ones, at least one, and every product its schedule offers. */
const checkProducts = (deps: Deps, input: OnboardInput): string[] => {
  const ids = input.vaccineIds ?? scheduledProducts(input.schedule);
  if (ids.length === 0) throw invalid('PRODUCTS_REQUIRED', 'Name the products the centre may give.', 'vaccineIds');
  ids.forEach((id, i) => {
    if (!deps.vaccines.some((vaccine) => vaccine.id === id)) {
      throw invalid('UNKNOWN_VACCINE', `There is no vaccine with id "${id}".`, `vaccineIds.${i}`);
    }
    if (ids.indexOf(id) !== i) throw invalid('DUPLICATE_VACCINE', `${id} is named twice.`, `vaccineIds.${i}`);
  });
  requireScheduleWithinProducts(input.schedule, ids);
  return [...ids].sort();
};

export interface OnboardResult {
  centre: Centre;
  staff: StaffMember[];
  slotsCreated: number;
}

/**
 * A centre's gmina code, when given, is a TERC code of a gmina in the centre's voivodeship: reports count the
 * centre's work by voivodeship, powiat and gmina from it.
 */
const checkGminaCode = (address: OnboardInput['address']): void => {
  if (address.teryt === undefined) return;
  const region = voivodeshipOfGmina(address.teryt);
  if (!region) {
    throw invalid(
      'INVALID_TERYT',
      'address.teryt must be the seven-digit TERC code of a gmina, e.g. 1465011.',
      'address.teryt',
    );
  }
  const stated = voivodeshipBySlug(address.voivodeship);
  if (stated && stated.teryt !== region.teryt) {
    throw invalid(
      'TERYT_OUTSIDE_VOIVODESHIP',
      `address.teryt ${address.teryt} is a gmina of ${region.name}, not of ${stated.name}.`,
      'address.teryt',
    );
  }
};

/** Adds a vaccination centre with its staff (and their sign-in accounts) and publishes its slots. */
export async function onboardCentre(deps: Deps, principal: Principal, input: OnboardInput): Promise<OnboardResult> {
  requireRole(principal, 'admin');
  const postalCode = parsePostalCode(input.address.postalCode, 'address.postalCode');
  checkGminaCode(input.address);
  if (!isValidTimeZone(input.timeZone))
    throw invalid('INVALID_TIME_ZONE', 'timeZone must be an IANA zone.', 'timeZone');
  validateSchedule(
    input.schedule,
    deps.vaccines.map((v) => v.id),
  );
  const vaccineIds = checkProducts(deps, input);
  const email = checkContactEmail(input.email);
  const emails = new Set<string>();
  input.staff.forEach((member, i) => {
    const email = member.email.toLowerCase();
    if (emails.has(email))
      throw invalid('DUPLICATE_EMAIL', 'Each staff member needs their own e-mail.', `staff.${i}.email`);
    emails.add(email);
  });
  if (!input.staff.some((member) => member.role === 'centre-manager')) {
    throw invalid(
      'MANAGER_REQUIRED',
      'Name the centre’s manager among its staff (role centre-manager): only a manager can change its schedule.',
      'staff',
    );
  }
  const now = deps.clock.now();
  const centre: Centre = {
    id: deps.ids.next('ctr'),
    name: input.name.trim(),
    address: { ...input.address, postalCode },
    location: input.location,
    timeZone: input.timeZone,
    phone: input.phone,
    email,
    vaccineIds,
    status: 'active',
    schedule: input.schedule,
    createdAt: now.toISOString(),
  };
  const staff: StaffMember[] = input.staff.map((member) => ({
    id: deps.ids.next('stf'),
    name: member.name.trim(),
    email: member.email.toLowerCase(),
    centreId: centre.id,
    role: member.role ?? 'staff',
  }));
  const actor = actorOf(principal);
  const taken = async (tx: Transaction) => {
    for (const [i, member] of staff.entries()) {
      if (await tx.getStaffByEmail(member.email)) {
        throw conflict('EMAIL_TAKEN', 'Someone already signs in with this e-mail.', { field: `staff.${i}.email` });
      }
    }
  };
  // Accounts before records, as for a member added later (centre-staff.ts): nothing is half-written.
  await deps.store.runInTransaction(taken);
  for (const member of staff) await deps.staffAccounts.provision(member);
  await deps.store.runInTransaction(async (tx) => {
    await taken(tx);
    tx.putCentre(centre);
    for (const member of staff) tx.putStaff(member);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'centre.onboarded', now, actor, centre.id, {
        centreId: centre.id,
        name: centre.name,
        voivodeship: centre.address.voivodeship,
        staff: staff.length,
      }),
    );
  });
  const published = await republishAhead(deps, centre, actor, 'centre onboarded');
  return { centre, staff, slotsCreated: published.created };
}

/** A centre's public card. */
export async function getCentre(deps: Deps, centreId: string): Promise<Centre> {
  const centre = await deps.store.getCentre(centreId);
  if (!centre) throw notFound('CENTRE_NOT_FOUND', 'There is no such centre.', 'centreId');
  return centre;
}

/** What referring one person answers: the same whether or not they have registered. */
export interface GroupGrant {
  group: string;
  /** The person's groups include it now if registered, or from their first login if not. */
  referred: true;
}

/**
 * Refers one person to a priority group (e.g. medical staff), which eligibility rules may open. Only
 * administrators: a group opens booking before one's turn. Like a list of referrals, it is kept by PESEL,
 * so a person who has not registered yet gets the group at their first login, and the answer never
 * says whether the PESEL belongs to someone registered.
 */
export async function grantGroup(
  deps: Deps,
  principal: Principal,
  input: { pesel: string; group: string; reason: string },
): Promise<GroupGrant> {
  requireRole(principal, 'admin');
  const { pesel } = parsePesel(input.pesel);
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(input.group)) {
    throw invalid('INVALID_GROUP', 'group is 2–40 lower-case letters, digits or dashes.', 'group');
  }
  const actor = actorOf(principal);
  const now = deps.clock.now();
  await deps.store.runInTransaction(async (tx) => {
    const stored = (await tx.listGroupReferrals(pesel)).some((r) => r.group === input.group);
    const patient = await tx.getPatientByPesel(pesel);
    audit(deps, tx, actor, patient?.id ?? null, 'grant-group', input.reason);
    if (!stored) {
      tx.putGroupReferral({ pesel, group: input.group, uploadId: 'one-person', at: now.toISOString(), by: actor.id });
    }
    if (!patient || patient.groups.includes(input.group)) return;
    const updated = { ...patient, groups: [...patient.groups, input.group].sort() };
    tx.putPatient(updated);
    // The whole set, so the warehouse counts the person in their latest set of groups.
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'patient.groups_changed', now, actor, patient.id, {
        patientId: patient.id,
        groups: updated.groups,
      }),
    );
  });
  return { group: input.group, referred: true };
}
