import type { MouseEvent } from 'react';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useApp, useSession } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { LanguageSwitch } from './language-switch.tsx';

function NavLink({ href, label }: { href: string; label: string }) {
  const { pathname } = useLocation();
  const current = pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
  return (
    <Link href={href} {...(current ? { 'aria-current': 'page' as const } : {})}>
      {label}
    </Link>
  );
}

/** Skip link, the service's name, the language switch and the main menu. */
export function SiteHeader() {
  const { session } = useApp();
  const router = useRouter();
  const loggedIn = useSession() !== null;
  const { t } = useI18n();

  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  const logOut = () => {
    session.clear();
    router.navigate('/?loggedOut=1');
  };

  return (
    <header className="site-header">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the handler moves focus there without putting #main in the address */}
      <a className="skip-link" href="#main" onClick={skip}>
        {t('nav.skip')}
      </a>
      <div className="site-header-bar">
        <Link href="/" className="brand">
          {t('app.name')}
        </Link>
        <LanguageSwitch />
      </div>
      <nav aria-label={t('nav.label')} className="site-nav">
        <ul>
          <li>
            <NavLink href="/search" label={t('nav.search')} />
          </li>
          {loggedIn ? (
            <>
              <li>
                <NavLink href="/visits" label={t('nav.visits')} />
              </li>
              <li>
                <button type="button" className="link-button" onClick={logOut}>
                  {t('nav.logout')}
                </button>
              </li>
            </>
          ) : (
            <li>
              <NavLink href="/" label={t('nav.login')} />
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}
