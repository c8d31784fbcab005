import type { Vaccine } from '@ereg/shared';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { Status } from '../../shared/src/components/live.tsx';
import { RouterContext, useLocation } from '../../shared/src/router.tsx';
import { SignInCallbackPage } from '../../shared/src/sign-in/callback-page.tsx';
import { signInHostOf } from '../../shared/src/sign-in/host.ts';
import { SignInPage } from '../../shared/src/sign-in/sign-in-page.tsx';
import { useChosenLanguage } from '../../shared/src/use-language.ts';
import { useLoad } from '../../shared/src/use-load.ts';
import { AppContext, type AppContextValue, type Desk, DeskContext, useApp, useSession } from './app-context.ts';
import { CentreNav } from './components/centre-nav.tsx';
import { ErrorMessage } from './components/error-message.tsx';
import { PAGE_TITLE_ID } from './components/page.tsx';
import { SiteHeader } from './components/site-header.tsx';
import { I18nContext, i18nFor, useI18n } from './i18n/index.ts';
import {
  BASE,
  CALLBACK_PATH,
  centreSignIn,
  isSessionEnd,
  personName,
  SIGNED_OUT,
  signOut,
  takeNotice,
} from './lib/sign-in.ts';
import { BatchesPage } from './pages/batches-page.tsx';
import { DayPage } from './pages/day-page.tsx';
import { ManagerSchedulePage } from './pages/manager-schedule-page.tsx';
import { ManagerStaffPage } from './pages/manager-staff-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import type { Services } from './services.ts';

const NO_VACCINES: readonly Vaccine[] = [];

/** The page for a path of a signed-in desk. */
function Routes() {
  const { pathname } = useLocation();
  if (pathname === BASE || pathname === `${BASE}/` || pathname === `${BASE}/day`) return <DayPage />;
  if (pathname === `${BASE}/batches`) return <BatchesPage />;
  if (pathname === `${BASE}/schedule`) return <ManagerSchedulePage />;
  if (pathname === `${BASE}/staff`) return <ManagerStaffPage />;
  return <NotFoundPage />;
}

/** After navigation, focus goes to the new page's h1, so keyboard and screen-reader users start at the top. */
function useFocusOnNavigation() {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    document.getElementById(PAGE_TITLE_ID)?.focus();
  }, [pathname]);
}

function Layout({ header, nav, children }: { header: ReactNode; nav?: ReactNode; children: ReactNode }) {
  useFocusOnNavigation();
  return (
    <>
      {header}
      {nav}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** What the shared sign-in pages use of this app. */
function useSignInHost() {
  const services = useApp();
  const { t, language } = useI18n();
  return useMemo(
    () => signInHostOf(services, centreSignIn, { t, language }, (error) => <ErrorMessage error={error} />),
    [services, t, language],
  );
}

/** Not signed in: the sign-in screen, saying why (signed out, the session ended). */
function SignedOut() {
  const { tabStorage } = useApp();
  const { t } = useI18n();
  const host = useSignInHost();
  const [notice] = useState(() => {
    const code = takeNotice(tabStorage);
    if (code === null) return null;
    return code === SIGNED_OUT
      ? ('signedOut' as const)
      : isSessionEnd(code)
        ? ('again' as const)
        : ('notStaff' as const);
  });
  return (
    <Layout header={<SiteHeader centreName={null} person={null} />}>
      <SignInPage host={host} notice={notice ? t(`signIn.${notice}`) : null} />
    </Layout>
  );
}

/** Signed in: who this is and which centre, then the page asked for. */
function SignedIn() {
  const { api, session, tabStorage } = useApp();
  const { t } = useI18n();
  const me = useLoad('me', () => api.me());
  const principal = me.status === 'ready' ? me.data.principal : null;
  const centreId = principal && 'centreId' in principal ? principal.centreId : null;
  const staffId = principal && 'staffId' in principal ? principal.staffId : null;
  const role = principal?.role === 'centre-manager' ? 'centre-manager' : 'staff';
  const centre = useLoad(centreId, () => api.call('centre', { params: { centreId: centreId ?? '' } }));
  const name = personName(tabStorage);

  useEffect(() => {
    // Signed in as someone who works at no centre (a patient, an agent): not this app's user.
    if (principal && !centreId) signOut(session, tabStorage, 'NOT_STAFF');
  }, [principal, centreId, session, tabStorage]);

  const centreData = centre.status === 'ready' ? centre.data : null;
  const desk = useMemo<Desk | null>(
    () => (centreData && staffId ? { staffId, centre: centreData, name, role } : null),
    [centreData, staffId, name, role],
  );
  // Who is signed in, as the centre keeps them (name and role); the sign-in's name until that has loaded.
  const staff = me.status === 'ready' ? me.data.staff : null;
  const person = staff
    ? t('header.person', { name: staff.name, role: t(`header.role.${staff.role}`) })
    : (name ?? (staffId ? t('header.staffId', { id: staffId }) : null));
  const header = <SiteHeader centreName={desk?.centre.name ?? null} person={person} />;

  if (desk) {
    return (
      <DeskContext.Provider value={desk}>
        <Layout header={header} nav={<CentreNav />}>
          <Routes />
        </Layout>
      </DeskContext.Provider>
    );
  }
  const failed = me.status === 'failed' ? me : centre.status === 'failed' ? centre : null;
  return (
    <Layout header={header}>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {t('app.short')}
      </h1>
      {failed ? (
        <>
          <ErrorMessage error={failed.error} />
          <button type="button" className="button button-secondary" onClick={failed.reload}>
            {t('retry')}
          </button>
        </>
      ) : (
        <Status>{t('loading')}</Status>
      )}
    </Layout>
  );
}

function Screens() {
  const { pathname } = useLocation();
  const host = useSignInHost();
  const signedIn = useSession() !== null;
  if (pathname === CALLBACK_PATH) {
    return (
      <Layout header={<SiteHeader centreName={null} person={null} />}>
        <SignInCallbackPage host={host} />
      </Layout>
    );
  }
  return signedIn ? <SignedIn /> : <SignedOut />;
}

/** The centres' app: language, services, and the desk of the signed-in staff member. */
export function App({ services }: { services: Services }) {
  const i18n = useChosenLanguage(services.localStorage, i18nFor);
  const catalogue = useLoad('vaccines', () => services.api.vaccines().then((answer) => answer.vaccines));
  const vaccines = catalogue.status === 'ready' ? catalogue.data : NO_VACCINES;
  const app = useMemo<AppContextValue>(() => ({ ...services, vaccines }), [services, vaccines]);

  return (
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={app}>
        <I18nContext.Provider value={i18n}>
          <Screens />
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>
  );
}
