import { ApiError } from '../../../shared/src/api-client.ts';
import { COMMON_ERROR_TITLES, describeApiError, errorTitleByStatus } from '../../../shared/src/error-messages.ts';
import type { Formatter, Translator } from '../../../shared/src/i18n.ts';
import { type MessageKey, pl } from '../i18n/pl.ts';

/** The API's error codes the administration has a sentence for: every `error.<CODE>` of the catalogues. */
export const EXPLAINED_CODES: readonly string[] = Object.keys(pl)
  .filter((key) => /^error\.[A-Z][A-Z_]*$/.test(key))
  .map((key) => key.slice('error.'.length));

/** The fields an error may name: every `field.<name>` of the catalogues, with its label. */
export const NAMED_FIELDS: readonly string[] = Object.keys(pl)
  .filter((key) => /^field\.\w+$/.test(key) && key !== 'field.named')
  .map((key) => key.slice('field.'.length));

/**
 * The field an API refusal names, when the administration has a label for it: the last named part of
 * its path (`rules.2.opensAt` → `opensAt`, `address.city` → `city` unless unknown, then `address`).
 */
export function fieldOf(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const parts = error.field.split('.').filter((part) => !/^\d+$/.test(part));
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] as string;
    if (NAMED_FIELDS.includes(part)) return part;
  }
  return null;
}

/**
 * What went wrong, in the person's language, preceded by the field it is about ("Otwarcie: …"): the
 * code's own sentence, else for refused input that the value is not accepted (with the server's own
 * words), else a plain sentence with the code.
 */
export function describeError(error: unknown, t: Translator<MessageKey>, fmt: Formatter): string {
  const refusedInput = error instanceof ApiError && error.status === 400 && !EXPLAINED_CODES.includes(error.code);
  const message = refusedInput ? t('error.input') : describeApiError(error, t, fmt, EXPLAINED_CODES);
  const field = fieldOf(error);
  return field ? t('field.named', { field: t(`field.${field}` as MessageKey), message }) : message;
}

const TITLES: Readonly<Record<number, MessageKey>> = {
  ...COMMON_ERROR_TITLES,
  403: 'error.title.forbidden',
  409: 'error.title.conflict',
};

/** The heading of an error: what kind of refusal it is, in words. */
export function errorTitleKey(error: unknown): MessageKey {
  return errorTitleByStatus(error, TITLES);
}
