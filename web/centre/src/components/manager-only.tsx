import type { ReactNode } from 'react';
import { Link } from '../../../shared/src/router.tsx';
import { isManager, useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { BASE } from '../lib/sign-in.ts';
import { Page } from './page.tsx';

/** A page of the centre's manager: for staff (who reached it by its address), a plain word instead. */
export function ManagerOnly({ title, children }: { title: string; children: ReactNode }) {
  const desk = useDesk();
  const { t } = useI18n();
  if (isManager(desk)) return <>{children}</>;
  return (
    <Page title={title}>
      <p className="note">{t('manager.only')}</p>
      <p>
        <Link className="button button-secondary" href={`${BASE}/`}>
          {t('notFound.back')}
        </Link>
      </p>
    </Page>
  );
}
