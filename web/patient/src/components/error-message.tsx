import type { Ref } from 'react';
import { Alert } from '../../../shared/src/components/live.tsx';
import { useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';

/** An API or network failure in plain words, announced as it appears. */
export function ErrorMessage({ error, ref }: { error: unknown; ref?: Ref<HTMLDivElement> }) {
  const { t, fmt } = useI18n();
  return (
    <Alert title={t('error.title')} {...(ref ? { ref } : {})}>
      <p>{describeError(error, t, fmt)}</p>
    </Alert>
  );
}
