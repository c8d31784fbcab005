import { useCallback, useId, useMemo, useState } from 'react';
import { ApiError, NETWORK_ERROR } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { DayCountersView } from '../components/day-counters.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { OutboxPanel } from '../components/outbox-panel.tsx';
import { Page } from '../components/page.tsx';
import { ReferenceCheckIn } from '../components/reference-check-in.tsx';
import { VisitRow } from '../components/visit-row.tsx';
import { WalkInForm } from '../components/walk-in-form.tsx';
// The standby list
import { WouldBeWastedForm } from '../components/would-be-wasted-form.tsx';
import { useI18n } from '../i18n/index.ts';
import { byTime, countDay, filterVisits, isLocalDate, shiftDate, todayIn, type Visit } from '../lib/day.ts';
import { DeskSyncContext, useDeskSyncState } from '../lib/desk-sync.ts';
import { BASE } from '../lib/sign-in.ts';
import { useDayList } from '../lib/use-day-list.ts';
import { useRefresh } from '../lib/use-refresh.ts';
import { clockIn } from '../lib/zoned-time.ts';

const dayHref = (date: string, today: string) => (date === today ? `${BASE}/` : `${BASE}/day?date=${date}`);

const isNetworkFailure = (error: unknown) => error instanceof ApiError && error.code === NETWORK_ERROR;

/**
 * The centre's day (`/centre/` today in the centre's zone, `/centre/day?date=` another): counters, check-in
 * by booking reference or QR code, walk-ins, and the visits by time with a quick search. The list is
 * asked for again every 30 s (only what changed) and whenever the page is looked at again, keeping the
 * place in it and any open visit. The list and the batches are kept on the device and shown when the
 * network is down; changes made then wait on the device and go when it is back.
 */
