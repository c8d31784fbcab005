import { type Eligibility, isReferralValid, issueReferral } from '../eligibility.ts';
import { invalid, notFound, unauthenticated } from '../errors.ts';
import { makeEvent } from '../events.ts';
import { normalizeMobile } from '../messages/phone.ts';
import type { Instant, Language, Patient, Referral, StaffMember } from '../model.ts';
import { parsePesel } from '../pesel.ts';
import type { Session, Transaction, VerifiedIdentity } from '../ports.ts';
import { isCentrePrincipal, isHotlinePrincipal, type Principal, requireRole } from '../principal.ts';
import type { Deps } from './deps.ts';
import { referredGroups } from './group-referrals.ts';
import { eligibilityNow } from './patient-eligibility.ts';

export interface LoginResult {
  session: Session;
  patient: Patient;
  eligibility: Eligibility;
  referral: Referral | null;
}

const SYSTEM = { role: 'system', id: 'login' } as const;

/**
 * Turns a trusted identity provider's assertion into a patient record and a session, once per
 * assertion: its id is recorded in the login's own transaction, so a replay is refused
 * (`ASSERTION_USED`) and a login that fails leaves the assertion unused. An eligible person without a
 * valid referral gets one issued here; an ineligible one learns why and from when. `admit` sees the
 * verified person before anything is read or written, and may refuse (a rate limit).
 */
export async function login(
  deps: Deps,
  assertion: string,
  language: Language = 'pl',
  options: { admit?: (person: VerifiedIdentity) => Promise<void> } = {},
): Promise<LoginResult> {
  if (!assertion) throw invalid('ASSERTION_REQUIRED', 'The identity provider’s assertion is missing.', 'assertion');
  const verified = await deps.identity.verifyAssertion(assertion);
  const identity = verified.person;
  await options.admit?.(identity);
  const person = parsePesel(identity.pesel, 'assertion.pesel');
  const usedAt = deps.clock.now().toISOString();

  const { patient, eligibility, referral } = await deps.store.runInTransaction(async (tx) => {
    if (await tx.getUsedAssertion(verified.id)) {
      throw unauthenticated('ASSERTION_USED', 'This login was already used; log in again.');
    }
    const enrolled = await enrolPatient(deps, tx, {
      pesel: person.pesel,
      language,
      verified: { givenName: identity.givenName, familyName: identity.familyName, phone: identity.phone },
    });
    tx.putUsedAssertion({ id: verified.id, usedAt, expiresAt: verified.expiresAt });
    return enrolled;
  });
  const session = await deps.identity.issueSession({ role: 'patient', patientId: patient.id });
  return { session, patient, eligibility, referral };
}

/** A number the provider gave that cannot take text messages is not kept (the person can give another). */
function mobileOrNull(phone: string | null): string | null {
  if (phone === null) return null;
  try {
    return normalizeMobile(phone);
  } catch {
    return null;
  }
}

/** What the identity provider vouches for about a person; null when the PESEL came by an unverified channel. */
export interface VerifiedDetails {
  givenName: string;
  familyName: string;
  /**
   * The number the provider gave, as it gave it, or null. It is checked only when it would be kept (a
   * record without a phone): most people log in with a record that has one, and parsing costs.
   */
  phone: string | null;
}

/**
 * Inside a transaction: the patient of a PESEL, registered on first contact, with today's eligibility
 * and a referral issued when the person is eligible and has no valid one. Login and booking by SMS
 * both start here, but only a login brings verified details: the names replace whatever the record
 * held, and the provider's phone becomes the person's when they have none. A PESEL that came by text
 * message (`verified: null`) registers a record with no names and no phone, and changes nothing on
 * an existing one.
 */
