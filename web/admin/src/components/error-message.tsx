import type { Ref } from 'react';
import { type ErrorWording, ErrorMessage as SiteErrorMessage } from '../../../shared/src/components/error-message.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { describeError, errorTitleKey } from '../lib/error-messages.ts';

const WORDING: ErrorWording<MessageKey> = { titleKey: errorTitleKey, describe: describeError };

/** An API refusal or a network failure in plain words, the field named, announced as it appears. */
export function ErrorMessage({ error, ref }: { error: unknown; ref?: Ref<HTMLDivElement> }) {
  return <SiteErrorMessage error={error} wording={WORDING} {...(ref ? { ref } : {})} />;
}