export function DayPage() {
  const { api, now, document: doc, window: win, localStorage } = useApp();
  const { centre, staffId } = useDesk();
  const { t, fmt } = useI18n();
  const router = useRouter();
  const { search } = useLocation();
  const id = useId();
  const today = todayIn(centre.timeZone, now());
  const asked = search.get('date');
  const date = isLocalDate(asked) ? asked : today;
  const day = useDayList(api, localStorage, centre.id, date, now);
  const sync = useDeskSyncState({
    api,
    storage: localStorage,
    win,
    centreId: centre.id,
    staffId,
    now,
    serverOffsetMs: day.serverOffsetMs,
    onSent: day.refresh,
  });
  const [openId, setOpenId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [walkIn, setWalkIn] = useState(false);
  const [wasted, setWasted] = useState(false);
  // Visits booked here as walk-ins, shown until the list's next answer holds them.
  const [booked, setBooked] = useState<Visit[]>([]);

  const refresh = day.refresh;
  useRefresh(refresh, doc, win);

  const held = day.held;
  const visits = useMemo(() => {
    if (!held) return [];
    const listed = new Set(held.visits.map((v) => v.appointmentId));
    const all = [
      ...held.visits,
      ...booked.filter((v) => !listed.has(v.appointmentId) && v.localStart.startsWith(date)),
    ];
    return all.sort(byTime).map(sync.view);
  }, [held, booked, date, sync.view]);
  const listed = useMemo(() => filterVisits(visits, query), [visits, query]);
  const counters = useMemo(() => countDay(visits), [visits]);
  const addBooked = useCallback((visit: Visit) => setBooked((all) => [...all, visit]), []);

  const title = date === today ? t('day.title.today') : t('day.title.date', { date: fmt.date(date) });
  const failedNow = day.status === 'failed';
  const offline = held !== null && (!sync.online || (failedNow && isNetworkFailure(day.error)));
  const heldAt = held ? clockIn(new Date(held.asOf), centre.timeZone) : '';

  return (
    <DeskSyncContext.Provider value={sync}>
      <Page title={title}>
        <nav className="day-nav" aria-label={t('day.date.label')}>
          <Link className="button button-secondary day-step" href={dayHref(shiftDate(date, -1), today)}>
            <span aria-hidden="true">‹</span> <span className="visually-hidden">{t('day.date.previous')}</span>
          </Link>
          <Field id={`${id}-date`} label={<span className="visually-hidden">{t('day.date.label')}</span>}>
            {(control) => (
              <input
                {...control}
                type="date"
                value={date}
                onChange={(event) => {
                  if (isLocalDate(event.target.value)) router.navigate(dayHref(event.target.value, today));
                }}
              />
            )}
          </Field>
          <Link className="button button-secondary day-step" href={dayHref(shiftDate(date, 1), today)}>
            <span className="visually-hidden">{t('day.date.next')}</span> <span aria-hidden="true">›</span>
          </Link>
          {date !== today ? (
            <Link className="button button-secondary" href={`${BASE}/`}>
              {t('day.date.today')}
            </Link>
          ) : null}
        </nav>

        {offline ? (
          <p className="notice notice-offline" role="status">
            {t('day.offline', { time: heldAt })}
          </p>
        ) : null}
        <OutboxPanel />

        {held ? <DayCountersView counters={counters} /> : null}

        <div className="day-layout">
          {date === today ? (
            <div className="desk-side">
              {walkIn ? (
                <WalkInForm slots={held?.slots ?? []} onBooked={addBooked} onClose={() => setWalkIn(false)} />
              ) : wasted ? (
                <WouldBeWastedForm slots={held?.slots ?? []} onClose={() => setWasted(false)} />
              ) : (
                <>
                  <ReferenceCheckIn today={today} />
                  <button
                    type="button"
                    className="button button-secondary button-wide walk-in-open"
                    onClick={() => setWalkIn(true)}
                  >
                    {t('walkIn.open')}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-wide walk-in-open"
                    onClick={() => setWasted(true)}
                  >
                    {t('wasted.open')}
                  </button>
                </>
              )}
            </div>
          ) : null}

          <section aria-labelledby={`${id}-list`} className="day-list">
            <div className="day-list-head">
              <h2 id={`${id}-list`}>{t('day.list')}</h2>
              {held ? (
                <p className="updated">
                  {t('day.updated', { time: heldAt })}{' '}
                  <button type="button" className="link-button" onClick={refresh}>
                    {t('day.refresh')}
                  </button>
                </p>
              ) : null}
            </div>
            {failedNow && held && !offline ? <p className="note">{t('day.refreshFailed', { time: heldAt })}</p> : null}
            {!held && day.status === 'loading' ? <Status>{t('loading')}</Status> : null}
            {!held && failedNow ? (
              <>
                <ErrorMessage error={day.error} />
                <button type="button" className="button button-secondary" onClick={refresh}>
                  {t('retry')}
                </button>
              </>
            ) : null}
            {held && visits.length === 0 ? <p className="empty">{t('day.empty')}</p> : null}
            {held && visits.length > 0 ? (
              <>
                <Field id={`${id}-filter`} label={t('day.filter.label')} hint={t('day.filter.hint')}>
                  {(control) => (
                    <input
                      {...control}
                      type="search"
                      value={query}
                      onChange={(event) => setQuery(event.target.value)}
                      autoComplete="off"
                      spellCheck={false}
                    />
                  )}
                </Field>
                <Status>
                  {query.trim()
                    ? listed.length === 0
                      ? t('day.filter.none', { query: query.trim() })
                      : t.plural('day.filter.count', listed.length)
                    : null}
                </Status>
                <ul className="visits">
                  {listed.map((visit) => (
                    <VisitRow
                      key={visit.appointmentId}
                      visit={visit}
                      open={openId === visit.appointmentId}
                      onToggle={() => setOpenId((open) => (open === visit.appointmentId ? null : visit.appointmentId))}
                    />
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </div>
      </Page>
    </DeskSyncContext.Provider>
  );
}
