import type { ReactNode } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import type { Load } from '../../../shared/src/use-load.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';

/** What a load shows: "loading", the error with a retry, or its data through `children`. */
export function Loaded<T>({
  load,
  children,
}: {
  load: Load<T> & { reload: () => void };
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (load.status === 'ready') return <>{children(load.data)}</>;
  if (load.status === 'failed') {
    return (
      <>
        <ErrorMessage error={load.error} />
        <button type="button" className="button" onClick={load.reload}>
          {t('retry')}
        </button>
      </>
    );
  }
  return <Status>{t('loading')}</Status>;
}
