import { ApiError, NETWORK_ERROR } from '../../../shared/src/api-client.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';

/** The API's error codes (and the client's own) that the desk has a sentence for in every catalogue. */
export const EXPLAINED_CODES = [
  NETWORK_ERROR,
  'TOKEN_EXPIRED',
  'INVALID_TOKEN',
  'UNAUTHENTICATED',
  'SIGN_IN_FAILED',
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
] as const;

type ExplainedCode = (typeof EXPLAINED_CODES)[number];

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
] as const;
export type NamedField = (typeof NAMED_FIELDS)[number];

const isExplained = (code: string): code is ExplainedCode => (EXPLAINED_CODES as readonly string[]).includes(code);

/** The field an API refusal names, when the desk has a label for it. */
export function fieldOf(error: unknown): NamedField | null {
  const field = error instanceof ApiError ? error.field : undefined;
  return (NAMED_FIELDS as readonly string[]).includes(field ?? '') ? (field as NamedField) : null;
}

/** What went wrong, in the person's language: the code's own sentence, else a plain one with the code. */
export function describeError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  if (!(error instanceof ApiError)) return t('error.unexpected', { code: 'APP' });
  const code = error.code;
  if (code === 'INTERNAL') return t('error.INTERNAL', { reference: error.correlationId ?? '—' });
  if (isExplained(code)) return t(`error.${code}`);
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait === undefined
      ? t('error.TOO_MANY_REQUESTS')
      : t('error.TOO_MANY_REQUESTS.wait', { wait: fmt.inAWhile(wait) });
  }
  return t('error.unexpected', { code });
}

/** The same, preceded by the name of the field it is about ("Lot number: …"), when it names one. */
export function describeErrorWithField(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  const message = describeError(error, t, fmt);
  const field = fieldOf(error);
  return field ? t('field.named', { field: t(`field.${field}`), message }) : message;
}

/** The heading of an error: what kind of refusal it is, in words. */
export function errorTitleKey(error: unknown): MessageKey {
  if (!(error instanceof ApiError)) return 'error.title';
  if (error.status === 400) return 'error.title.input';
  if (error.status === 401) return 'error.title.login';
  if (error.status === 403) return 'error.title.forbidden';
  if (error.status === 404) return 'error.title.notFound';
  if (error.status === 409) return 'error.title.conflict';
  if (error.status === 429) return 'error.title.tooMany';
  return 'error.title';
}
