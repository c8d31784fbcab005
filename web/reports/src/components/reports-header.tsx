import type { MouseEvent } from 'react';
import { LanguageSwitch } from '../../../shared/src/components/language-switch.tsx';
import { Link, useLocation } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { REPORTS_LANGUAGES, useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';
import { signOut } from '../lib/sign-in.ts';

/**
 * The site's header as the dashboard has it: a skip link, its name and the switch between its two
 * languages (each named in itself); once signed in, who this is and signing out; then its two pages.
 */
export function ReportsHeader({ person }: { person: string | null }) {
  const { session, tabStorage } = useApp();
  const { t, language, setLanguage } = useI18n();
  const { pathname } = useLocation();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  const onPublic = pathname === PATHS.public;
  return (
    <header className="site-header">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the handler moves focus there without putting #main in the address */}
      <a className="skip-link" href="#main" onClick={skip}>
        {t('nav.skip')}
      </a>
      <div className="site-header-bar">
        <p className="brand">
          <span className="brand-app">{t('app.short')}</span>
        </p>
        <LanguageSwitch language={language} setLanguage={setLanguage} languages={REPORTS_LANGUAGES} />
      </div>
      {person ? (
        <div className="site-header-person">
          <span>{t('header.signedInAs', { name: person })}</span>
          <button type="button" className="link-button" onClick={() => signOut(session, tabStorage)}>
            {t('header.signOut')}
          </button>
        </div>
      ) : null}
      <nav className="reports-nav" aria-label={t('nav.label')}>
        <ul>
          <li>
            <Link href={PATHS.dashboard} {...(onPublic ? {} : { 'aria-current': 'page' as const })}>
              {t('nav.dashboard')}
            </Link>
          </li>
          <li>
            <Link href={PATHS.public} {...(onPublic ? { 'aria-current': 'page' as const } : {})}>
              {t('nav.public')}
            </Link>
          </li>
        </ul>
      </nav>
    </header>
  );
}
