import { AGE_BANDS, type AgeBand } from './age-bands.ts';
import { isRuleOpen, ruleMatches } from './eligibility.ts';
import type { EligibilityRule, Instant, LocalDate, Vaccine } from './model.ts';
import { ageOn } from './pesel.ts';
import { TERYT_VOIVODESHIPS, voivodeshipBySlug } from './teryt.ts';
import { localToday } from './time-zone.ts';
import { median } from './use-cases/reports.ts';

/** An opening as an administrator drafts it: who, from which instant, where (absent: everywhere). */
export type PreviewDraft = (
  | { kind: 'birthYear'; bornInOrBefore: number }
  | { kind: 'ageOnDate'; minAge: number; onDate: LocalDate }
  | { kind: 'group'; group: string }
) & { opensAt: Instant; region?: string | undefined; description?: string | undefined };

/** The warehouse's aggregates the preview reads: never a person's row, only counts. */
export interface PreviewAggregates {
  /** Registered people per birth year. */
  registrations: ReadonlyArray<{ birthYear: number; people: number }>;
  /** Members of priority groups per birth year (null: no registration found) and exact set of groups. */
  groupMembers: ReadonlyArray<{ birthYear: number | null; groups: readonly string[]; people: number }>;
  /** Residents per voivodeship (TERYT) and age band on `populationDate`. */
  population: ReadonlyArray<{ voivodeship: string; ageBand: AgeBand; people: number }>;
  populationDate: LocalDate | null;
  /** The latest availability snapshot, per centre and product, with the centre's voivodeship (TERYT). */
  places: ReadonlyArray<{
    voivodeship: string;
    centreId: string;
    vaccineId: string;
    free7: number;
    free14: number;
    free28: number;
    firstFreeDate: LocalDate | null;
  }>;
  asOf: { registrations: Instant | null; places: LocalDate | null };
}

/** Where the preview's aggregates come from: the warehouse, locally or in the cloud. */
export interface PreviewData {
  aggregates(): Promise<PreviewAggregates>;
}

export interface PlacesOfVoivodeship {
  voivodeship: string;
  name: string;
  free7: number;
  free14: number;
  free28: number;
  daysToFirstFree: number | null;
}

/** What opening the drafts would do: who they let in, and the room there is for them. */
export interface PolicyPreview {
  asOf: { registrations: Instant | null; places: LocalDate | null };
  registered: { matching: number; newlyEligible: number };
  population: {
    estimate: number | null;
    byVoivodeship: Array<{ voivodeship: string; name: string; people: number }>;
  };
  places: PlacesOfVoivodeship[];
  totals: { free7: number; free14: number; free28: number; daysToFirstFree: number | null };
}

/** The oldest age the population's last band (80+) is spread over. */
export const OLDEST_AGE = 100;

const DAY_MS = 86_400_000;

/** A draft as the rule it would be, to ask eligibility's own questions of it. */
export function draftRule(draft: PreviewDraft, index: number, timeZone: string): EligibilityRule {
  const { opensAt, region, description, ...who } = draft;
  return {
    ...who,
    id: `draft-${index + 1}`,
    from: localToday(new Date(opensAt), timeZone),
    opensAt,
    ...(region === undefined ? {} : { region }),
    description: description ?? '',
  };
}

/**
 * The share of the people born in `birthYear` holding `groups` whom a rule admits: 1 or 0, but for a
 * rule of age on a date whose boundary falls in that year, the part of the year born on or before it.
 */
export function shareAdmitted(rule: EligibilityRule, birthYear: number | null, groups: readonly string[]): number {
  if (birthYear === null) return rule.kind === 'group' && groups.includes(rule.group) ? 1 : 0;
  const person = (date: string) => ({ birthDate: `${birthYear}-${date}`, groups });
  if (ruleMatches(person('12-31'), rule)) return 1;
  if (!ruleMatches(person('01-01'), rule) || rule.kind !== 'ageOnDate') return 0;
  // Born on or before the day `minAge` years before `onDate`: that day's place in the year.
  const limit = Date.UTC(birthYear, Number(rule.onDate.slice(5, 7)) - 1, Number(rule.onDate.slice(8, 10)));
  const start = Date.UTC(birthYear, 0, 1);
  const days = (Date.UTC(birthYear + 1, 0, 1) - start) / DAY_MS;
  return Math.min(1, Math.max(0, Math.round((limit - start) / DAY_MS + 1) / days));
}

