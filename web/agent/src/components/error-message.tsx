import type { Ref } from 'react';
import { type ErrorWording, ErrorMessage as SiteErrorMessage } from '../../../shared/src/components/error-message.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { describeErrorWithField, errorTitleKey } from '../lib/error-messages.ts';

const CONSOLE_WORDING: ErrorWording<MessageKey> = { titleKey: errorTitleKey, describe: describeErrorWithField };

/** An API refusal or a network failure in plain words, the field named, announced as it appears. */
export function ErrorMessage({ error, ref }: { error: unknown; ref?: Ref<HTMLDivElement> }) {
  return <SiteErrorMessage error={error} wording={CONSOLE_WORDING} {...(ref ? { ref } : {})} />;
}
