import type { Language } from '@ereg/shared';
import { useEffect, useMemo, useState } from 'react';
import { useFocusOnNavigation } from '../../shared/src/components/page.tsx';
import { storedLanguage, storeLanguage } from '../../shared/src/languages.ts';
import { matchPath, RouterContext, useLocation } from '../../shared/src/router.tsx';
import { AppContext, type Call, CallContext, type CallContextValue, type Desk, DeskContext } from './app-context.ts';
import { I18nContext, i18nFor } from './i18n/index.ts';
import { BASE, PATHS } from './lib/paths.ts';
import { createShortcuts, ShortcutsContext } from './lib/shortcuts.ts';
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

function Screens() {
  useFocusOnNavigation();
  // The shell (sign-in, header, navigation, session clock) comes with the console's sign-in.
  return null;
}

/** The hotline console: language, services, shortcuts, and the pages of the signed-in agent or supervisor. */
export function App({ services }: { services: Services }) {
  const [language, setLanguage] = useState<Language>(() => storedLanguage(services.localStorage));
  const i18n = useMemo(
    () =>
      i18nFor(language, (next) => {
        storeLanguage(services.localStorage, next);
        setLanguage(next);
      }),
    [language, services.localStorage],
  );
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
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
