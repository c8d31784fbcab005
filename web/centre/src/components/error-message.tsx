import type { Ref } from 'react';
import { Alert } from '../../../shared/src/components/live.tsx';
import { useI18n } from '../i18n/index.ts';
import { describeErrorWithField, errorTitleKey } from '../lib/error-messages.ts';

/** An API refusal or a network failure in plain words, the field named, announced as it appears. */
export function ErrorMessage({ error, ref }: { error: unknown; ref?: Ref<HTMLDivElement> }) {
  const { t, fmt } = useI18n();
  return (
    <Alert title={t(errorTitleKey(error))} {...(ref ? { ref } : {})}>
      <p>{describeErrorWithField(error, t, fmt)}</p>
    </Alert>
  );
}
