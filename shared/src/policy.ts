import { isRuleOpen } from './eligibility.ts';
import { conflict, forbidden, invalid, notFound } from './errors.ts';
import type { EligibilityRule, Instant, LocalDate, PolicyChange, PolicyVersion } from './model.ts';
import { voivodeshipBySlug } from './teryt.ts';
import { isValidLocalDate, localToday, toLocal } from './time-zone.ts';

/**
 * A rule as an administrator drafts it: whom it opens booking to, the instant it opens, optionally the
 * one voivodeship (slug) whose centres it opens, and the words patients read (English by default).
 */
export type RuleDraft = (
  | { kind: 'birthYear'; bornInOrBefore: number }
  | { kind: 'ageOnDate'; minAge: number; onDate: LocalDate }
  | { kind: 'group'; group: string }
) & { opensAt: Instant; region?: string | undefined; description?: string | undefined };

/** What a proposal asks for: new rules opening, a paused rule resumed, or a rule cancelled. */
export type PolicyProposal =
  | { action: 'open'; rules: RuleDraft[]; note?: string | undefined }
  | { action: 'resume'; ruleId: string; note?: string | undefined }
  | { action: 'cancel'; ruleId: string; note?: string | undefined };

/** A rule of a policy at an instant, with what it did then. */
export type RuleInForce = EligibilityRule & { state: 'open' | 'planned' | 'paused' };

/** The policy in force at an instant: the version then current and each of its rules' state. */
export interface PolicyAt {
  version: number;
  at: Instant;
  rules: RuleInForce[];
}

/** No campaign this system serves began earlier: an opening before it is a typing error. */
export const EARLIEST_OPENING: Instant = '2020-01-01T00:00:00.000Z';
/** An opening may be announced up to two years ahead. */
const HORIZON_YEARS = 2;
export const MAX_RULE_DESCRIPTION = 200;
/** The most rules one change may open (a birth year a day for two months). */
export const MAX_RULES_PER_CHANGE = 60;
const GROUP = /^[a-z][a-z0-9-]{1,39}$/;
/** An ISO 8601 instant with its offset (`Z` or `+01:00`), to the second at most. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether a text is an ISO 8601 instant with an offset that names a real moment. */
export function isIsoInstant(text: string): boolean {
  return ISO_INSTANT.test(text) && Number.isFinite(Date.parse(text));
}

