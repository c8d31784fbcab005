import type { EligibilityRule } from './model.ts';
import { type PreviewAggregates, type PreviewDraft, previewPolicy, shareAdmitted } from './policy-preview.ts';
import { aBirthYearRule } from './testing/index.ts';
import { VACCINES } from './vaccines.ts';

const TZ = 'Europe/Warsaw';
// 20:00 in Warsaw on Monday 1 March 2027.
const OPENS = '2027-03-01T19:00:00.000Z';

/** Aggregates of a small country: registrations by year, a few medics, two voivodeships' people and places. */
function someAggregates(overrides: Partial<PreviewAggregates> = {}): PreviewAggregates {
  return {
    registrations: [
      { birthYear: 1950, people: 100 },
      { birthYear: 1960, people: 200 },
      { birthYear: 1961, people: 300 },
      { birthYear: 1990, people: 400 },
    ],
    groupMembers: [
      { birthYear: 1990, groups: ['medical'], people: 40 },
      { birthYear: 1961, groups: ['medical', 'teachers'], people: 10 },
    ],
    population: [
      { voivodeship: '14', ageBand: '60-69', people: 1000 },
      { voivodeship: '14', ageBand: '80+', people: 2100 },
      { voivodeship: '12', ageBand: '60-69', people: 500 },
    ],
    populationDate: '2026-12-31',
    places: [
      aPlace({ voivodeship: '14', centreId: 'waw-1', vaccineId: 'comirnaty', free7: 10, firstFreeDate: '2027-02-21' }),
      aPlace({ voivodeship: '14', centreId: 'waw-1', vaccineId: 'vaxzevria', free7: 5, firstFreeDate: '2027-02-20' }),
      aPlace({ voivodeship: '14', centreId: 'waw-2', vaccineId: 'comirnaty', free7: 1, firstFreeDate: '2027-02-24' }),
      aPlace({ voivodeship: '12', centreId: 'krk-1', vaccineId: 'comirnaty', free7: 7, firstFreeDate: '2027-02-27' }),
      aPlace({ voivodeship: '12', centreId: 'krk-2', vaccineId: 'comirnaty', free7: 0, firstFreeDate: null }),
    ],
    asOf: { registrations: '2027-02-20T10:00:00.000Z', places: '2027-02-20' },
    ...overrides,
  };
}

function aPlace(p: {
  voivodeship: string;
  centreId: string;
  vaccineId: string;
  free7: number;
  firstFreeDate: string | null;
}): PreviewAggregates['places'][number] {
  return { ...p, free14: p.free7 * 2, free28: p.free7 * 4 };
}

const preview = (drafts: PreviewDraft[], rules: EligibilityRule[] = [], aggregates = someAggregates()) =>
  previewPolicy({ aggregates, rules, drafts, vaccines: VACCINES, timeZone: TZ });

describe('the share of a birth year a rule admits', () => {
  test('a birth-year rule admits the whole year or none of it', () => {
    expect(shareAdmitted(aBirthYearRule(1960), 1960, [])).toBe(1);
    expect(shareAdmitted(aBirthYearRule(1960), 1961, [])).toBe(0);
  });

  test('an age on a date admits the year of its boundary by the part of the year born on or before it', () => {
    const rule: EligibilityRule = { ...aBirthYearRule(0), kind: 'ageOnDate', minAge: 60, onDate: '2027-07-02' };
    // 2 July is the 183rd day of 1967, which has 365.
    expect(shareAdmitted(rule, 1967, [])).toBeCloseTo(183 / 365, 6);
    expect(shareAdmitted(rule, 1966, [])).toBe(1);
    expect(shareAdmitted(rule, 1968, [])).toBe(0);
  });

  test('a group admits its members whatever their year, and nobody else', () => {
    const rule: EligibilityRule = { ...aBirthYearRule(0), kind: 'group', group: 'medical' };
    expect(shareAdmitted(rule, 2001, ['medical', 'teachers'])).toBe(1);
    expect(shareAdmitted(rule, 2001, ['teachers'])).toBe(0);
    expect(shareAdmitted(rule, null, ['medical'])).toBe(1);
  });
});

