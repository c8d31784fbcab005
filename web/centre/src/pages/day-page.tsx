import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useDesk } from '../app-context.ts';
import { DayCountersView } from '../components/day-counters.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Page } from '../components/page.tsx';
import type { VisitChange } from '../components/record-form.tsx';
import { ReferenceCheckIn } from '../components/reference-check-in.tsx';
import { VisitRow } from '../components/visit-row.tsx';
import { useI18n } from '../i18n/index.ts';
import { byTime, countDay, filterVisits, isLocalDate, shiftDate, todayIn, type Visit } from '../lib/day.ts';
import { BASE } from '../lib/sign-in.ts';
import { useRefresh } from '../lib/use-refresh.ts';
import { clockIn } from '../lib/zoned-time.ts';

const dayHref = (date: string, today: string) => (date === today ? `${BASE}/` : `${BASE}/day?date=${date}`);

/**
 * The centre's day (`/centre/` today in the centre's zone, `/centre/day?date=` another): counters, check-in
 * by booking reference, and the visits by time with a quick search. The list is asked for again every
 * 30 s and whenever the page is looked at again, keeping the place in it and any open visit.
 */
export function DayPage() {
  const { api, now, document: doc, window: win } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const router = useRouter();
  const { search } = useLocation();
  const id = useId();
  const today = todayIn(centre.timeZone, now());
  const asked = search.get('date');
  const date = isLocalDate(asked) ? asked : today;
  const key = `${centre.id}/${date}`;
  const day = useLoad(key, () => api.call('day', { params: { centreId: centre.id }, query: { date } }));
  const [shown, setShown] = useState<{ key: string; visits: Visit[]; at: Date } | null>(null);
  const [changes, setChanges] = useState<Record<string, VisitChange>>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const [query, setQuery] = useState('');

  // A fresh answer replaces what was shown and the changes made meanwhile (it holds them now).
  const answer = day.status === 'ready' ? day.data : null;
  useEffect(() => {
    if (!answer) return;
    setShown({ key, visits: [...answer.appointments].sort(byTime), at: now() });
    setChanges({});
  }, [answer, key, now]);

  const reload = day.reload;
  const refresh = useCallback(() => reload(), [reload]);
  useRefresh(refresh, doc, win);

  const current = shown?.key === key ? shown : null;
  const visits = useMemo(
    () => (current?.visits ?? []).map((v) => (changes[v.appointmentId] ? { ...v, ...changes[v.appointmentId] } : v)),
    [current, changes],
  );
  const listed = useMemo(() => filterVisits(visits, query), [visits, query]);
  const counters = useMemo(() => countDay(visits), [visits]);
  const change = useCallback(
    (update: VisitChange) => {
      setChanges((all) => ({ ...all, [update.appointmentId]: update }));
      reload();
    },
    [reload],
  );

  const title = date === today ? t('day.title.today') : t('day.title.date', { date: fmt.date(date) });
  const failedNow = day.status === 'failed';

  return (
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

      {current ? <DayCountersView counters={counters} /> : null}

      <div className="day-layout">
        {date === today ? <ReferenceCheckIn today={today} onChanged={change} scanner={null} /> : null}

        <section aria-labelledby={`${id}-list`} className="day-list">
          <div className="day-list-head">
            <h2 id={`${id}-list`}>{t('day.list')}</h2>
            {current ? (
              <p className="updated">
                {t('day.updated', { time: clockIn(current.at, centre.timeZone) })}{' '}
                <button type="button" className="link-button" onClick={refresh}>
                  {t('day.refresh')}
                </button>
              </p>
            ) : null}
          </div>
          {failedNow && current ? (
            <p className="note">{t('day.refreshFailed', { time: clockIn(current.at, centre.timeZone) })}</p>
          ) : null}
          {!current && day.status === 'loading' ? <Status>{t('loading')}</Status> : null}
          {!current && failedNow ? (
            <>
              <ErrorMessage error={day.error} />
              <button type="button" className="button button-secondary" onClick={refresh}>
                {t('retry')}
              </button>
            </>
          ) : null}
          {current && visits.length === 0 ? <p className="empty">{t('day.empty')}</p> : null}
          {current && visits.length > 0 ? (
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
                    onChanged={change}
                  />
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
    </Page>
  );
}
