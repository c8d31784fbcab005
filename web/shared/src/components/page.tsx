import { type ReactNode, useEffect, useRef } from 'react';
import { useSiteI18n } from '../i18n.ts';
import { useLocation } from '../router.tsx';

/** The id of every page's h1, where focus goes after navigation. */
export const PAGE_TITLE_ID = 'page-title';

/** Moves keyboard and screen-reader focus to the page's heading (after navigation or a change of state). */
export function focusPageTitle(): void {
  document.getElementById(PAGE_TITLE_ID)?.focus();
}

/** A page: its one h1 (which focus moves to on navigation) and the document's title, "page – app". */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useSiteI18n();
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

/** After navigation, focus goes to the new page's h1, so keyboard and screen-reader users start at the top. */
export function useFocusOnNavigation(): void {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    focusPageTitle();
  }, [pathname]);
}
