import type { Vaccine } from '@ereg/shared';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Status } from '../../shared/src/components/live.tsx';
import { PAGE_TITLE_ID, useFocusOnNavigation } from '../../shared/src/components/page.tsx';
import { Link, RouterContext, useLocation } from '../../shared/src/router.tsx';
import { SignInCallbackPage } from '../../shared/src/sign-in/callback-page.tsx';
import { signInHostOf } from '../../shared/src/sign-in/host.ts';
import { SignInPage } from '../../shared/src/sign-in/sign-in-page.tsx';
import { useLoad } from '../../shared/src/use-load.ts';
import { AppContext, type AppContextValue, useApp, useSession } from './app-context.ts';
import { ErrorMessage } from './components/error-message.tsx';
import { ReportsHeader } from './components/reports-header.tsx';
import { I18nContext, useChosenReportsLanguage, useI18n } from './i18n/index.ts';
import { BASE, PATHS } from './lib/paths.ts';
import { isSessionEnd, personName, reportsSignIn, SIGNED_OUT, signOut, takeNotice } from './lib/sign-in.ts';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ReportPage } from './pages/report-page.tsx';
import type { Services } from './services.ts';

const NO_VACCINES: readonly Vaccine[] = [];

/** Who may see the whole figures: the ministry's analysts and administrators. */
type Reader = { role: 'analyst' | 'admin'; id: string };

function Layout({ person = null, children }: { person?: string | null; children: ReactNode }) {
  useFocusOnNavigation();
  return (
    <>
      <ReportsHeader person={person} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** What the shared sign-in pages use of the dashboard. */
function useSignInHost() {
  const services = useApp();
  const { t, language } = useI18n();
  return useMemo(
    () => signInHostOf(services, reportsSignIn, { t, language }, (error) => <ErrorMessage error={error} />),
    [services, t, language],
  );
}

/** Not signed in: the sign-in screen, saying why, and the public summary, which needs none. */
function SignedOut() {
  const { tabStorage } = useApp();
  const { t } = useI18n();
  const host = useSignInHost();
  const [notice] = useState(() => {
    const code = takeNotice(tabStorage);
    if (code === null) return null;
    return code === SIGNED_OUT ? t('signIn.signedOut') : isSessionEnd(code) ? t('signIn.again') : t('signIn.notStaff');
  });
  return (
    <Layout>
      <SignInPage host={host} notice={notice} />
      <p className="sign-in-public">
        <Link href={PATHS.public}>{t('signIn.publicInstead')}</Link>
      </p>
    </Layout>
  );
}

/** Signed in: who this is (an analyst or an administrator, or someone the dashboard is not for), then the page. */
function SignedIn() {
  const { api, session, tabStorage } = useApp();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const me = useLoad('me', () => api.me());
  const principal = me.status === 'ready' ? me.data.principal : null;
  const reader = useMemo<Reader | null>(() => {
    if (principal?.role === 'analyst') return { role: 'analyst', id: principal.analystId };
    if (principal?.role === 'admin') return { role: 'admin', id: principal.adminId };
    return null;
  }, [principal]);

  useEffect(() => {
    // Signed in as someone the dashboard is not for (a patient, an agent, centre staff).
    if (principal && !reader) signOut(session, tabStorage, 'NOT_REPORTS');
  }, [principal, reader, session, tabStorage]);

  const name = personName(tabStorage) ?? reader?.id ?? null;
  const person = reader && name ? t('header.person', { name, role: t(`header.role.${reader.role}`) }) : name;
  if (reader) {
    return (
      <Layout person={person}>
        {pathname === BASE || pathname === PATHS.dashboard ? <ReportPage audience="analyst" /> : <NotFoundPage />}
      </Layout>
    );
  }
  return (
    <Layout person={person}>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {t('app.short')}
      </h1>
      {me.status === 'failed' ? (
        <>
          <ErrorMessage error={me.error} />
          <button type="button" className="button" onClick={me.reload}>
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
  const { tabStorage } = useApp();
  if (pathname === PATHS.public) {
    // Anyone, signed in or not: the header still says who is signed in.
    const name = signedIn ? personName(tabStorage) : null;
    return (
      <Layout person={name}>
        <ReportPage audience="public" />
      </Layout>
    );
  }
  if (pathname === PATHS.callback) {
    return (
      <Layout>
        <SignInCallbackPage host={host} />
      </Layout>
    );
  }
  if (pathname !== BASE && pathname !== PATHS.dashboard) {
    return (
      <Layout>
        <NotFoundPage />
      </Layout>
    );
  }
  return signedIn ? <SignedIn /> : <SignedOut />;
}

/** The reports' dashboard: language, services, the vaccine catalogue, and the page for the address. */
export function App({ services }: { services: Services }) {
  const i18n = useChosenReportsLanguage(services.localStorage);
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