/** Whether a rule in force lets people in where a draft opens: a national rule anywhere, a regional one in its region. */
const coversRegion = (rule: EligibilityRule, region: string | undefined) =>
  rule.region === undefined || (region !== undefined && rule.region === region);

/** The length of the union of intervals (lo, hi] within [0, 1]. */
function unionLength(intervals: Array<[number, number]>): number {
  const sorted = intervals.filter(([lo, hi]) => hi > lo).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = 0;
  for (const [lo, hi] of sorted) {
    const from = Math.max(lo, end);
    if (hi > from) total += hi - from;
    end = Math.max(end, hi);
  }
  return total;
}

interface Cell {
  birthYear: number | null;
  groups: readonly string[];
  people: number;
}

/**
 * The part of a cell the drafts make eligible who were not already: per draft, the people it admits
 * beyond those the rules in force at its opening (and in its region) admit. Within a birth year the
 * admitted are always the oldest part (or everyone, by a group), so each draft adds an interval.
 */
function newlyAdmitted(
  cell: Cell,
  drafts: readonly EligibilityRule[],
  current: readonly EligibilityRule[],
  tz: string,
) {
  const intervals: Array<[number, number]> = drafts.map((draft) => {
    const at = draft.opensAt as Instant;
    const today = localToday(new Date(at), tz);
    const already = current
      .filter((rule) => isRuleOpen(rule, today, at) && coversRegion(rule, draft.region))
      .reduce((most, rule) => Math.max(most, shareAdmitted(rule, cell.birthYear, cell.groups)), 0);
    return [already, shareAdmitted(draft, cell.birthYear, cell.groups)];
  });
  return unionLength(intervals);
}

/** Registered people as cells of birth year and set of groups: members of groups, and the rest of each year. */
function registeredCells(aggregates: PreviewAggregates): Cell[] {
  const members = new Map<number, number>();
  const cells: Cell[] = [];
  for (const m of aggregates.groupMembers) {
    if (m.birthYear === null) continue;
    members.set(m.birthYear, (members.get(m.birthYear) ?? 0) + m.people);
    cells.push({ birthYear: m.birthYear, groups: m.groups, people: m.people });
  }
  for (const r of aggregates.registrations) {
    cells.push({ birthYear: r.birthYear, groups: [], people: Math.max(0, r.people - (members.get(r.birthYear) ?? 0)) });
  }
  return cells;
}

/** Residents of one voivodeship per birth year: each age band spread evenly over its years of age (80+ over 80–100). */
function populationCells(aggregates: PreviewAggregates, voivodeship: string): Cell[] {
  const year = Number((aggregates.populationDate ?? '2020-12-31').slice(0, 4));
  const cells: Cell[] = [];
  for (const row of aggregates.population) {
    if (row.voivodeship !== voivodeship) continue;
    const band = AGE_BANDS.indexOf(row.ageBand);
    const first = Number(row.ageBand.split(/[-+]/)[0]);
    const next = AGE_BANDS[band + 1];
    const last = next === undefined ? OLDEST_AGE : Number(next.split('-')[0]) - 1;
    for (let age = first; age <= last; age++) {
      cells.push({ birthYear: year - age, groups: [], people: row.people / (last - first + 1) });
    }
  }
  return cells;
}

/** The youngest age a draft admits at its opening; null when it admits any age it is told (a group without members). */
function youngestAdmitted(draft: EligibilityRule, aggregates: PreviewAggregates): number | null {
  const on = draft.from;
  switch (draft.kind) {
    case 'birthYear':
      return ageOn(`${draft.bornInOrBefore}-12-31`, on);
    case 'ageOnDate':
      return ageOn(`${Number(draft.onDate.slice(0, 4)) - draft.minAge}${draft.onDate.slice(4)}`, on);
    case 'group': {
      const years = aggregates.groupMembers
        .filter((m) => m.birthYear !== null && m.people > 0 && m.groups.includes(draft.group))
        .map((m) => m.birthYear as number);
      return years.length === 0 ? null : ageOn(`${Math.max(...years)}-12-31`, on);
    }
  }
}