describe('the preview of an eligibility change', () => {
  test('counts the registered people a birth year admits, and those the rules in force did not', () => {
    const answer = preview([{ kind: 'birthYear', bornInOrBefore: 1961, opensAt: OPENS }], [aBirthYearRule(1955)]);

    expect(answer.registered).toEqual({ matching: 600, newlyEligible: 500 });
    expect(answer.asOf).toEqual({ registrations: '2027-02-20T10:00:00.000Z', places: '2027-02-20' });
  });

  test('a rule in force only from a later date does not make anyone already eligible at the opening', () => {
    const later = aBirthYearRule(1961, '2027-06-01');

    expect(preview([{ kind: 'birthYear', bornInOrBefore: 1961, opensAt: OPENS }], [later]).registered).toEqual({
      matching: 600,
      newlyEligible: 600,
    });
  });

  test('a group counts its registered members, and the rest of their years are left out', () => {
    const answer = preview([{ kind: 'group', group: 'medical', opensAt: OPENS }], [aBirthYearRule(1961)]);

    // 40 medics born 1990; the 10 born 1961 were eligible by their age already.
    expect(answer.registered).toEqual({ matching: 50, newlyEligible: 40 });
    expect(answer.population).toEqual({ estimate: null, byVoivodeship: [] });
  });

  test('an age on a date admits the boundary year by the part of the year, and the residents of the ages', () => {
    // Aged 66 on 1 July 2027: born on or before 1 July 1961 (182 of 365 days), and everyone born earlier.
    const answer = preview([{ kind: 'ageOnDate', minAge: 66, onDate: '2027-07-01', opensAt: OPENS }]);

    expect(answer.registered.matching).toBe(Math.round(100 + 200 + (300 * 182) / 365));
    // Residents on 31 December 2026: 60–69 is 100 a year of age; born 1961 is 65, born 1957–1960 is 66–69.
    const mazowieckie = 4 * 100 + (100 * 182) / 365 + 2100;
    expect(answer.population.byVoivodeship).toHaveLength(16);
    expect(answer.population.byVoivodeship.filter((v) => v.people > 0)).toEqual([
      { voivodeship: '12', name: 'małopolskie', people: Math.round(4 * 50 + (50 * 182) / 365) },
      { voivodeship: '14', name: 'mazowieckie', people: Math.round(mazowieckie) },
    ]);
    expect(answer.population.estimate).toBe(answer.population.byVoivodeship.reduce((s, v) => s + v.people, 0));
  });

  test('a regional opening counts the residents and places of its voivodeship only', () => {
    const answer = preview([{ kind: 'birthYear', bornInOrBefore: 1961, opensAt: OPENS, region: 'malopolskie' }]);

    expect(answer.population.byVoivodeship.map((v) => v.voivodeship)).toEqual(['12']);
    expect(answer.places).toEqual([
      { voivodeship: '12', name: 'małopolskie', free7: 7, free14: 14, free28: 28, daysToFirstFree: 7 },
    ]);
    expect(answer.totals).toEqual({ free7: 7, free14: 14, free28: 28, daysToFirstFree: 7 });
  });

  test('a regional rule in force does not make anyone already eligible for a national opening', () => {
    const regional = { ...aBirthYearRule(1961), region: 'malopolskie' };

    expect(preview([{ kind: 'birthYear', bornInOrBefore: 1961, opensAt: OPENS }], [regional]).registered).toEqual({
      matching: 600,
      newlyEligible: 600,
    });
    expect(
      preview([{ kind: 'birthYear', bornInOrBefore: 1961, opensAt: OPENS, region: 'malopolskie' }], [regional])
        .registered.newlyEligible,
    ).toBe(0);
  });

  test('places count the products the youngest person admitted may take; the days to the first free place are the median over centres', () => {
    // Born 2010 are 16 at the opening: Comirnaty (from 12) yes, Vaxzevria (from 18) no.
    const young = preview([{ kind: 'birthYear', bornInOrBefore: 2010, opensAt: OPENS }]);
    const mazowieckie = young.places.find((p) => p.voivodeship === '14');
    expect(mazowieckie).toEqual({
      voivodeship: '14',
      name: 'mazowieckie',
      free7: 11,
      free14: 22,
      free28: 44,
      // waw-1's first Comirnaty place is a day later (1), waw-2's in 4: the median of 1 and 4.
      daysToFirstFree: 2.5,
    });
    expect(young.places).toHaveLength(16);
    expect(young.totals).toEqual({ free7: 18, free14: 36, free28: 72, daysToFirstFree: 4 });

    const old = preview([{ kind: 'birthYear', bornInOrBefore: 1960, opensAt: OPENS }]);
    expect(old.places.find((p) => p.voivodeship === '14')).toMatchObject({ free7: 16, daysToFirstFree: 2 });
  });

  test('several drafts count each person once, at each draft’s own opening', () => {
    const answer = preview([
      { kind: 'birthYear', bornInOrBefore: 1960, opensAt: OPENS },
      { kind: 'birthYear', bornInOrBefore: 1961, opensAt: '2027-03-02T19:00:00.000Z' },
      { kind: 'group', group: 'medical', opensAt: OPENS },
    ]);

    expect(answer.registered).toEqual({ matching: 640, newlyEligible: 640 });
  });

  test('with no snapshot of places, there are no days to a first free place', () => {
    const answer = preview(
      [{ kind: 'birthYear', bornInOrBefore: 1960, opensAt: OPENS }],
      [],
      someAggregates({ places: [], asOf: { registrations: null, places: null } }),
    );

    expect(answer.totals).toEqual({ free7: 0, free14: 0, free28: 0, daysToFirstFree: null });
    expect(answer.asOf).toEqual({ registrations: null, places: null });
  });
});
