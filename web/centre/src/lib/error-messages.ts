import { ApiError } from '../../../shared/src/api-client.ts';
import {
  COMMON_ERROR_TITLES,
  COMMON_EXPLAINED_CODES,
  describeApiError,
  errorTitleByStatus,
} from '../../../shared/src/error-messages.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';

/** The API's error codes (and the client's own) that the desk has a sentence for in every catalogue. */
export const EXPLAINED_CODES = [
  ...COMMON_EXPLAINED_CODES,
  'ROLE_NOT_ALLOWED',
  'CENTRE_FORBIDDEN',
  'CENTRE_NOT_FOUND',
  'INVALID_DATE',
  'APPOINTMENT_NOT_FOUND',
  'REFERENCE_NOT_FOUND',
  'INVALID_REFERENCE',
  'NOT_TODAY',
  'NOT_BOOKED',
  'INVALID_INSTANT',
  'IN_FUTURE',
  'BEFORE_CHECK_IN',
  'NOT_YET_DUE',
  'NOT_CHECKED_IN',
  'BATCH_NOT_FOUND',
  'BATCH_DEPLETED',
  'BATCH_EXPIRED',
  'BATCH_PRODUCT_MISMATCH',
  'OUT_OF_STOCK',
  'NOTE_REQUIRED',
  'REASON_REQUIRED',
  'NOT_COMPLETED',
  'INVALID_DOSE',
  'TOO_LATE',
  'STAFF_NOT_AT_CENTRE',
  'IDEMPOTENCY_KEY_REUSED',
  'NO_CURRENT_SLOT',
  'SLOT_FULL',
  'SLOT_BUSY',
  'SLOT_IN_PAST',
  'CONTENDED',
  'INVALID_PESEL_FORMAT',
  'INVALID_PESEL_DATE',
  'INVALID_PESEL_CHECKSUM',
  'INVALID_NAME',
  'INVALID_PHONE',
  'UNKNOWN_VACCINE',
  'NOT_ELIGIBLE',
  'NOT_YET_ELIGIBLE',
  'ALREADY_BOOKED',
  'COURSE_COMPLETE',
  'WRONG_VACCINE_FOR_DOSE',
  'OUTSIDE_DOSE_INTERVAL',
  'TOO_YOUNG_FOR_VACCINE',
  'NEXT_DOSE_UNAVAILABLE',
  'NEXT_DOSE_SLOT_FULL',
  // The standby list
  'UNTIL_PASSED',
  'NO_SLOTS_LEFT_TODAY',
] as const;

/** The request fields an error may name, each with its label in the catalogues. */
export const NAMED_FIELDS = [
  'batchId',
  'site',
  'at',
  'vaccineId',
  'reference',
  'date',
  'dose',
  'note',
  'reason',
  'vaccinatorId',
  'pesel',
  'givenName',
  'familyName',
  'phone',
  // The standby list
  'doses',
  'until',
] as const;
export type NamedField = (typeof NAMED_FIELDS)[number];

/** The field an API refusal names, when the desk has a label for it. */
export function fieldOf(error: unknown): NamedField | null {
  const field = error instanceof ApiError ? error.field : undefined;
  return (NAMED_FIELDS as readonly string[]).includes(field ?? '') ? (field as NamedField) : null;
}

/** What went wrong, in the person's language: the code's own sentence, else a plain one with the code. */
export function describeError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  return describeApiError(error, t, fmt, EXPLAINED_CODES);
}

/** The same, preceded by the name of the field it is about ("Lot number: …"), when it names one. */
export function describeErrorWithField(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  const message = describeError(error, t, fmt);
  const field = fieldOf(error);
  return field ? t('field.named', { field: t(`field.${field}`), message }) : message;
}

/** The headings of the desk's errors by status: the site's, and refusals and conflicts named as such. */
const TITLES: Readonly<Record<number, MessageKey>> = {
  ...COMMON_ERROR_TITLES,
  403: 'error.title.forbidden',
  409: 'error.title.conflict',
};

/** The heading of an error: what kind of refusal it is, in words. */
export function errorTitleKey(error: unknown): MessageKey {
  return errorTitleByStatus(error, TITLES);
}
