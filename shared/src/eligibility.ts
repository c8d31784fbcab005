import type { EligibilityRule, LocalDate, Referral } from './model.ts';

/** Whether a person may book now; if not, why, and from when (null: no opening announced for them). */
export type Eligibility =
  | { eligible: true; rule: EligibilityRule }
  | { eligible: false; code: 'NOT_YET_ELIGIBLE' | 'NOT_ELIGIBLE'; message: string; eligibleFrom: LocalDate | null };

/** How long a referral lets its holder book, counted from when it was issued. */
export const REFERRAL_VALID_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

type Person = { birthDate: LocalDate; groups: readonly string[] };

const matches = (person: Person, rule: EligibilityRule): boolean =>
  rule.kind === 'birthYear'
    ? Number(person.birthDate.slice(0, 4)) <= rule.bornInOrBefore
    : person.groups.includes(rule.group);

/** Earliest opening first, then by id, so the same person always gets the same rule whatever the rules' order. */
const byOpening = (a: EligibilityRule, b: EligibilityRule): number =>
  a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * Decides whether a person may book on `today` under the rules announced so far. Dates are `YYYY-MM-DD`,
 * so comparing them as text orders them by calendar.
 */
export function evaluateEligibility(person: Person, rules: readonly EligibilityRule[], today: LocalDate): Eligibility {
  const applicable = rules.filter((rule) => matches(person, rule)).sort(byOpening);
  const inForce = applicable.find((rule) => rule.from <= today);
  if (inForce) return { eligible: true, rule: inForce };
  const upcoming = applicable[0];
  if (upcoming) {
    return {
      eligible: false,
      code: 'NOT_YET_ELIGIBLE',
      message: `You will be able to book a vaccination from ${upcoming.from} (${upcoming.description}).`,
      eligibleFrom: upcoming.from,
    };
  }
  return {
    eligible: false,
    code: 'NOT_ELIGIBLE',
    message: 'Registration for your age group has not been opened yet.',
    eligibleFrom: null,
  };
}

/** A referral records which rule let the person in, and lapses after REFERRAL_VALID_DAYS. */
export function issueReferral(args: { id: string; patientId: string; rule: EligibilityRule; now: Date }): Referral {
  return {
    id: args.id,
    patientId: args.patientId,
    ruleId: args.rule.id,
    issuedAt: args.now.toISOString(),
    validUntil: new Date(args.now.getTime() + REFERRAL_VALID_DAYS * DAY_MS).toISOString(),
  };
}

/** A referral is usable up to, but not including, its `validUntil` instant. */
export function isReferralValid(referral: Referral | null, now: Date): boolean {
  return referral !== null && now.getTime() < Date.parse(referral.validUntil);
}
