import { Status } from '../../../shared/src/components/live.tsx';
import { SiteHeader as SiteHeaderShell } from '../../../shared/src/components/site-header.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { LOGIN_PATH } from '../api/session.ts';
import { useApp, useSession } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { ErrorMessage } from './error-message.tsx';
import { useLogin } from './login-button.tsx';

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
  const { href } = useLocation();
  const here = href.split('#')[0] ?? '/';
  const login = useLogin();

  const logOut = () => {
    session.clear();
    router.navigate('/?loggedOut=1');
  };

  return (
    <SiteHeaderShell
      brand={
        <Link href="/" className="brand">
          {t('app.name')}
        </Link>
      }
    >
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
                <NavLink href="/access-log" label={t('nav.access')} />
              </li>
              <li>
                <button type="button" className="link-button" onClick={logOut}>
                  {t('nav.logout')}
                </button>
              </li>
            </>
          ) : (
            <li>
              {/* To the identity provider, and back to this very page (the link opens the same in a new tab). */}
              <a
                href={`${LOGIN_PATH}?return=${encodeURIComponent(here)}`}
                aria-disabled={login.busy || undefined}
                onClick={(event) => {
                  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                  event.preventDefault();
                  login.logIn(here);
                }}
              >
                {t('nav.login')}
              </a>
              <Status className="visually-hidden">{login.busy ? t('login.redirecting') : null}</Status>
            </li>
          )}
        </ul>
      </nav>
      {login.error ? (
        <div className="site-header-error">
          <ErrorMessage error={login.error} />
        </div>
      ) : null}
    </SiteHeaderShell>
  );
}
