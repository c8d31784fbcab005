import { ApiError } from '../../../shared/src/api-client.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';
import { describeError } from './error-messages.ts';

/** The API's refusals of the manager's pages that have a sentence of their own (`manager.error.<code>`). */
export const MANAGER_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_VACCINE',
  'INVALID_LOT',
  'INVALID_DOSES',
  'EXPIRY_PASSED',
  'BATCH_EXISTS',
  'INVALID_COUNT',
  'INVALID_REASON',
  'NOTE_REQUIRED',
  'INVALID_TIME',
  'INVALID_RANGE',
  'OVERLAPPING_HOURS',
  'INVALID_SLOT_LENGTH',
  'INVALID_CAPACITY',
  'NO_CAPACITY',
  'CANCELLATIONS_NOT_CONFIRMED',
  'DAY_IN_PAST',
  'REASON_REQUIRED',
  'INVALID_NAME',
  'INVALID_EMAIL',
  'INVALID_ROLE',
  'EMAIL_TAKEN',
  'LAST_MANAGER',
  'CANNOT_REMOVE_SELF',
  'STAFF_NOT_FOUND',
] as const;

type ManagerCode = (typeof MANAGER_CODES)[number];

const isManagerCode = (code: string): code is ManagerCode => (MANAGER_CODES as readonly string[]).includes(code);

/** What went wrong, in the manager's language: the code's own sentence, else the desk's wording of it. */
export function describeManagerError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  if (error instanceof ApiError && isManagerCode(error.code)) return t(`manager.error.${error.code}`);
  return describeError(error, t, fmt);
}

/**
 * The form field a refusal is about: the field the API names, or for a refusal that names none, the
 * field the form knows it to be about (`BATCH_EXISTS` is the lot number's).
 */
export function errorField(error: unknown, byCode: Readonly<Record<string, string>> = {}): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.field ?? byCode[error.code] ?? null;
}
