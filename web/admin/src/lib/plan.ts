import type { RuleDraft } from '../api.ts';
import { addDays, instantOf } from './date-time.ts';

/** The most drafts one change may hold (the API takes 1 to 60 rules). */
export const MAX_DRAFTS = 60;

/**
 * "One birth year per day from year A down to year B at HH:MM": a birth-year opening per day, the first
 * (born in or before A) on the given date, each next one a year younger a day later.
 */
export function expandBirthYearPlan(plan: {
  fromYear: number;
  toYear: number;
  date: string;
  time: string;
  region?: string;
}): RuleDraft[] {
  const drafts: RuleDraft[] = [];
  for (let year = plan.fromYear, day = 0; year >= plan.toYear; year--, day++) {
    drafts.push({
      kind: 'birthYear',
      bornInOrBefore: year,
      opensAt: instantOf(addDays(plan.date, day), plan.time),
      ...(plan.region ? { region: plan.region } : {}),
    });
  }
  return drafts;
}
