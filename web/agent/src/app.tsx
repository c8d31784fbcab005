import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Status } from '../../shared/src/components/live.tsx';
import { PAGE_TITLE_ID, useFocusOnNavigation } from '../../shared/src/components/page.tsx';
import { matchPath, RouterContext, useLocation } from '../../shared/src/router.tsx';
import { SignInCallbackPage } from '../../shared/src/sign-in/callback-page.tsx';
import { signInHostOf } from '../../shared/src/sign-in/host.ts';
import { SignInPage } from '../../shared/src/sign-in/sign-in-page.tsx';
import { useChosenLanguage } from '../../shared/src/use-language.ts';
import { useLoad } from '../../shared/src/use-load.ts';
import {
  AppContext,
  type Call,
  CallContext,
  type CallContextValue,
  type Desk,
  DeskContext,
  useApp,
  useCall,
  useSession,
} from './app-context.ts';
import { CallStrip } from './components/call-strip.tsx';
import { ConsoleHeader } from './components/console-header.tsx';
import { ConsoleNav } from './components/console-nav.tsx';
import { ErrorMessage } from './components/error-message.tsx';
import { HotlineAnnouncements } from './components/hotline-announcements.tsx';
import { SessionClock } from './components/session-clock.tsx';
import { ShortcutHelp } from './components/shortcut-help.tsx';
import { I18nContext, i18nFor, useI18n } from './i18n/index.ts';
import { BASE, PATHS } from './lib/paths.ts';
import { createShortcuts, ShortcutsContext } from './lib/shortcuts.ts';
import { agentSignIn, isSessionEnd, personName, SIGNED_OUT, signOut, takeNotice } from './lib/sign-in.ts';
import { AlertsPage } from './pages/alerts-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { BookPage } from './pages/book-page.tsx';
import { CallPage } from './pages/call-page.tsx';
import { CallerPage } from './pages/caller-page.tsx';
import { HouseholdPage } from './pages/household-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ReviewsPage } from './pages/reviews-page.tsx';
import type { Services } from './services.ts';

/** The page for a path, as the signed-in person's role allows. */
export function Routes({ desk }: { desk: Desk }) {
  const { pathname } = useLocation();
  if (desk.role === 'supervisor') {
    if (pathname === BASE || pathname === PATHS.call || pathname === PATHS.audit) return <AuditPage />;
    if (pathname === PATHS.reviews) return <ReviewsPage />;
    if (pathname === PATHS.alerts) return <AlertsPage />;
    return <NotFoundPage />;
  }
  if (pathname === BASE || pathname === PATHS.call) return <CallPage />;
  if (pathname === PATHS.household) return <HouseholdPage />;
  const caller = matchPath(`${BASE}/caller/:patientId`, pathname);
  if (caller) return <CallerPage key={caller.patientId} />;
  const book = matchPath(`${BASE}/book/:patientId`, pathname);
  if (book) return <BookPage key={book.patientId} />;
  return <NotFoundPage />;
}

const NO_CALL: Call = { reason: null, people: [] };

/** The call in progress, kept in this tab so that a reload does not lose it. */
export function useCallState(tabStorage: Storage): CallContextValue {
  const [call, setCall] = useState<Call>(() => {
    try {
      return (JSON.parse(tabStorage.getItem('ereg.agent.call') ?? 'null') as Call | null) ?? NO_CALL;
    } catch {
      return NO_CALL;
    }
  });
  useEffect(() => {
    if (call === NO_CALL) tabStorage.removeItem('ereg.agent.call');
    else tabStorage.setItem('ereg.agent.call', JSON.stringify(call));
  }, [call, tabStorage]);
  return useMemo<CallContextValue>(
    () => ({
      ...call,
      setReason: (reason) => setCall((c) => ({ ...c, reason })),
      add: (...people) =>
        setCall((c) => {
          const ids = new Set(people.map((p) => p.patientId));
          return { ...c, people: [...c.people.filter((p) => !ids.has(p.patientId)), ...people] };
        }),
      update: (person) =>
        setCall((c) => ({ ...c, people: c.people.map((p) => (p.patientId === person.patientId ? person : p)) })),
      end: () => setCall(NO_CALL),
    }),
    [call],
  );
}

/** What the shared sign-in pages use of the console. */
function useSignInHost() {
  const services = useApp();
  const { t, language } = useI18n();
  return useMemo(
    () => signInHostOf(services, agentSignIn, { t, language }, (error) => <ErrorMessage error={error} />),
    [services, t, language],
  );
}

