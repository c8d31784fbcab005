import type { Vaccine } from '@ereg/shared';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Status } from '../../shared/src/components/live.tsx';
import { PAGE_TITLE_ID, useFocusOnNavigation } from '../../shared/src/components/page.tsx';
import { matchPath, RouterContext, useLocation } from '../../shared/src/router.tsx';
import { SignInCallbackPage } from '../../shared/src/sign-in/callback-page.tsx';
import { signInHostOf } from '../../shared/src/sign-in/host.ts';
import { SignInPage } from '../../shared/src/sign-in/sign-in-page.tsx';
import { useLoad } from '../../shared/src/use-load.ts';
import { AppContext, type AppContextValue, useAdminApiOf, useApp, useSession } from './app-context.ts';
import { AdminHeader } from './components/admin-header.tsx';
import { ErrorMessage } from './components/error-message.tsx';
import { I18nContext, useChosenAdminLanguage, useI18n } from './i18n/index.ts';
import { PATHS } from './lib/paths.ts';
import { adminSignIn, isSessionEnd, personName, SIGNED_OUT, signOut, takeNotice } from './lib/sign-in.ts';
import { AnnouncementsPage } from './pages/announcements-page.tsx';
import { CentrePage } from './pages/centre-page.tsx';
import { CentresPage } from './pages/centres-page.tsx';
import { ChangePage } from './pages/change-page.tsx';
import { GroupsPage } from './pages/groups-page.tsx';
import { NewCentrePage } from './pages/new-centre-page.tsx';
import { NewChangePage } from './pages/new-change-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { PolicyPage } from './pages/policy-page.tsx';
import { VaccinesPage } from './pages/vaccines-page.tsx';
import type { Services } from './services.ts';

const NO_VACCINES: readonly Vaccine[] = [];

function Layout({ person = null, children }: { person?: string | null; children: ReactNode }) {
  useFocusOnNavigation();
  return (
    <>
      <AdminHeader person={person} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** What the shared sign-in pages use of the administration. */
function useSignInHost() {
  const services = useApp();
  const { t, language } = useI18n();
  return useMemo(
    () => signInHostOf(services, adminSignIn, { t, language }, (error) => <ErrorMessage error={error} />),
    [services, t, language],
  );
}

/** The page for a path of the signed-in administrator. */
function PageFor({ pathname }: { pathname: string }) {
  if (pathname === PATHS.overview || pathname === '/admin') return <OverviewPage />;
  if (pathname === PATHS.policy) return <PolicyPage />;
  if (pathname === PATHS.newChange) return <NewChangePage />;
  const change = matchPath('/admin/policy/changes/:changeId', pathname);
  if (change?.changeId) return <ChangePage changeId={change.changeId} />;
  if (pathname === PATHS.groups) return <GroupsPage />;
  if (pathname === PATHS.centres) return <CentresPage />;
  if (pathname === PATHS.newCentre) return <NewCentrePage />;
  const centre = matchPath('/admin/centres/:centreId', pathname);
  if (centre?.centreId) return <CentrePage centreId={centre.centreId} />;
  if (pathname === PATHS.vaccines) return <VaccinesPage />;
  if (pathname === PATHS.announcements) return <AnnouncementsPage />;
  return <NotFoundPage />;
}

/** Not signed in: the sign-in screen, saying why. */
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
    </Layout>
  );
}

/** Signed in: who this is (an administrator, or someone the administration is not for), then the page. */
function SignedIn({ onAdmin }: { onAdmin: (adminId: string | null) => void }) {
  const { api, session, tabStorage } = useApp();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const me = useLoad('me', () => api.me());
  const principal = me.status === 'ready' ? me.data.principal : null;
  const adminId = principal?.role === 'admin' ? principal.adminId : null;

  useEffect(() => {
    onAdmin(adminId);
    // Signed in as someone the administration is not for (an analyst, an agent, centre staff, a patient).
    if (principal && !adminId) signOut(session, tabStorage, 'NOT_ADMIN');
  }, [principal, adminId, onAdmin, session, tabStorage]);

  const person = personName(tabStorage) ?? adminId;
  if (adminId) {
    return (
      <Layout person={person}>
        <PageFor pathname={pathname} />
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
          <button type="button" className="button button-primary" onClick={me.reload}>
            {t('retry')}
          </button>
        </>
      ) : (
        <Status>{t('loading')}</Status>
      )}
    </Layout>
  );
}

function Screens({ onAdmin }: { onAdmin: (adminId: string | null) => void }) {
  const { pathname } = useLocation();
  const host = useSignInHost();
  const signedIn = useSession() !== null;
  if (pathname === PATHS.callback) {
    return (
      <Layout>
        <SignInCallbackPage host={host} />
      </Layout>
    );
  }
  return signedIn ? <SignedIn onAdmin={onAdmin} /> : <SignedOut />;
}

/** The administration: language, services, who is signed in, the vaccine catalogue, and the page for the address. */
export function App({ services }: { services: Services }) {
  const i18n = useChosenAdminLanguage(services.localStorage);
  const admin = useAdminApiOf(services);
  const [adminId, setAdminId] = useState<string | null>(null);
  const catalogue = useLoad('vaccines', () => services.api.vaccines().then((answer) => answer.vaccines));
  const vaccines = catalogue.status === 'ready' ? catalogue.data : NO_VACCINES;
  const app = useMemo<AppContextValue>(
    () => ({ ...services, admin, adminId, vaccines }),
    [services, admin, adminId, vaccines],
  );

  return (
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={app}>
        <I18nContext.Provider value={i18n}>
          <Screens onAdmin={setAdminId} />
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>
  );
}
