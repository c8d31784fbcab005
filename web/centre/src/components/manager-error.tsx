import type { Ref } from 'react';
import { Alert } from '../../../shared/src/components/live.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorTitleKey } from '../lib/error-messages.ts';
import { describeManagerError } from '../lib/manager-errors.ts';

/**
 * A refusal on the manager's pages in plain words, announced as it appears; `field`, the label of the
 * field it is about, is named first ("Lot number: …") so that it is clear without colour or position.
 */
export function ManagerError({
  error,
  field,
  ref,
}: {
  error: unknown;
  field?: string | null;
  ref?: Ref<HTMLDivElement>;
}) {
  const { t, fmt } = useI18n();
  const message = describeManagerError(error, t, fmt);
  return (
    <Alert title={t(errorTitleKey(error))} {...(ref ? { ref } : {})}>
      <p>{field ? t('field.named', { field, message }) : message}</p>
    </Alert>
  );
}
