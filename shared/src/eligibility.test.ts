import { evaluateEligibility, isReferralValid, issueReferral, REFERRAL_VALID_DAYS } from './eligibility.ts';
import type { EligibilityRule, Referral } from './model.ts';

const TODAY = '2026-01-15';

const aPerson = ({ born = 1950, groups = [] as string[] } = {}) => ({ birthDate: `${born}-06-30`, groups });

const aBirthYearRule = ({ upTo = 1960, from = '2026-01-10', id = '' } = {}): EligibilityRule => ({
  id: id || `born-${upTo}`,
  kind: 'birthYear',
  bornInOrBefore: upTo,
  from,
  description: `People born in ${upTo} or earlier`,
});

const aGroupRule = ({ group = 'medical', from = '2026-01-10', id = '' } = {}): EligibilityRule => ({
  id: id || `group-${group}`,
  kind: 'group',
  group,
  from,
  description: `Members of the ${group} group`,
});

const aReferral = (validUntil: string): Referral => ({
  id: 'ref-1',
  patientId: 'patient-1',
  ruleId: 'born-1960',
  issuedAt: '2026-01-01T00:00:00.000Z',
  validUntil,
});

describe('evaluateEligibility', () => {
  test('admits someone born before the cut-off year of a rule in force', () => {
    const rule = aBirthYearRule({ upTo: 1960 });
    expect(evaluateEligibility(aPerson({ born: 1950 }), [rule], TODAY)).toEqual({ eligible: true, rule });
  });

  test('admits someone born in the cut-off year itself', () => {
    expect(evaluateEligibility(aPerson({ born: 1960 }), [aBirthYearRule({ upTo: 1960 })], TODAY).eligible).toBe(true);
  });

  test('admits from the first day the rule is in force', () => {
    const rule = aBirthYearRule({ from: TODAY });
    expect(evaluateEligibility(aPerson(), [rule], TODAY)).toEqual({ eligible: true, rule });
  });

  test('admits a member of a group that has been opened', () => {
    const rule = aGroupRule({ group: 'medical' });
    expect(evaluateEligibility(aPerson({ born: 1990, groups: ['medical'] }), [rule], TODAY)).toEqual({
      eligible: true,
      rule,
    });
  });

  test('does not admit someone outside the group', () => {
    const result = evaluateEligibility(aPerson({ born: 1990, groups: ['teachers'] }), [aGroupRule()], TODAY);
    expect(result).toMatchObject({ eligible: false, code: 'NOT_ELIGIBLE', eligibleFrom: null });
  });

  test('tells someone too young that their age group has not been opened yet', () => {
    const result = evaluateEligibility(aPerson({ born: 1990 }), [aBirthYearRule({ upTo: 1960 })], TODAY);
    expect(result).toEqual({
      eligible: false,
      code: 'NOT_ELIGIBLE',
      message: expect.stringMatching(/age group has not been opened yet/),
      eligibleFrom: null,
    });
  });

  test('is not eligible when no rules exist at all', () => {
    expect(evaluateEligibility(aPerson(), [], TODAY)).toMatchObject({ eligible: false, code: 'NOT_ELIGIBLE' });
  });

  test('names the date from which a matching future rule opens', () => {
    const result = evaluateEligibility(aPerson(), [aBirthYearRule({ from: '2026-02-01' })], TODAY);
    expect(result).toEqual({
      eligible: false,
      code: 'NOT_YET_ELIGIBLE',
      message: expect.stringContaining('2026-02-01'),
      eligibleFrom: '2026-02-01',
    });
  });

  test('reports the earliest of several matching future rules', () => {
    const rules = [
      aBirthYearRule({ upTo: 1970, from: '2026-03-01' }),
      aGroupRule({ from: '2026-02-10' }),
      aBirthYearRule({ upTo: 1955, from: '2026-02-20' }),
    ];
    const result = evaluateEligibility(aPerson({ born: 1950, groups: ['medical'] }), rules, TODAY);
    expect(result).toMatchObject({ code: 'NOT_YET_ELIGIBLE', eligibleFrom: '2026-02-10' });
  });

  test('ignores a future rule the person does not match when naming the date', () => {
    const rules = [aGroupRule({ from: '2026-01-20' }), aBirthYearRule({ upTo: 1960, from: '2026-02-01' })];
    expect(evaluateEligibility(aPerson({ born: 1950 }), rules, TODAY)).toMatchObject({ eligibleFrom: '2026-02-01' });
  });

  test('prefers a rule in force over a future one', () => {
    const current = aBirthYearRule({ upTo: 1960, from: '2026-01-10' });
    const rules = [aGroupRule({ from: '2026-01-01' }), aBirthYearRule({ upTo: 1980, from: '2026-02-01' }), current];
    expect(evaluateEligibility(aPerson({ born: 1950 }), rules, TODAY)).toEqual({ eligible: true, rule: current });
  });

  test('reports the earliest-opened rule in force whatever the order of the rules', () => {
    const older = aBirthYearRule({ upTo: 1940, from: '2025-12-01' });
    const newer = aBirthYearRule({ upTo: 1960, from: '2026-01-10' });
    const person = aPerson({ born: 1935 });
    expect(evaluateEligibility(person, [newer, older], TODAY)).toEqual({ eligible: true, rule: older });
    expect(evaluateEligibility(person, [older, newer], TODAY)).toEqual({ eligible: true, rule: older });
  });

  test('breaks a tie between rules opened the same day by id', () => {
    const byGroup = aGroupRule({ id: 'a-medical' });
    const byYear = aBirthYearRule({ id: 'b-born-1960' });
    const person = aPerson({ born: 1950, groups: ['medical'] });
    expect(evaluateEligibility(person, [byYear, byGroup], TODAY)).toEqual({ eligible: true, rule: byGroup });
    expect(evaluateEligibility(person, [byGroup, byYear], TODAY)).toEqual({ eligible: true, rule: byGroup });
  });
});

