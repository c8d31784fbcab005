import type { ReactNode } from 'react';
import { SiteHeader } from '../../../shared/src/components/site-header.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { signOut } from '../lib/sign-in.ts';

/**
 * Skip link, the console's name, the language switch; once signed in, a band with who this is, the
 * session clock, the shortcuts' help (also Alt+/) and signing out; then what goes under the band (the
 * console's pages, the call in progress).
 */
export function ConsoleHeader({
  person,
  clock,
  onHelp,
  children,
}: {
  person: string | null;
  clock?: ReactNode;
  onHelp?: () => void;
  children?: ReactNode;
}) {
  const { session, tabStorage } = useApp();
  const { t } = useI18n();
  useShortcut('/', t('shortcuts.title'), () => onHelp?.(), Boolean(onHelp));
  const brand = (
    <p className="brand">
      <span className="brand-app">{t('app.short')}</span>
    </p>
  );
  return (
    <SiteHeader brand={brand}>
      {person ? (
        <div className="site-header-person console-band">
          <span className="console-person">{t('header.signedInAs', { name: person })}</span>
          {clock}
          <span className="console-band-actions">
            {onHelp ? (
              <button type="button" className="link-button" onClick={onHelp}>
                {t('shortcuts.open')}
              </button>
            ) : null}
            <button type="button" className="link-button" onClick={() => signOut(session, tabStorage)}>
              {t('header.signOut')}
            </button>
          </span>
        </div>
      ) : null}
      {children}
    </SiteHeader>
  );
}
