import type { Ref } from 'react';
import {
  COMMON_ERROR_TITLES,
  COMMON_EXPLAINED_CODES,
  describeApiError,
  errorTitleByStatus,
} from '../error-messages.ts';
import { type Formatter, type I18n, type Translator, useSiteI18n } from '../i18n.ts';
import { Alert } from './live.tsx';

/** How an app words an error: its heading's key and its sentence. */
export interface ErrorWording<K extends string> {
  titleKey: (error: unknown) => K;
  describe: (error: unknown, t: Translator<K>, fmt: Formatter) => string;
}

/** The site's wording: the common codes and headings only, for an app that has no codes of its own yet. */
export const COMMON_WORDING: ErrorWording<string> = {
  titleKey: (error) => errorTitleByStatus(error, COMMON_ERROR_TITLES),
  describe: (error, t, fmt) => describeApiError(error, t, fmt, COMMON_EXPLAINED_CODES),
};

/**
 * An API refusal or a network failure in plain words, under a heading that says which it is, announced
 * as it appears; `wording` is the app's (its codes and headings), the site's by default.
 */
export function ErrorMessage<K extends string>({
  error,
  wording,
  ref,
}: {
  error: unknown;
  wording?: ErrorWording<K>;
  ref?: Ref<HTMLDivElement>;
}) {
  // The app's root provides its own I18n, which words the keys its wording uses.
  const { t, fmt } = useSiteI18n() as unknown as I18n<K>;
  const words = wording ?? (COMMON_WORDING as ErrorWording<K>);
  return (
    <Alert title={t(words.titleKey(error))} {...(ref ? { ref } : {})}>
      <p>{words.describe(error, t, fmt)}</p>
    </Alert>
  );
}
