import type { MouseEvent } from 'react';
import { LanguageSwitch } from '../../../shared/src/components/language-switch.tsx';
import { Link, useLocation } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { ADMIN_LANGUAGES, type MessageKey, useI18n } from '../i18n/index.ts';
import { PATHS } from '../lib/paths.ts';
import { signOut } from '../lib/sign-in.ts';

const NAV: ReadonlyArray<{ href: string; key: MessageKey }> = [
  { href: PATHS.overview, key: 'nav.overview' },
  { href: PATHS.policy, key: 'nav.policy' },
  { href: PATHS.groups, key: 'nav.groups' },
  { href: PATHS.centres, key: 'nav.centres' },
  { href: PATHS.vaccines, key: 'nav.vaccines' },
  { href: PATHS.announcements, key: 'nav.announcements' },
];

/** The page a path belongs to in the navigation (a change belongs to the policy, a centre to the centres). */
const sectionOf = (pathname: string): string =>
  NAV.slice(1).find((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))?.href ?? PATHS.overview;

/**
 * The site's header as the administration has it: a skip link, its name and its two languages; once
 * signed in, who this is, signing out and its pages.
 */
export function AdminHeader({ person }: { person: string | null }) {
  const { session, tabStorage } = useApp();
  const { t, language, setLanguage } = useI18n();
  const { pathname } = useLocation();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  const current = sectionOf(pathname);
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
        <LanguageSwitch language={language} setLanguage={setLanguage} languages={ADMIN_LANGUAGES} />
      </div>
      {person ? (
        <>
          <div className="site-header-person">
            <span>{t('header.signedInAs', { name: person })}</span>
            <button type="button" className="link-button" onClick={() => signOut(session, tabStorage)}>
              {t('header.signOut')}
            </button>
          </div>
          <nav className="admin-nav" aria-label={t('nav.label')}>
            <ul>
              {NAV.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} {...(current === item.href ? { 'aria-current': 'page' as const } : {})}>
                    {t(item.key)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </>
      ) : null}
    </header>
  );
}
