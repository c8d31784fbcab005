import type { AppointmentView, CentreOffer, SlotOffer } from '@ereg/shared';
import { useMemo, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { focusPageTitle, Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginRequired } from '../components/login-required.tsx';
import { SearchForm } from '../components/search-form.tsx';
import { SearchResults, SlotLabel } from '../components/search-results.tsx';
import { VisitDetails } from '../components/visit-details.tsx';
import { VisitsSummary } from '../components/visits-summary.tsx';
import { useI18n } from '../i18n/index.ts';
import { doseWindow } from '../lib/dose-window.ts';
import { localDateOf } from '../lib/local-date.ts';
import { hasPlace, readSearchParams, type SearchParams, searchQueryString } from '../lib/search-params.ts';

/** Failures after which the chosen slot is gone, so the person picks again from fresh results. */
const GONE = ['SLOT_FULL', 'SLOT_BUSY', 'SLOT_NOT_FOUND', 'SLOT_IN_PAST'];

type Choice = { slot: SlotOffer; offer: CentreOffer };

/** Moves one visit: slots near its centre (same vaccine, within the dose's interval), pick one, confirm. */
export function ReschedulePage({ appointmentId }: { appointmentId: string }) {
  const { api } = useApp();
  const session = useSession();
  const patientId = session?.patientId ?? null;
  const { t } = useI18n();
  const visits = useLoad(patientId ? `visits:${patientId}` : null, () =>
    api.listAppointments(patientId as string).then((answer) => answer.appointments),
  );
  const [moved, setMoved] = useState<AppointmentView[] | null>(null);

  if (!session) {
    return (
      <Page title={t('reschedule.title')}>
        <LoginRequired />
      </Page>
    );
  }
  if (moved) {
    return (
      <Page title={t('reschedule.done.title')}>
        <VisitsSummary visits={moved} />
      </Page>
    );
  }
  if (visits.status !== 'ready') {
    return (
      <Page title={t('reschedule.title')}>
        <Status>{visits.status === 'loading' ? t('visits.loading') : null}</Status>
        {visits.status === 'failed' ? <ErrorMessage error={visits.error} /> : null}
      </Page>
    );
  }
  const visit = visits.data.find((v) => v.id === appointmentId);
  if (visit?.status !== 'booked') {
    return (
      <Page title={t('reschedule.title')}>
        <p>{visit ? t('reschedule.notChangeable') : t('reschedule.notFound')}</p>
        <p>
          <Link href="/visits">{t('book.done.visits')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <MoveVisit
      visit={visit}
      visits={visits.data}
      onMoved={(result) => {
        setMoved(result);
        requestAnimationFrame(focusPageTitle);
      }}
    />
  );
}

function MoveVisit(props: {
  visit: AppointmentView;
  visits: readonly AppointmentView[];
  onMoved: (moved: AppointmentView[]) => void;
}) {
  const { visit, visits, onMoved } = props;
  const { api, vaccines, catalogueSettled, now } = useApp();
  const router = useRouter();
  const location = useLocation();
  const { t, fmt } = useI18n();
  const today = localDateOf(now());
  const query = location.search.toString();
  const basePath = location.pathname;
  const params = useMemo<SearchParams>(() => {
    const asked = readSearchParams(new URLSearchParams(query));
    const window = doseWindow(visit, visits, vaccines, today);
    const place = hasPlace(asked) ? asked : { ...window, postalCode: visit.centre.address.postalCode, ...asked };
    return { ...place, vaccineId: visit.vaccineId };
  }, [query, visit, visits, vaccines, today]);
  // A later dose's window needs the catalogue's intervals: its search waits for them.
  const key = visit.dose > 1 && !catalogueSettled ? null : searchQueryString(params);
  const search = useLoad(key, () => api.search({ ...params, limit: 10, slotsPerCentre: 3 }));
  const [choice, setChoice] = useState<Choice | null>(null);
  const [moving, setMoving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirmTitle = useRef<HTMLHeadingElement>(null);
  const later = visits.find((v) => v.status === 'booked' && v.dose === visit.dose + 1);

  const choose = (next: Choice) => {
    setChoice(next);
    setError(null);
    requestAnimationFrame(() => confirmTitle.current?.focus());
  };

  const move = () => {
    if (!choice || moving) return;
    setMoving(true);
    setError(null);
    api.reschedule(visit.id, { slotId: choice.slot.slotId }).then(
      (answer) => onMoved(answer.appointments),
      (failure: unknown) => {
        setMoving(false);
        setError(failure);
        if (failure instanceof ApiError && GONE.includes(failure.code)) {
          setChoice(null);
          search.reload();
        }
      },
    );
  };

  const interval =
    error instanceof ApiError && error.code === 'OUTSIDE_DOSE_INTERVAL' && typeof error.details?.earliest === 'string'
      ? {
          from: localDateOf(error.details.earliest as string),
          ...(typeof error.details.latest === 'string' ? { to: localDateOf(error.details.latest) } : {}),
        }
      : null;

  const results =
    search.status === 'ready'
      ? {
          ...search.data,
          results: search.data.results
            .map((offer) => ({ ...offer, slots: offer.slots.filter((slot) => slot.slotId !== visit.slotId) }))
            .filter((offer) => offer.slots.length > 0),
        }
      : null;

  return (
    <Page title={t('reschedule.title')}>
      <section aria-labelledby="current-title">
        <h2 id="current-title">{t('reschedule.current', { dose: visit.dose })}</h2>
        <VisitDetails visit={visit} />
      </section>

      <h2>{t('reschedule.search.title')}</h2>
      <SearchForm
        initial={params}
        today={today}
        fixedVaccineId={visit.vaccineId}
        onSearch={(next) => router.navigate(`${basePath}${searchQueryString({ ...next, to: params.to })}`)}
      />

      {error && !choice ? (
        <>
          <ErrorMessage error={error} />
          {interval ? (
            <p>
              <Link href={`${basePath}${searchQueryString({ ...params, ...interval })}`}>
                {t('reschedule.searchInterval')}
              </Link>
            </p>
          ) : null}
        </>
      ) : null}

      {choice ? (
        <section className="confirm" aria-labelledby="confirm-title">
          <h2 id="confirm-title" ref={confirmTitle} tabIndex={-1}>
            {t('reschedule.confirm.title')}
          </h2>
          <p>
            {t('reschedule.confirm.text', {
              dose: visit.dose,
              from: fmt.dateTime(visit.start, visit.centre.timeZone),
              to: fmt.dateTime(choice.slot.start, choice.offer.centre.timeZone),
              centre: choice.offer.centre.name,
            })}
          </p>
          {later ? <p>{t('reschedule.confirm.later', { dose: later.dose })}</p> : null}
          <div className="actions">
            <button type="button" className="button button-primary" aria-disabled={moving} onClick={move}>
              {t('reschedule.confirm.button')}
            </button>
            <button type="button" className="button" onClick={() => setChoice(null)}>
              {t('reschedule.confirm.another')}
            </button>
          </div>
          <Status>{moving ? t('reschedule.busy') : null}</Status>
          {error ? <ErrorMessage error={error} /> : null}
        </section>
      ) : null}

      <Status>
        {search.status === 'loading' ? t('results.loading') : null}
        {results ? t.plural('results.count', results.results.length) : null}
      </Status>
      {search.status === 'failed' ? <ErrorMessage error={search.error} /> : null}
      {results ? (
        <SearchResults
          result={results}
          params={params}
          basePath={basePath}
          slotAction={(slot, offer) => (
            <button
              type="button"
              className="slot"
              aria-pressed={choice?.slot.slotId === slot.slotId}
              onClick={() => choose({ slot, offer })}
            >
              <span className="slot-action">{t('reschedule.choose')} </span>
              <SlotLabel slot={slot} centre={offer.centre} />
              <span className="visually-hidden">, {offer.centre.name}</span>
            </button>
          )}
        />
      ) : null}
    </Page>
  );
}
