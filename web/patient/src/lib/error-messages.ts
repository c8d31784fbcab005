import { ApiError } from '../../../shared/src/api-client.ts';
import {
  COMMON_ERROR_TITLES,
  COMMON_EXPLAINED_CODES,
  describeApiError,
  errorTitleByStatus,
  needsSignIn,
} from '../../../shared/src/error-messages.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';
import { localDateOf } from './local-date.ts';

/** The API's error codes (and this app's own) that have a sentence of their own in every catalogue. */
export const EXPLAINED_CODES = [
  ...COMMON_EXPLAINED_CODES,
  'NOT_YET_ELIGIBLE',
  'NOT_ELIGIBLE',
  'ALREADY_BOOKED',
  'COURSE_COMPLETE',
  'OUTSIDE_DOSE_INTERVAL',
  'INVALID_POSTAL_CODE',
  'UNKNOWN_POSTAL_CODE',
  'LOCATION_REQUIRED',
  'INVALID_ASSERTION',
  'ASSERTION_USED',
  'ASSERTION_REQUIRED',
  'SLOT_FULL',
  'SLOT_BUSY',
  'SLOT_NOT_FOUND',
  'SLOT_IN_PAST',
  'NEXT_DOSE_UNAVAILABLE',
  'NEXT_DOSE_SLOT_FULL',
  'NEXT_DOSE_ELSEWHERE',
  'NO_NEXT_DOSE',
  'RANGE_TOO_LONG',
  'NEXT_DOSE_OUT_OF_INTERVAL',
  'WRONG_VACCINE_FOR_DOSE',
  'TOO_YOUNG_FOR_VACCINE',
  'NOT_CANCELLABLE',
  'NOT_RESCHEDULABLE',
  'SAME_SLOT',
  'APPOINTMENT_NOT_FOUND',
  'PATIENT_NOT_FOUND',
  'UNKNOWN_VACCINE',
  'INVALID_DATE',
  'INVALID_RANGE',
  'INVALID_PHONE',
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_YOUR_DATA',
  'INTERNAL',
  // The waiting page
  'QUEUE_REQUIRED',
  'NO_QUEUE',
  'NOT_IN_QUEUE',
  'PHONE_REQUIRED',
  'QUEUE_TICKET_INVALID',
  // The standby list
  'DATES_REVERSED',
  'DATES_PAST',
  'DATES_TOO_FAR_APART',
  'TOO_FAR',
  'NOT_ON_STANDBY',
  'OFFER_CLOSED',
  'OFFER_NOT_FOUND',
  'VISIT_CHANGED',
  'NOT_EARLIER',
] as const;

export type ExplainedCode = (typeof EXPLAINED_CODES)[number];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Says in plain words, in the person's language, what went wrong and what they can do. */
export function describeError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  if (!(error instanceof ApiError)) return t('error.unexpected', { code: 'APP' });
  const details = error.details ?? {};
  const code = error.code;
  if (code === 'NOT_YET_ELIGIBLE') {
    const from = text(details.eligibleFrom);
    return from ? t('error.NOT_YET_ELIGIBLE', { date: fmt.date(localDateOf(from)) }) : t('error.NOT_ELIGIBLE');
  }
  if (code === 'OUTSIDE_DOSE_INTERVAL') {
    const earliest = text(details.earliest);
    const latest = text(details.latest);
    const dose = typeof details.dose === 'number' ? details.dose : '';
    if (earliest && latest) {
      return t('error.OUTSIDE_DOSE_INTERVAL', {
        dose,
        earliest: fmt.date(localDateOf(earliest)),
        latest: fmt.date(localDateOf(latest)),
      });
    }
    if (earliest) return t('error.OUTSIDE_DOSE_INTERVAL.from', { dose, earliest: fmt.date(localDateOf(earliest)) });
    return t('error.OUTSIDE_DOSE_INTERVAL.plain', { dose });
  }
  return describeApiError(error, t, fmt, EXPLAINED_CODES);
}

/** Codes that tell of the person's situation (who they are, what they already have), not of a failure. */
const NOT_YET = new Set(['NOT_YET_ELIGIBLE', 'NOT_ELIGIBLE']);
const CANNOT_BOOK = new Set([
  'TOO_YOUNG_FOR_VACCINE',
  'ALREADY_BOOKED',
  'COURSE_COMPLETE',
  'OUTSIDE_DOSE_INTERVAL',
  'WRONG_VACCINE_FOR_DOSE',
  'NEXT_DOSE_UNAVAILABLE',
  'NEXT_DOSE_OUT_OF_INTERVAL',
  'NEXT_DOSE_ELSEWHERE',
  'NO_NEXT_DOSE',
  'NOT_CANCELLABLE',
  'NOT_RESCHEDULABLE',
  'SAME_SLOT',
  'SLOT_IN_PAST',
  'VISIT_CHANGED',
  'NOT_EARLIER',
]);
const TAKEN = new Set(['SLOT_FULL', 'SLOT_BUSY', 'NEXT_DOSE_SLOT_FULL', 'OFFER_CLOSED']);

/**
 * The heading of an error: "something went wrong" only for a failure (the network, the server, the
 * unexpected); a person's situation, a taken slot or a mistyped field is named as what it is.
 */
export function errorTitleKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'error.title';
  const code = error.code;
  if (NOT_YET.has(code)) return 'error.title.notYet';
  if (CANNOT_BOOK.has(code)) return 'error.title.cannotBook';
  if (TAKEN.has(code)) return 'error.title.taken';
  return errorTitleByStatus(error, COMMON_ERROR_TITLES);
}

/** Whether the error means the person must log in (again). */
export const needsLogin = needsSignIn;
