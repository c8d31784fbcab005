import type { EligibilityRule, PolicyChange, PolicyVersion } from './model.ts';
import {
  applyChange,
  approve,
  openingsPassed,
  pauseRuleIn,
  policyAt,
  type RuleDraft,
  reject,
  ruleFromDraft,
  rulesFromDrafts,
  withdraw,
} from './policy.ts';

const ZONE = 'Europe/Warsaw';
const NOW = new Date('2026-01-12T07:00:00.000Z');
const context = { now: NOW, timeZone: ZONE };

const born = (year: number, opensAt = '2026-01-15T19:00:00.000Z', more: Partial<RuleDraft> = {}): RuleDraft =>
  ({ kind: 'birthYear', bornInOrBefore: year, opensAt, ...more }) as RuleDraft;

const aChange = (overrides: Partial<PolicyChange> = {}): PolicyChange => ({
  id: 'pch-1',
  action: 'open',
  rules: [ruleFromDraft(born(1951), context)],
  note: '',
  status: 'pending',
  proposedBy: 'admin-1',
  proposedAt: NOW.toISOString(),
  ...overrides,
});

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('a draft becomes the rule that will be stored', () => {
  test('its id names whom, where and when it opens; from is the opening’s date in the country', () => {
    expect(ruleFromDraft(born(1951), context)).toEqual({
      id: 'born-1951-at-2026-01-15T1900Z',
      kind: 'birthYear',
      bornInOrBefore: 1951,
      from: '2026-01-15',
      opensAt: '2026-01-15T19:00:00.000Z',
      description: 'People born in 1951 or earlier',
    });
    // 23:30 UTC is already the next day in Warsaw.
    const late = ruleFromDraft(
      { kind: 'group', group: 'teachers', opensAt: '2026-01-15T23:30:00Z', region: 'mazowieckie' },
      context,
    );
    expect(late).toMatchObject({
      id: 'group-teachers-in-mazowieckie-at-2026-01-15T2330Z',
      from: '2026-01-16',
      region: 'mazowieckie',
      description: 'Priority group: teachers (mazowieckie)',
    });
    const age = ruleFromDraft(
      {
        kind: 'ageOnDate',
        minAge: 60,
        onDate: '2026-06-30',
        opensAt: '2026-01-15T20:00:00+01:00',
        description: '  60+  ',
      },
      context,
    );
    expect(age).toMatchObject({ id: 'age-60-on-2026-06-30-at-2026-01-15T1900Z', description: '60+' });
  });

  test.each([
    [born(1951, 'tomorrow'), 'INVALID_INSTANT', 'opensAt'],
    [born(1951, '2026-01-15T19:00:30Z'), 'INVALID_INSTANT', 'opensAt'],
    [born(1951, '2019-12-31T22:59:00Z'), 'DATE_OUT_OF_RANGE', 'opensAt'],
    [born(1951, '2028-01-12T07:01:00Z'), 'DATE_OUT_OF_RANGE', 'opensAt'],
    [born(1899), 'INVALID_YEAR', 'bornInOrBefore'],
    [born(2027), 'INVALID_YEAR', 'bornInOrBefore'],
    [born(1950.5), 'INVALID_YEAR', 'bornInOrBefore'],
    [
      { kind: 'ageOnDate', minAge: 121, onDate: '2026-01-01', opensAt: '2026-01-15T19:00:00Z' },
      'INVALID_AGE',
      'minAge',
    ],
    [{ kind: 'ageOnDate', minAge: -1, onDate: '2026-01-01', opensAt: '2026-01-15T19:00:00Z' }, 'INVALID_AGE', 'minAge'],
    [
      { kind: 'ageOnDate', minAge: 60, onDate: '2026-02-30', opensAt: '2026-01-15T19:00:00Z' },
      'INVALID_DATE',
      'onDate',
    ],
    [{ kind: 'group', group: 'Teachers', opensAt: '2026-01-15T19:00:00Z' }, 'INVALID_GROUP', 'group'],
    [born(1951, '2026-01-15T19:00:00Z', { region: 'bavaria' }), 'INVALID_REGION', 'region'],
    [born(1951, '2026-01-15T19:00:00Z', { description: 'x'.repeat(201) }), 'TEXT_TOO_LONG', 'description'],
  ] as Array<[RuleDraft, string, string]>)('%o is refused as %s naming %s', (draft, code, field) => {
    expect(failure(() => rulesFromDrafts([born(1950), draft], context))).toMatchObject({
      kind: 'invalid',
      code,
      field: `rules.1.${field}`,
    });
  });

  test('the earliest and latest openings allowed are accepted', () => {
    expect(ruleFromDraft(born(1951, '2020-01-01T00:00:00Z'), context).from).toBe('2020-01-01');
    expect(ruleFromDraft(born(1951, '2028-01-12T07:00:00Z'), context).from).toBe('2028-01-12');
  });

  test('a change opens 1 to 60 rules, none twice', () => {
    expect(failure(() => rulesFromDrafts([], context))).toMatchObject({ code: 'INVALID_RULES', field: 'rules' });
    const days = Array.from({ length: 61 }, (_, i) => born(1900 + i));
    expect(failure(() => rulesFromDrafts(days, context))).toMatchObject({ code: 'INVALID_RULES' });
    expect(rulesFromDrafts(days.slice(0, 60), context)).toHaveLength(60);
    expect(
      failure(() => rulesFromDrafts([born(1951), born(1951, '2026-01-15T20:00:00+01:00')], context)),
    ).toMatchObject({
      code: 'DUPLICATE_RULE',
      field: 'rules.1',
    });
  });
});