export async function enrolPatient(
  deps: Deps,
  tx: Transaction,
  person: { pesel: string; language: Language; verified: VerifiedDetails | null },
): Promise<{ patient: Patient; eligibility: Eligibility; referral: Referral | null; registered: boolean }> {
  const now = deps.clock.now();
  const parsed = parsePesel(person.pesel);
  const existing = await tx.getPatientByPesel(parsed.pesel);
  const rules = await tx.listEligibilityRules();
  const current = existing ? await tx.getReferral(existing.id) : null;
  // Groups referred by an uploaded list before the person registered are theirs from the start.
  const referred = existing ? [] : await referredGroups(tx, parsed.pesel);
  const verified = person.verified;
  const patient: Patient = existing
    ? withVerifiedDetails(existing, verified)
    : {
        id: deps.ids.next('pat'),
        pesel: parsed.pesel,
        givenName: verified?.givenName ?? '',
        familyName: verified?.familyName ?? '',
        birthDate: parsed.birthDate,
        sex: parsed.sex,
        phone: mobileOrNull(verified?.phone ?? null),
        language: person.language,
        groups: referred,
        createdAt: now.toISOString(),
      };
  const eligibility = eligibilityNow(deps, patient, rules, { now });
  let referral = current;
  if (!existing) {
    tx.putPatient(patient);
    tx.addEvent(
      makeEvent(deps.ids.next('evt'), 'patient.registered.v2', now, SYSTEM, patient.id, {
        patientId: patient.id,
        birthYear: Number(patient.birthDate.slice(0, 4)),
        sex: patient.sex,
      }),
    );
    if (referred.length > 0) {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'patient.groups_changed', now, SYSTEM, patient.id, {
          patientId: patient.id,
          groups: referred,
        }),
      );
    }
  } else if (patient !== existing) {
    tx.putPatient(patient);
    if (patient.phone !== existing.phone) {
      tx.addEvent(
        makeEvent(deps.ids.next('evt'), 'patient.contact_changed', now, SYSTEM, patient.id, {
          patientId: patient.id,
          hasPhone: patient.phone !== null,
          language: patient.language,
        }),
      );
    }
  }
  if (eligibility.eligible && !isReferralValid(current, now)) {
    referral = issueReferral({ id: deps.ids.next('ref'), patientId: patient.id, rule: eligibility.rule, now });
    tx.putReferral(referral);
    tx.addEvent(makeEvent(deps.ids.next('evt'), 'referral.issued', now, SYSTEM, patient.id, { ...referral }));
  }
  return { patient, eligibility, referral, registered: !existing };
}

/** The record with the provider's names and, when it has no phone, the provider's; the same object when nothing changes. */
function withVerifiedDetails(patient: Patient, verified: VerifiedDetails | null): Patient {
  if (!verified) return patient;
  const phone = patient.phone ?? mobileOrNull(verified.phone);
  if (
    patient.givenName === verified.givenName &&
    patient.familyName === verified.familyName &&
    patient.phone === phone &&
    patient.registeredBy === undefined
  ) {
    return patient;
  }
  // A record an agent registered from a call is the person's own once they log in: no identity check due.
  const { registeredBy: _, ...own } = patient;
  return { ...own, givenName: verified.givenName, familyName: verified.familyName, phone };
}

export interface Me {
  principal: Principal;
  /** For a centre's people: their name and role as the centre keeps them. */
  staff: StaffMember | null;
  patient: Patient | null;
  eligibility: Eligibility | null;
  referral: Referral | null;
  /**
   * For an agent or a supervisor: how long the session lasts unused, and when it ends whatever happens
   * (the server refuses it after either), so that the console can say so before it does.
   */
  hotlineSession: { idleMinutes: number; endsAt: Instant } | null;
}

/**
 * What the signed-in person is: for a patient, also the record, eligibility today and referral; for
 * anyone else (staff, the hotline, the ministry's administrators and analysts), their principal.
 */
export async function whoAmI(deps: Deps, principal: Principal): Promise<Me> {
  requireRole(principal, 'patient', 'agent', 'staff', 'centre-manager', 'admin', 'supervisor', 'analyst');
  if (principal.role !== 'patient') {
    const staff = isCentrePrincipal(principal) ? await deps.store.getStaff(principal.staffId) : null;
    const started = isHotlinePrincipal(principal) && principal.session ? Date.parse(principal.session.startedAt) : null;
    const hotlineSession =
      started === null || Number.isNaN(started)
        ? null
        : {
            idleMinutes: deps.settings.hotlineIdleMinutes,
            endsAt: new Date(started + deps.settings.hotlineSessionHours * 3_600_000).toISOString(),
          };
    return { principal, staff, patient: null, eligibility: null, referral: null, hotlineSession };
  }
  const patient = await deps.store.getPatient(principal.patientId);
  if (!patient) throw notFound('PATIENT_NOT_FOUND', 'Your patient record no longer exists.');
  const rules = await deps.store.listEligibilityRules();
  const eligibility = eligibilityNow(deps, patient, rules);
  const referral = await deps.store.runInTransaction((tx) => tx.getReferral(patient.id));
  return { principal, staff: null, patient, eligibility, referral, hotlineSession: null };
}