describe('issueReferral', () => {
  test('records the granting rule and lasts REFERRAL_VALID_DAYS from issue', () => {
    const now = new Date('2026-01-15T09:30:00.000Z');
    expect(issueReferral({ id: 'ref-7', patientId: 'patient-3', rule: aGroupRule({ id: 'medics' }), now })).toEqual({
      id: 'ref-7',
      patientId: 'patient-3',
      ruleId: 'medics',
      issuedAt: '2026-01-15T09:30:00.000Z',
      validUntil: '2026-04-15T09:30:00.000Z',
    });
    expect(REFERRAL_VALID_DAYS).toBe(90);
  });
});

describe('isReferralValid', () => {
  const validUntil = '2026-04-15T09:30:00.000Z';

  test('accepts a referral before it expires', () => {
    expect(isReferralValid(aReferral(validUntil), new Date('2026-04-15T09:29:59.999Z'))).toBe(true);
  });

  test('rejects a referral from the instant it expires', () => {
    expect(isReferralValid(aReferral(validUntil), new Date(validUntil))).toBe(false);
  });

  test('rejects a missing referral', () => {
    expect(isReferralValid(null, new Date('2026-01-15T00:00:00.000Z'))).toBe(false);
  });

  test('accepts a freshly issued referral and rejects it after 90 days', () => {
    const now = new Date('2026-01-15T09:30:00.000Z');
    const referral = issueReferral({ id: 'ref-1', patientId: 'patient-1', rule: aBirthYearRule(), now });
    expect(isReferralValid(referral, now)).toBe(true);
    expect(isReferralValid(referral, new Date(now.getTime() + REFERRAL_VALID_DAYS * 24 * 60 * 60 * 1000))).toBe(false);
  });
});

describe('openings at a time, in a region, paused, by age on a date', () => {
  const at8pm = { ...aBirthYearRule({ upTo: 1951, from: TODAY }), opensAt: '2026-01-15T19:00:00.000Z' };

  test('an opening at 20:00 admits from 20:00 and not a minute before', () => {
    expect(evaluateEligibility(aPerson({ born: 1951 }), [at8pm], TODAY, { now: '2026-01-15T18:59:00.000Z' })).toEqual(
      expect.objectContaining({ eligible: false, code: 'NOT_YET_ELIGIBLE', eligibleFrom: TODAY }),
    );
    expect(evaluateEligibility(aPerson({ born: 1951 }), [at8pm], TODAY, { now: '2026-01-15T19:00:00.000Z' })).toEqual({
      eligible: true,
      rule: at8pm,
    });
  });

  test('tells the time of the opening in the country’s zone', () => {
    const answer = evaluateEligibility(aPerson({ born: 1951 }), [at8pm], TODAY, {
      now: '2026-01-15T10:00:00.000Z',
      timeZone: 'Europe/Warsaw',
    });
    expect(answer.eligible === false && answer.message).toContain('2026-01-15 at 20:00');
  });

  test('without the instant, an opening at a time of day counts from the next day', () => {
    expect(evaluateEligibility(aPerson({ born: 1951 }), [at8pm], TODAY).eligible).toBe(false);
    expect(evaluateEligibility(aPerson({ born: 1951 }), [at8pm], '2026-01-16').eligible).toBe(true);
  });

  test('a paused opening admits nobody and announces no date', () => {
    const paused = { ...aBirthYearRule({ upTo: 1960 }), pausedAt: '2026-01-12T10:00:00.000Z' };
    expect(evaluateEligibility(aPerson(), [paused], TODAY)).toEqual(
      expect.objectContaining({ eligible: false, code: 'NOT_YET_ELIGIBLE', eligibleFrom: null }),
    );
  });

  test('a regional opening admits at that region’s centres only, and a national one wins when both apply', () => {
    const regional = { ...aBirthYearRule({ upTo: 1960, id: 'born-1960-mazowieckie' }), region: 'mazowieckie' };
    expect(evaluateEligibility(aPerson(), [regional], TODAY, { region: 'mazowieckie' }).eligible).toBe(true);
    expect(evaluateEligibility(aPerson(), [regional], TODAY, { region: 'slaskie' }).eligible).toBe(false);
    const national = aBirthYearRule({ upTo: 1955, from: '2026-01-12' });
    expect(evaluateEligibility(aPerson(), [regional, national], TODAY)).toEqual({ eligible: true, rule: national });
  });

  test('an age on a date counts full years on that date', () => {
    const rule: EligibilityRule = {
      id: 'age-70-on-2026-03-01',
      kind: 'ageOnDate',
      minAge: 70,
      onDate: '2026-03-01',
      from: '2026-01-10',
      description: 'People aged 70 or more on 1 March 2026',
    };
    expect(evaluateEligibility({ birthDate: '1956-03-01', groups: [] }, [rule], TODAY).eligible).toBe(true);
    expect(evaluateEligibility({ birthDate: '1956-03-02', groups: [] }, [rule], TODAY).eligible).toBe(false);
  });
});