describe('the two-person rule', () => {
  test('the proposer cannot approve their own change; another administrator can', () => {
    expect(failure(() => approve(aChange(), 'admin-1', '2026-01-12T08:00:00.000Z', 1))).toMatchObject({
      kind: 'forbidden',
      code: 'SAME_ADMIN',
    });
    expect(approve(aChange(), 'admin-2', '2026-01-12T08:00:00.000Z', 3, ' fine ')).toMatchObject({
      status: 'approved',
      decidedBy: 'admin-2',
      decidedAt: '2026-01-12T08:00:00.000Z',
      decisionNote: 'fine',
      version: 3,
    });
  });

  test('only a pending change is decided, and only its proposer withdraws it', () => {
    for (const status of ['approved', 'rejected', 'withdrawn'] as const) {
      const done = aChange({ status });
      expect(failure(() => approve(done, 'admin-2', NOW.toISOString(), 1))).toMatchObject({
        kind: 'conflict',
        code: 'CHANGE_NOT_PENDING',
      });
      expect(failure(() => reject(done, 'admin-2', NOW.toISOString(), 'no'))).toMatchObject({
        code: 'CHANGE_NOT_PENDING',
      });
    }
    expect(failure(() => withdraw(aChange(), 'admin-2', NOW.toISOString()))).toMatchObject({
      kind: 'forbidden',
      code: 'NOT_PROPOSER',
    });
    expect(withdraw(aChange(), 'admin-1', NOW.toISOString()).status).toBe('withdrawn');
    expect(reject(aChange(), 'admin-1', NOW.toISOString(), 'too early')).toMatchObject({
      status: 'rejected',
      decisionNote: 'too early',
    });
  });

  test('an approval after the opening says which rules open at once', () => {
    const change = aChange();
    expect(openingsPassed(change, '2026-01-15T18:59:00.000Z')).toEqual([]);
    expect(openingsPassed(change, '2026-01-15T19:00:00.000Z')).toEqual(['born-1951-at-2026-01-15T1900Z']);
  });
});

describe('a change applied to the rules', () => {
  const existing: EligibilityRule = { ...ruleFromDraft(born(1940, '2026-01-10T07:00:00Z'), context) };

  test('open adds its rules; one already in force is a conflict', () => {
    const change = aChange();
    expect(applyChange([existing], change).map((r) => r.id)).toEqual([existing.id, 'born-1951-at-2026-01-15T1900Z']);
    expect(failure(() => applyChange(applyChange([existing], change), change))).toMatchObject({ code: 'RULE_EXISTS' });
  });

  test('pause sets pausedAt; resume clears it; each refuses the wrong state', () => {
    const paused = pauseRuleIn([existing], existing.id, '2026-01-12T09:00:00.000Z');
    expect(paused[0]?.pausedAt).toBe('2026-01-12T09:00:00.000Z');
    expect(failure(() => pauseRuleIn(paused, existing.id, NOW.toISOString()))).toMatchObject({
      code: 'RULE_ALREADY_PAUSED',
    });
    const resume = aChange({ action: 'resume', ruleId: existing.id, rules: undefined });
    expect(applyChange(paused, resume)).toEqual([existing]);
    expect(failure(() => applyChange([existing], resume))).toMatchObject({ code: 'RULE_NOT_PAUSED' });
    expect(failure(() => pauseRuleIn([existing], 'nope', NOW.toISOString()))).toMatchObject({
      kind: 'not_found',
      code: 'RULE_NOT_FOUND',
      field: 'ruleId',
    });
  });

  test('cancel removes the rule, opened or not', () => {
    const cancel = aChange({ action: 'cancel', ruleId: existing.id, rules: undefined });
    expect(applyChange([existing], cancel)).toEqual([]);
    expect(failure(() => applyChange([], cancel))).toMatchObject({ code: 'RULE_NOT_FOUND' });
  });
});

describe('the policy at an instant', () => {
  const rule = ruleFromDraft(born(1951), context);
  const versions: PolicyVersion[] = [
    {
      version: 2,
      at: '2026-01-16T10:00:00.000Z',
      rules: [{ ...rule, pausedAt: '2026-01-16T10:00:00.000Z' }],
      changeId: null,
      by: 'admin-1',
    },
    { version: 0, at: '2020-01-01T00:00:00.000Z', rules: [], changeId: null, by: 'system' },
    { version: 1, at: '2026-01-12T09:00:00.000Z', rules: [rule], changeId: 'pch-1', by: 'admin-2' },
  ];

  test('each instant has the version then in force and each rule’s state', () => {
    expect(policyAt(versions, '2026-01-12T08:59:00.000Z', ZONE)).toEqual({
      version: 0,
      at: '2026-01-12T08:59:00.000Z',
      rules: [],
    });
    expect(policyAt(versions, '2026-01-15T18:59:00.000Z', ZONE)).toMatchObject({
      version: 1,
      rules: [{ id: rule.id, state: 'planned' }],
    });
    expect(policyAt(versions, '2026-01-15T19:00:00.000Z', ZONE)).toMatchObject({
      version: 1,
      rules: [{ id: rule.id, state: 'open' }],
    });
    expect(policyAt(versions, '2026-01-16T10:00:00.000Z', ZONE)).toMatchObject({
      version: 2,
      rules: [{ id: rule.id, state: 'paused' }],
    });
  });

  test('before the first version the earliest one counts; with none, no rules', () => {
    expect(policyAt(versions.slice(2), '2025-01-01T00:00:00.000Z', ZONE).version).toBe(1);
    expect(policyAt([], '2026-01-12T08:00:00.000Z', ZONE)).toEqual({
      version: 0,
      at: '2026-01-12T08:00:00.000Z',
      rules: [],
    });
  });
});