function Layout({ header, children }: { header: ReactNode; children: ReactNode }) {
  useFocusOnNavigation();
  return (
    <>
      {header}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** Why the sign-in screen shows, in the console's words: signed out, the session ended and how, not for this console. */
function noticeWords(code: string | null, t: ReturnType<typeof useI18n>['t']): string | null {
  if (code === null) return null;
  if (code === SIGNED_OUT) return t('signIn.signedOut');
  if (code === 'SESSION_IDLE') return t('signIn.idle');
  if (code === 'SESSION_TOO_LONG') return t('signIn.tooLong');
  if (code === 'MFA_REQUIRED') return t('signIn.mfaRequired');
  if (isSessionEnd(code) || code === 'SESSION_UNKNOWN') return t('signIn.again');
  return t('signIn.notStaff');
}

/** Not signed in: the sign-in screen, saying why. */
function SignedOut() {
  const { tabStorage } = useApp();
  const { t } = useI18n();
  const host = useSignInHost();
  const [code] = useState(() => takeNotice(tabStorage));
  return (
    <Layout header={<ConsoleHeader person={null} />}>
      <SignInPage host={host} notice={noticeWords(code, t)} />
    </Layout>
  );
}

/** Signed in: who this is (an agent or a supervisor, or someone the console is not for), then the shell and the page. */
function SignedIn() {
  const { api, session, tabStorage, router } = useApp();
  const { t } = useI18n();
  const call = useCall();
  const me = useLoad('me', () => api.me());
  const [help, setHelp] = useState(false);
  const principal = me.status === 'ready' ? me.data.principal : null;
  const name = personName(tabStorage);
  const desk = useMemo<Desk | null>(() => {
    if (principal?.role === 'agent') return { role: 'agent', id: principal.agentId, name };
    if (principal?.role === 'supervisor') return { role: 'supervisor', id: principal.supervisorId, name };
    return null;
  }, [principal, name]);

  useEffect(() => {
    // Signed in as someone the console is not for (a patient, centre staff).
    if (principal && !desk) signOut(session, tabStorage, 'NOT_HOTLINE');
  }, [principal, desk, session, tabStorage]);

  const limits = me.status === 'ready' ? me.data.hotlineSession : null;
  const person = !desk
    ? name
    : desk.name
      ? t('header.person', { name: desk.name, id: desk.id })
      : t(desk.role === 'agent' ? 'header.agentId' : 'header.supervisorId', { id: desk.id });
  const endCall = () => {
    call.end();
    router.navigate(PATHS.call);
  };
  const header = (
    <ConsoleHeader
      person={person}
      clock={limits ? <SessionClock limits={limits} /> : null}
      {...(desk ? { onHelp: () => setHelp(true) } : {})}
    >
      {desk ? <ConsoleNav role={desk.role} /> : null}
      {desk?.role === 'agent' ? <CallStrip onEnd={endCall} /> : null}
      {desk ? <HotlineAnnouncements /> : null}
    </ConsoleHeader>
  );

  if (desk) {
    return (
      <DeskContext.Provider value={desk}>
        <Layout header={header}>
          <Routes desk={desk} />
        </Layout>
        {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      </DeskContext.Provider>
    );
  }
  return (
    <Layout header={header}>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {t('app.short')}
      </h1>
      {me.status === 'failed' ? (
        <>
          <ErrorMessage error={me.error} />
          <button type="button" className="button button-secondary" onClick={me.reload}>
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
  const signedIn = useSession() !== null;
  const host = useSignInHost();
  const call = useCall();
  useEffect(() => {
    // A console signed out keeps nobody's details: the next sign-in starts a new call.
    if (!signedIn) call.end();
  }, [signedIn, call.end]);
  if (pathname === PATHS.callback) {
    return (
      <Layout header={<ConsoleHeader person={null} />}>
        <SignInCallbackPage host={host} />
      </Layout>
    );
  }
  return signedIn ? <SignedIn /> : <SignedOut />;
}

/** The hotline console: language, services, shortcuts, and the pages of the signed-in agent or supervisor. */
export function App({ services }: { services: Services }) {
  const i18n = useChosenLanguage(services.localStorage, i18nFor);
  const shortcuts = useMemo(() => createShortcuts(), []);
  useEffect(() => {
    services.window.addEventListener('keydown', shortcuts.handle);
    return () => services.window.removeEventListener('keydown', shortcuts.handle);
  }, [services.window, shortcuts]);
  const call = useCallState(services.tabStorage);

  return (
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={services}>
        <I18nContext.Provider value={i18n}>
          <ShortcutsContext.Provider value={shortcuts}>
            <CallContext.Provider value={call}>
              <Screens />
            </CallContext.Provider>
          </ShortcutsContext.Provider>
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>
  );
}

export { DeskContext };
