import type { Ref } from 'react';
import { type ErrorWording, ErrorMessage as SiteErrorMessage } from '../../../shared/src/components/error-message.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { describeSupervisorError } from '../lib/audit-errors.ts';
import { errorTitleKey } from '../lib/error-messages.ts';

const SUPERVISOR_WORDING: ErrorWording<MessageKey> = { titleKey: errorTitleKey, describe: describeSupervisorError };

/** A refusal on the supervisor's pages in plain words, announced as it appears. */
export function SupervisorError({ error, ref }: { error: unknown; ref?: Ref<HTMLDivElement> }) {
  return <SiteErrorMessage error={error} wording={SUPERVISOR_WORDING} {...(ref ? { ref } : {})} />;
}