/**
 * What opening the drafts (on top of the rules in force) would do, from the warehouse's aggregates:
 * the registered people they admit and those not admitted before each draft's opening, an estimate of
 * the residents they admit per voivodeship (none for a group, which the population does not count),
 * and the free places they could book — in their voivodeship for a regional draft, of the products
 * the youngest person they admit may take — with the days to a centre's first free place.
 */
export function previewPolicy(args: {
  aggregates: PreviewAggregates;
  rules: readonly EligibilityRule[];
  drafts: readonly PreviewDraft[];
  vaccines: readonly Vaccine[];
  timeZone: string;
}): PolicyPreview {
  const { aggregates, rules, vaccines, timeZone } = args;
  const drafts = args.drafts.map((d, i) => draftRule(d, i, timeZone));

  let matching = 0;
  let newlyEligible = 0;
  for (const cell of registeredCells(aggregates)) {
    matching += cell.people * Math.max(0, ...drafts.map((d) => shareAdmitted(d, cell.birthYear, cell.groups)));
    newlyEligible += cell.people * newlyAdmitted(cell, drafts, rules, timeZone);
  }

  const byGroup = drafts.some((d) => d.kind === 'group');
  const byVoivodeship: PolicyPreview['population']['byVoivodeship'] = [];
  if (!byGroup) {
    for (const v of TERYT_VOIVODESHIPS) {
      const here = drafts.filter((d) => d.region === undefined || d.region === v.slug);
      if (here.length === 0) continue;
      const current = rules.filter((r) => r.kind !== 'group');
      const people = populationCells(aggregates, v.teryt).reduce(
        (sum, cell) => sum + cell.people * newlyAdmitted(cell, here, current, timeZone),
        0,
      );
      byVoivodeship.push({ voivodeship: v.teryt, name: v.name, people: Math.round(people) });
    }
  }

  // The voivodeships and products each draft's people may book: a pair counted once however many drafts allow it.
  const allowed = new Set<string>();
  const voivodeships = new Set<string>();
  for (const draft of drafts) {
    const youngest = youngestAdmitted(draft, aggregates);
    const products = vaccines.filter((v) => youngest === null || v.minAgeYears <= youngest).map((v) => v.id);
    const region = draft.region === undefined ? undefined : voivodeshipBySlug(draft.region)?.teryt;
    for (const v of TERYT_VOIVODESHIPS) {
      if (region !== undefined && v.teryt !== region) continue;
      voivodeships.add(v.teryt);
      for (const product of products) allowed.add(`${v.teryt}|${product}`);
    }
  }
  const counted = aggregates.places.filter((p) => allowed.has(`${p.voivodeship}|${p.vaccineId}`));
  const snapshot = aggregates.asOf.places;
  const firstFree = new Map<string, { voivodeship: string; days: number }>();
  for (const p of counted) {
    if (p.firstFreeDate === null || snapshot === null) continue;
    const days = Math.round((Date.parse(p.firstFreeDate) - Date.parse(snapshot)) / DAY_MS);
    const known = firstFree.get(p.centreId);
    if (!known || days < known.days) firstFree.set(p.centreId, { voivodeship: p.voivodeship, days });
  }
  const places: PlacesOfVoivodeship[] = TERYT_VOIVODESHIPS.filter((v) => voivodeships.has(v.teryt)).map((v) => {
    const here = counted.filter((p) => p.voivodeship === v.teryt);
    return {
      voivodeship: v.teryt,
      name: v.name,
      free7: sum(here.map((p) => p.free7)),
      free14: sum(here.map((p) => p.free14)),
      free28: sum(here.map((p) => p.free28)),
      daysToFirstFree: median([...firstFree.values()].filter((c) => c.voivodeship === v.teryt).map((c) => c.days)),
    };
  });

  return {
    asOf: aggregates.asOf,
    registered: { matching: Math.round(matching), newlyEligible: Math.round(newlyEligible) },
    population: {
      estimate: byGroup ? null : sum(byVoivodeship.map((v) => v.people)),
      byVoivodeship,
    },
    places,
    totals: {
      free7: sum(places.map((p) => p.free7)),
      free14: sum(places.map((p) => p.free14)),
      free28: sum(places.map((p) => p.free28)),
      daysToFirstFree: median([...firstFree.values()].map((c) => c.days)),
    },
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
