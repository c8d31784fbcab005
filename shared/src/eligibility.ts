import type { EligibilityRule, Instant, LocalDate, Referral } from './model.ts';
import { ageOn } from './pesel.ts';
import { toLocal } from './time-zone.ts';

/** Whether a person may book now; if not, why, and from when (null: no opening announced for them). */
export type Eligibility =
  | { eligible: true; rule: EligibilityRule }
  | {
      eligible: false;
      code: 'NOT_YET_ELIGIBLE' | 'NOT_ELIGIBLE';
      message: string;
      eligibleFrom: LocalDate | null;
      /** The instant of that opening, when it opens at a time of day rather than at midnight. */
      eligibleAt?: Instant | undefined;
    };

/** How long a referral lets its holder book, counted from when it was issued. */
export const REFERRAL_VALID_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

type Person = { birthDate: LocalDate; groups: readonly string[] };

/** The moment and place eligibility is asked about, beyond the country's date. */
export interface EligibilityQuestion {
  /** The instant: an opening at a time of day (`opensAt`) is in force from it. Absent: such an opening counts from the day after. */
  now?: Instant | undefined;
  /** The voivodeship (slug) of the centre in question: rules opening other regions do not apply. Absent: any. */
  region?: string | undefined;
  /** The country's zone, to word an opening's time of day in the answer. */
  timeZone?: string | undefined;
}

/** Whether a person is among those a rule opens booking to (wherever and whenever it opens). */
export function ruleMatches(person: Person, rule: EligibilityRule): boolean {
  switch (rule.kind) {
    case 'birthYear':
      return Number(person.birthDate.slice(0, 4)) <= rule.bornInOrBefore;
    case 'ageOnDate':
      return ageOn(person.birthDate, rule.onDate) >= rule.minAge;
    case 'group':
      return person.groups.includes(rule.group);
  }
}

/** Whether a rule's opening has come (and it is not paused) on `today`, at `now` when given. */
export function isRuleOpen(rule: EligibilityRule, today: LocalDate, now?: Instant): boolean {
  if (rule.pausedAt !== undefined) return false;
  if (rule.opensAt === undefined) return rule.from <= today;
  if (now === undefined) return rule.from < today;
  return Date.parse(now) >= Date.parse(rule.opensAt);
}

/** Earliest opening first, then by id, so the same person always gets the same rule whatever the rules' order. */
const byOpening = (a: EligibilityRule, b: EligibilityRule): number => {
  const at = (rule: EligibilityRule) => rule.opensAt ?? `${rule.from}T00:00:00.000Z`;
  if (a.from !== b.from) return a.from < b.from ? -1 : 1;
  if (at(a) !== at(b)) return at(a) < at(b) ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * Decides whether a person may book on `today` under the rules announced so far. Dates are `YYYY-MM-DD`,
 * so comparing them as text orders them by calendar. A paused rule neither admits nor announces.
 */
export function evaluateEligibility(
  person: Person,
  rules: readonly EligibilityRule[],
  today: LocalDate,
  question: EligibilityQuestion = {},
): Eligibility {
  const applicable = rules
    .filter((rule) => ruleMatches(person, rule))
    .filter((rule) => question.region === undefined || rule.region === undefined || rule.region === question.region)
    .sort(byOpening);
  const open = applicable.filter((rule) => isRuleOpen(rule, today, question.now));
  // Anywhere beats one region: a person a national rule admits is told they may book everywhere.
  const inForce = open.find((rule) => rule.region === undefined) ?? open[0];
  if (inForce) return { eligible: true, rule: inForce };
  const upcoming = applicable.find((rule) => rule.pausedAt === undefined);
  if (upcoming) {
    const time =
      upcoming.opensAt === undefined || question.timeZone === undefined
        ? ''
        : ` at ${toLocal(new Date(upcoming.opensAt), question.timeZone).time}`;
    return {
      eligible: false,
      code: 'NOT_YET_ELIGIBLE',
      message: `You will be able to book a vaccination from ${upcoming.from}${time} (${upcoming.description}).`,
      eligibleFrom: upcoming.from,
      ...(upcoming.opensAt === undefined ? {} : { eligibleAt: upcoming.opensAt }),
    };
  }
  if (applicable.length > 0) {
    return {
      eligible: false,
      code: 'NOT_YET_ELIGIBLE',
      message: 'Registration for your group is paused; it will be announced when it resumes.',
      eligibleFrom: null,
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
