import { ApiError, NETWORK_ERROR } from './api-client.ts';
import type { CommonErrorKey, Formatter, Translator } from './i18n.ts';

/**
 * The codes every app meets and words the same way: the client's own (no network) and the session's.
 * An app adds the codes of its own pages to these.
 */
export const COMMON_EXPLAINED_CODES = [
  NETWORK_ERROR,
  'TOKEN_EXPIRED',
  'INVALID_TOKEN',
  'UNAUTHENTICATED',
  'SIGN_IN_FAILED',
] as const;

/** The headings of errors by HTTP status that every app has; an app may add more (403, 409). */
export const COMMON_ERROR_TITLES: Readonly<Record<number, CommonErrorKey>> = {
  400: 'error.title.input',
  401: 'error.title.login',
  404: 'error.title.notFound',
  429: 'error.title.tooMany',
};

/**
 * What went wrong, in the person's language: an explained code's own sentence (`error.<CODE>`), a
 * server failure with its reference, a rate limit with the wait, else a plain sentence with the code.
 * `explained` lists the codes the app's catalogues word (COMMON_EXPLAINED_CODES and its own).
 */
export function describeApiError<K extends string>(
  error: unknown,
  t: Translator<K | CommonErrorKey>,
  fmt: Formatter,
  explained: readonly string[],
): string {
  if (!(error instanceof ApiError)) return t('error.unexpected', { code: 'APP' });
  const code = error.code;
  if (code === 'INTERNAL') return t('error.INTERNAL', { reference: error.correlationId ?? '—' });
  if (explained.includes(code)) {
    // A refusal that says how long to wait (a budget for the hour) may put it in its sentence: `{wait}`.
    const wait = error.retryAfterSeconds;
    return t(`error.${code}` as K, wait === undefined ? {} : { wait: fmt.inAWhile(wait) });
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait === undefined
      ? t('error.TOO_MANY_REQUESTS')
      : t('error.TOO_MANY_REQUESTS.wait', { wait: fmt.inAWhile(wait) });
  }
  return t('error.unexpected', { code });
}

/**
 * The heading of an error by its status ("something went wrong" only for a failure: the network, the
 * server, the unexpected); `titles` maps the statuses the app names (COMMON_ERROR_TITLES and its own).
 */
export function errorTitleByStatus<K extends string>(
  error: unknown,
  titles: Readonly<Record<number, K>>,
): K | 'error.title' {
  if (!(error instanceof ApiError)) return 'error.title';
  return titles[error.status] ?? 'error.title';
}

/** Whether the error means the person must sign in (again). */
export const needsSignIn = (error: unknown): boolean => error instanceof ApiError && error.status === 401;
