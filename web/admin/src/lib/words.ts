import type { EligibilityRule } from '@ereg/shared';
import type { RuleDraft } from '../api.ts';
import type { AdminI18n } from '../i18n/index.ts';
import { COUNTRY_ZONE } from './date-time.ts';
import { voivodeshipName } from './voivodeships.ts';

type Who = Pick<EligibilityRule, 'kind'> &
  Partial<{ bornInOrBefore: number; minAge: number; onDate: string; group: string }>;

/** Who a rule or a draft opens booking to, in words. */
export function ruleWho(rule: RuleDraft | EligibilityRule | Who, { t, fmt }: AdminI18n): string {
  const r = rule as Who;
  if (r.kind === 'birthYear') return t('rule.birthYear', { year: String(r.bornInOrBefore) });
  if (r.kind === 'ageOnDate') return t('rule.ageOnDate', { age: r.minAge ?? 0, date: fmt.date(r.onDate ?? '') });
  return t('rule.group', { group: r.group ?? '' });
}

/** When a rule opens: its instant on the country's clock, else its date. */
export function ruleOpens(rule: { opensAt?: string | undefined; from?: string }, { fmt }: AdminI18n): string {
  if (rule.opensAt) return fmt.dateTime(rule.opensAt, COUNTRY_ZONE);
  return rule.from ? fmt.date(rule.from) : '';
}

/** Where a rule opens: its voivodeship, or the whole country. */
export function ruleWhere(rule: { region?: string | undefined }, { t, language }: AdminI18n): string {
  return rule.region ? voivodeshipName(rule.region, language) : t('region.all');
}

/** An instant on the country's clock, short: "12.01.2026, 09:00". */
export function instantText(instant: string, language: string): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'pl-PL', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: COUNTRY_ZONE,
  }).format(new Date(instant));
}

/** A count as the language writes it (1 234 567). */
export const countText = (n: number, language: string): string =>
  new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'pl-PL').format(n);