/** The id a rule is stored under: whom it opens to, where, and when (`born-1951-at-2026-01-15T1900Z`). */
export function ruleIdOf(draft: RuleDraft): string {
  const who =
    draft.kind === 'birthYear'
      ? `born-${draft.bornInOrBefore}`
      : draft.kind === 'ageOnDate'
        ? `age-${draft.minAge}-on-${draft.onDate}`
        : `group-${draft.group}`;
  const where = draft.region === undefined ? '' : `-in-${draft.region}`;
  const iso = new Date(draft.opensAt).toISOString();
  return `${who}${where}-at-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

const defaultDescription = (draft: RuleDraft): string => {
  const who =
    draft.kind === 'birthYear'
      ? `People born in ${draft.bornInOrBefore} or earlier`
      : draft.kind === 'ageOnDate'
        ? `People aged ${draft.minAge} or more on ${draft.onDate}`
        : `Priority group: ${draft.group}`;
  const region = draft.region === undefined ? undefined : voivodeshipBySlug(draft.region);
  return region ? `${who} (${region.name})` : who;
};

/**
 * Checks one draft and turns it into the rule that will be stored: its id, `from` (the opening's date in
 * the country's zone) and description. `field` prefixes the names in errors (`rules.0`).
 */
export function ruleFromDraft(
  draft: RuleDraft,
  context: { now: Date; timeZone: string; field?: string },
): EligibilityRule {
  const at = (name: string) => (context.field === undefined ? name : `${context.field}.${name}`);
  if (!isIsoInstant(draft.opensAt)) {
    throw invalid('INVALID_INSTANT', 'opensAt must be an ISO instant, e.g. 2026-01-15T19:00:00Z.', at('opensAt'));
  }
  const opens = new Date(draft.opensAt);
  if (opens.getUTCSeconds() !== 0 || opens.getUTCMilliseconds() !== 0) {
    throw invalid('INVALID_INSTANT', 'opensAt must fall on a whole minute.', at('opensAt'));
  }
  const latest = new Date(context.now);
  latest.setUTCFullYear(latest.getUTCFullYear() + HORIZON_YEARS);
  if (opens.getTime() < Date.parse(EARLIEST_OPENING) || opens.getTime() > latest.getTime()) {
    throw invalid(
      'DATE_OUT_OF_RANGE',
      `opensAt must lie between ${EARLIEST_OPENING} and ${latest.toISOString()}.`,
      at('opensAt'),
    );
  }
  const year = Number(localToday(context.now, context.timeZone).slice(0, 4));
  let who:
    | { kind: 'birthYear'; bornInOrBefore: number }
    | { kind: 'ageOnDate'; minAge: number; onDate: LocalDate }
    | {
        kind: 'group';
        group: string;
      };
  switch (draft.kind) {
    case 'birthYear':
      if (!Number.isInteger(draft.bornInOrBefore) || draft.bornInOrBefore < 1900 || draft.bornInOrBefore > year) {
        throw invalid('INVALID_YEAR', `bornInOrBefore must be a year between 1900 and ${year}.`, at('bornInOrBefore'));
      }
      who = { kind: 'birthYear', bornInOrBefore: draft.bornInOrBefore };
      break;
    case 'ageOnDate':
      if (!Number.isInteger(draft.minAge) || draft.minAge < 0 || draft.minAge > 120) {
        throw invalid('INVALID_AGE', 'minAge must be a whole number of years from 0 to 120.', at('minAge'));
      }
      if (!isValidLocalDate(draft.onDate)) {
        throw invalid('INVALID_DATE', 'onDate must be a date (YYYY-MM-DD).', at('onDate'));
      }
      who = { kind: 'ageOnDate', minAge: draft.minAge, onDate: draft.onDate };
      break;
    case 'group':
      if (!GROUP.test(draft.group)) {
        throw invalid('INVALID_GROUP', 'group is 2–40 lower-case letters, digits or dashes.', at('group'));
      }
      who = { kind: 'group', group: draft.group };
      break;
  }
  if (draft.region !== undefined && !voivodeshipBySlug(draft.region)) {
    throw invalid('INVALID_REGION', 'region must be a voivodeship, e.g. mazowieckie.', at('region'));
  }
  const description = draft.description?.trim() || defaultDescription(draft);
  if (description.length > MAX_RULE_DESCRIPTION) {
    throw invalid('TEXT_TOO_LONG', `description has at most ${MAX_RULE_DESCRIPTION} characters.`, at('description'));
  }
  const opensAt = opens.toISOString();
  return {
    id: ruleIdOf({ ...draft, opensAt }),
    ...who,
    from: toLocal(opens, context.timeZone).date,
    opensAt,
    ...(draft.region === undefined ? {} : { region: draft.region }),
    description,
  };
}

/** The rules a proposal to open would store, each checked, none twice. */
export function rulesFromDrafts(
  drafts: readonly RuleDraft[],
  context: { now: Date; timeZone: string },
): EligibilityRule[] {
  if (drafts.length < 1 || drafts.length > MAX_RULES_PER_CHANGE) {
    throw invalid('INVALID_RULES', `A change opens 1 to ${MAX_RULES_PER_CHANGE} rules.`, 'rules');
  }
  const seen = new Set<string>();
  return drafts.map((draft, i) => {
    const rule = ruleFromDraft(draft, { ...context, field: `rules.${i}` });
    if (seen.has(rule.id)) {
      throw invalid('DUPLICATE_RULE', `rules.${i} repeats an earlier rule of this change (${rule.id}).`, `rules.${i}`);
    }
    seen.add(rule.id);
    return rule;
  });
}

/**
 * The rules after a change takes effect at `now`. `open` adds its rules (one already in force is a
 * conflict); `resume` clears a pause; `cancel` removes the rule, whether it has opened or not (visits
 * booked under it stay; the version history keeps it). A change that no longer fits the rules (the rule
 * gone, or no longer paused) is refused.
 */
export function applyChange(rules: readonly EligibilityRule[], change: PolicyChange): EligibilityRule[] {
  switch (change.action) {
    case 'open': {
      const opened = change.rules ?? [];
      const taken = opened.find((rule) => rules.some((r) => r.id === rule.id));
      if (taken) throw conflict('RULE_EXISTS', `The rule ${taken.id} is already in force.`, { ruleId: taken.id });
      return [...rules, ...opened].sort(byId);
    }
    case 'resume': {
      const rule = requireRule(rules, change.ruleId);
      if (rule.pausedAt === undefined) {
        throw conflict('RULE_NOT_PAUSED', `The rule ${rule.id} is not paused.`, { ruleId: rule.id });
      }
      const { pausedAt: _, ...resumed } = rule;
      return rules.map((r) => (r.id === rule.id ? (resumed as EligibilityRule) : r));
    }
    case 'cancel': {
      const rule = requireRule(rules, change.ruleId);
      return rules.filter((r) => r.id !== rule.id);
    }
  }
}

/** The rules with one paused from `now`: nobody books under it until a resumption is approved. */
export function pauseRuleIn(rules: readonly EligibilityRule[], ruleId: string, now: Instant): EligibilityRule[] {
  const rule = requireRule(rules, ruleId);
  if (rule.pausedAt !== undefined) {
    throw conflict('RULE_ALREADY_PAUSED', `The rule ${rule.id} has been paused since ${rule.pausedAt}.`, {
      ruleId: rule.id,
    });
  }
  return rules.map((r) => (r.id === rule.id ? { ...r, pausedAt: now } : r));
}

/** Checks what a proposal asks of the current rules, before anyone approves it. */
export function checkProposal(rules: readonly EligibilityRule[], change: PolicyChange): void {
  applyChange(rules, change);
}

/**
 * The two-person rule: a pending change is approved by an administrator other than its proposer. An
 * approval after the opening of the change's rules is allowed; those rules open at once.
 */
export function approve(
  change: PolicyChange,
  adminId: string,
  now: Instant,
  version: number,
  note?: string,
): PolicyChange {
  if (change.proposedBy === adminId) {
    throw forbidden('SAME_ADMIN', 'A change is approved by an administrator other than the one who proposed it.');
  }
  requirePending(change);
  return decided(change, 'approved', adminId, now, note, version);
}

/** Any administrator may reject a pending change; nothing of it takes effect. */
export function reject(change: PolicyChange, adminId: string, now: Instant, note: string): PolicyChange {
  requirePending(change);
  return decided(change, 'rejected', adminId, now, note);
}

/** Only the proposer withdraws their pending change. */
export function withdraw(change: PolicyChange, adminId: string, now: Instant, note?: string): PolicyChange {
  if (change.proposedBy !== adminId) {
    throw forbidden('NOT_PROPOSER', 'Only the administrator who proposed a change may withdraw it.');
  }
  requirePending(change);
  return decided(change, 'withdrawn', adminId, now, note);
}

/** The ids of a change's rules whose opening has passed at `now`: approved now, they open at once. */
export function openingsPassed(change: PolicyChange, now: Instant): string[] {
  return (change.rules ?? [])
    .filter((rule) => rule.opensAt !== undefined && Date.parse(rule.opensAt) <= Date.parse(now))
    .map((rule) => rule.id);
}

/**
 * The policy in force at an instant: the latest version made by then (the earliest version for an
 * instant before it) and each rule's state — `paused`, `open` (its opening has come) or `planned`.
 */
export function policyAt(versions: readonly PolicyVersion[], at: Instant, timeZone: string): PolicyAt {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const moment = Date.parse(at);
  const current = ordered.filter((v) => Date.parse(v.at) <= moment).at(-1) ?? ordered[0];
  if (!current) return { version: 0, at, rules: [] };
  const today = localToday(new Date(moment), timeZone);
  return {
    version: current.version,
    at,
    rules: current.rules.map((rule) => ({
      ...rule,
      state: rule.pausedAt !== undefined ? 'paused' : isRuleOpen(rule, today, at) ? 'open' : 'planned',
    })),
  };
}

function requirePending(change: PolicyChange): void {
  if (change.status !== 'pending') {
    throw conflict('CHANGE_NOT_PENDING', `This change is ${change.status} already.`, { status: change.status });
  }
}

function requireRule(rules: readonly EligibilityRule[], ruleId: string | undefined): EligibilityRule {
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule) throw notFound('RULE_NOT_FOUND', 'There is no such rule in force.', 'ruleId');
  return rule;
}

function decided(
  change: PolicyChange,
  status: PolicyChange['status'],
  adminId: string,
  now: Instant,
  note: string | undefined,
  version?: number,
): PolicyChange {
  return {
    ...change,
    status,
    decidedBy: adminId,
    decidedAt: now,
    ...(note?.trim() ? { decisionNote: note.trim() } : {}),
    ...(version === undefined ? {} : { version }),
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
