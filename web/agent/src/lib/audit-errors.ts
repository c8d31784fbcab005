import { ApiError } from '../../../shared/src/api-client.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';
import { describeError } from './error-messages.ts';

/** The API's refusals of the supervisor's pages that have a sentence of their own (`audit.error.<code>`). */
export const SUPERVISOR_CODES = [
  'INVALID_INPUT',
  'INVALID_DATE',
  'INVALID_RANGE',
  'INVALID_CURSOR',
  'NOTE_REQUIRED',
  'REVIEW_DECIDED',
  'REVIEW_NOT_FOUND',
  'ALERT_ACKNOWLEDGED',
  'ALERT_NOT_FOUND',
  'ALREADY_WATCHED',
  'NOT_WATCHED',
  'INVALID_PESEL_FORMAT',
  'INVALID_PESEL_DATE',
  'INVALID_PESEL_CHECKSUM',
  'ROLE_NOT_ALLOWED',
] as const;

type SupervisorCode = (typeof SUPERVISOR_CODES)[number];

const isSupervisorCode = (code: string): code is SupervisorCode =>
  (SUPERVISOR_CODES as readonly string[]).includes(code);

/** What went wrong, in the supervisor's language: the code's own sentence, else the console's wording. */
export function describeSupervisorError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  if (error instanceof ApiError && isSupervisorCode(error.code)) return t(`audit.error.${error.code}`);
  return describeError(error, t, fmt);
}

/** The field a refusal names when it is one of `fields` (a form shows it there), else null. */
export function refusedField<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const field = error.field.split('.')[0] as F;
  return fields.includes(field) ? field : null;
}

/** Whether the API refused with this code. */
export const refusedWith = (error: unknown, code: SupervisorCode): boolean =>
  error instanceof ApiError && error.code === code;
