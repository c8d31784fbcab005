import type { Language, StandbyView, StandbyWishes } from '@ereg/shared';
import { type DateFieldProblem, formatDateField, parseDateField } from '../../../shared/src/date-field.ts';
import { normalisePostalCode } from './postal-code.ts';
import { addDays } from './search-params.ts';

export const STANDBY_PATH = '/standby';

/** The distances a person may choose (the API allows up to 100 km). */
export const STANDBY_DISTANCES = [5, 10, 20, 30, 50, 100] as const;
export const DEFAULT_STANDBY_KM = 20;
/** The longest range of dates one entry may cover (the API's limit). */
export const STANDBY_MAX_DAYS = 90;
/** How often the page asks for the person's place again while they wait or hold an offer. */
export const STANDBY_POLL_MS = 30_000;

/** What the join form holds, as typed. */
export interface StandbyForm {
  from: string;
  to: string;
  postalCode: string;
  maxKm: string;
  /** The products chosen; empty for any their course allows. */
  vaccineIds: string[];
}

/** What joining or changing sends: the API's request, checked. */
export interface StandbyBody {
  from: string;
  to: string;
  postalCode: string;
  maxKm: number;
  vaccineIds: string[] | null;
}

export type StandbyField = 'from' | 'to' | 'postalCode' | 'maxKm' | 'vaccineIds';

/** Why a field of the form is refused before asking the API. */
export type StandbyProblem =
  | { field: 'from' | 'to'; problem: DateFieldProblem | 'required' }
  | { field: 'to'; problem: 'past' | 'reversed' | 'tooLong' }
  | { field: 'postalCode'; problem: 'required' | 'invalid' };

/** The form as first shown: the person's wishes when they have some, else four weeks from today. */
export function initialForm(
  wishes: StandbyWishes | null,
  today: string,
  language: Language,
  postalCode: string,
): StandbyForm {
  if (wishes) {
    const from = wishes.from < today ? today : wishes.from;
    return {
      from: formatDateField(from, language),
      to: formatDateField(wishes.to < from ? addDays(from, 27) : wishes.to, language),
      postalCode: wishes.postalCode,
      maxKm: String(wishes.maxKm),
      vaccineIds: wishes.vaccineIds ?? [],
    };
  }
  return {
    from: formatDateField(today, language),
    to: formatDateField(addDays(today, 27), language),
    postalCode,
    maxKm: String(DEFAULT_STANDBY_KM),
    vaccineIds: [],
  };
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * The request the form makes, or the first field that is wrong (in the form's order): dates as the
 * language writes them, the last not before the first nor past, at most 90 days apart; a postal code.
 */
export function checkForm(
  form: StandbyForm,
  today: string,
): { ok: true; body: StandbyBody } | { ok: false; problems: StandbyProblem[] } {
  const problems: StandbyProblem[] = [];
  const date = (field: 'from' | 'to', text: string): string | null => {
    if (text.trim() === '') {
      problems.push({ field, problem: 'required' });
      return null;
    }
    const typed = parseDateField(text);
    if ('problem' in typed) {
      problems.push({ field, problem: typed.problem });
      return null;
    }
    return typed.date;
  };
  const from = date('from', form.from);
  const to = date('to', form.to);
  if (to && to < today) problems.push({ field: 'to', problem: 'past' });
  else if (from && to && to < from) problems.push({ field: 'to', problem: 'reversed' });
  else if (from && to && daysBetween(from < today ? today : from, to) > STANDBY_MAX_DAYS) {
    problems.push({ field: 'to', problem: 'tooLong' });
  }
  const postalCode = normalisePostalCode(form.postalCode);
  if (form.postalCode.trim() === '') problems.push({ field: 'postalCode', problem: 'required' });
  else if (!postalCode) problems.push({ field: 'postalCode', problem: 'invalid' });
  if (problems.length > 0 || !from || !to || !postalCode) return { ok: false, problems };
  return {
    ok: true,
    body: {
      from,
      to,
      postalCode,
      maxKm: Number(form.maxKm),
      vaccineIds: form.vaccineIds.length > 0 ? form.vaccineIds : null,
    },
  };
}

/** The postal code of the last search made in this tab, if it was made by one. */
export function lastSearchPostalCode(lastSearch: string | null): string {
  if (!lastSearch) return '';
  return normalisePostalCode(new URLSearchParams(lastSearch).get('postalCode') ?? '') ?? '';
}

/** "14:05" left of a hold: minutes and seconds, never below zero. */
export function countdown(expiresAt: string, now: Date): { seconds: number; text: string } {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now.getTime()) / 1000));
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return { seconds, text };
}

/** Whether the page should keep asking for the person's place: while they wait in line or hold an offer. */
export const isActive = (view: StandbyView): boolean =>
  view.entry?.status === 'waiting' || view.entry?.status === 'offered';
