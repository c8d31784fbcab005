import type { Vaccine } from '@ereg/shared';
import { useEffect, useMemo } from 'react';
import { useFocusOnNavigation } from '../../shared/src/components/page.tsx';
import { matchPath, RouterContext, useLocation } from '../../shared/src/router.tsx';
import { useChosenLanguage } from '../../shared/src/use-language.ts';
import { useLoad } from '../../shared/src/use-load.ts';
import type { Services } from './api/client.ts';
import { CALLBACK_PATH, LOGIN_PATH, resumeAfterLogin } from './api/session.ts';
import { AppContext, type AppContextValue } from './app-context.ts';
import { SiteFooter } from './components/site-footer.tsx';
import { SiteHeader } from './components/site-header.tsx';
import { I18nContext, i18nFor } from './i18n/index.ts';
import { STANDBY_PATH } from './lib/standby.ts';
import { QUEUE_PATH } from './lib/waiting-room.ts';
import { AccessLogPage } from './pages/access-log-page.tsx';
import { BookPage } from './pages/book-page.tsx';
import { BookingPage } from './pages/booking-page.tsx';
import { LoginCallbackPage } from './pages/login-callback-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
// The waiting page
import { QueuePage } from './pages/queue-page.tsx';
import { ReschedulePage } from './pages/reschedule-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
// The standby list
import { StandbyPage } from './pages/standby-page.tsx';
import { StartPage } from './pages/start-page.tsx';
import { VisitsPage } from './pages/visits-page.tsx';

const NO_VACCINES: readonly Vaccine[] = [];

/** The page for a path; a page keyed by its id starts afresh when the id changes. */
function Routes() {
  const { pathname } = useLocation();
  if (pathname === '/') return <StartPage />;
  if (pathname === CALLBACK_PATH) return <LoginCallbackPage />;
  if (pathname === LOGIN_PATH) return <LoginPage />;
  if (pathname === '/search') return <SearchPage />;
  if (pathname === '/visits') return <VisitsPage />;
  if (pathname === '/access-log') return <AccessLogPage />;
  // The waiting page
  if (pathname === QUEUE_PATH) return <QueuePage />;
  // The standby list
  if (pathname === STANDBY_PATH) return <StandbyPage />;
  const booking = matchPath('/bookings/:reference', pathname);
  if (booking?.reference) return <BookingPage key={booking.reference} reference={booking.reference} />;
  const book = matchPath('/book/:slotId', pathname);
  if (book?.slotId) return <BookPage key={book.slotId} slotId={book.slotId} />;
  const move = matchPath('/visits/:appointmentId/reschedule', pathname);
  if (move?.appointmentId) return <ReschedulePage key={move.appointmentId} appointmentId={move.appointmentId} />;
  return <NotFoundPage />;
}

function Layout() {
  useFocusOnNavigation();
  return (
    <>
      <SiteHeader />
      <main id="main" tabIndex={-1}>
        <Routes />
      </main>
      <SiteFooter />
    </>
  );
}

/** The patients' app: language, services and the page for the current path. */
export function App({ services }: { services: Services }) {
  const i18n = useChosenLanguage(services.localStorage, i18nFor);
  // Reached by Back within this document (the page a login began on): on to the page asked for.
  useEffect(() => services.router.subscribe(() => resumeAfterLogin(services.tabStorage, services.router)), [services]);
  const catalogue = useLoad('vaccines', () => services.api.vaccines().then((answer) => answer.vaccines));
  const vaccines = catalogue.status === 'ready' ? catalogue.data : NO_VACCINES;
  const catalogueSettled = catalogue.status === 'ready' || catalogue.status === 'failed';
  const app = useMemo<AppContextValue>(
    () => ({ ...services, vaccines, catalogueSettled }),
    [services, vaccines, catalogueSettled],
  );

  return (
    <RouterContext.Provider value={services.router}>
      <AppContext.Provider value={app}>
        <I18nContext.Provider value={i18n}>
          <Layout />
        </I18nContext.Provider>
      </AppContext.Provider>
    </RouterContext.Provider>
  );
}
