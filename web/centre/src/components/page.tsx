import { type ReactNode, useEffect } from 'react';
import { useI18n } from '../i18n/index.ts';

export const PAGE_TITLE_ID = 'page-title';

/** A page: its one h1 (which focus moves to on navigation) and the document's title. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useI18n();
  const site = t('app.name');
  useEffect(() => {
    document.title = `${title} – ${site}`;
  }, [title, site]);
  return (
    <>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </>
  );
}
