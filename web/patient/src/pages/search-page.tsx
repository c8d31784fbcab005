import { useEffect, useMemo, useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { Announcements } from '../components/announcements.tsx';
import { EligibilityBanner } from '../components/eligibility-banner.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { SearchForm } from '../components/search-form.tsx';
import { SearchResults, SlotLabel } from '../components/search-results.tsx';
import { SearchSummary } from '../components/search-summary.tsx';
import { useI18n } from '../i18n/index.ts';
import { localDateOf } from '../lib/local-date.ts';
import { rememberSlot } from '../lib/offers.ts';
import { atPage, hasPlace, pageOf, readSearchParams, searchQueryString } from '../lib/search-params.ts';
import { useEligibility } from '../lib/use-eligibility.ts';
// The waiting page
import { useOpeningQueue, useQueueRedirect } from '../lib/use-waiting-room.ts';

export const LAST_SEARCH_KEY = 'ereg.patient.lastSearch';

/** Centres listed per page of results: on a 360 px phone, five centres are about four screens. */
export const CENTRES_PER_PAGE = 5;

const FORM_ID = 'search-form';

/** Moves focus, and the view, to an element (a heading of the results, an error). */
function bringToView(element: HTMLElement | null): void {
  element?.focus({ preventScroll: true });
  element?.scrollIntoView?.({ block: 'start' });
}

/**
 * Eligibility, the search form and the soonest free slots near the place asked for. Once a search is
 * made (it is in the address), the form folds into a line saying what was asked, focus and the view
 * move to the results, and the centres come a page at a time (the page in the address too, so that
 * Back from a booking returns to the centres shown).
 */
export function SearchPage() {
  const { api, tabStorage, now } = useApp();
  const router = useRouter();
  const location = useLocation();
  const { t } = useI18n();
  const query = location.search.toString();
  const params = useMemo(() => readSearchParams(new URLSearchParams(query)), [query]);
  const page = pageOf(new URLSearchParams(query));
  const key = hasPlace(params) ? searchQueryString(params) : null;
  const search = useLoad(key, () => api.search({ ...params, limit: 10, slotsPerCentre: 3 }));
  const eligibility = useEligibility();
  // The waiting page
  useOpeningQueue(eligibility);
  useQueueRedirect(search.status === 'failed' ? search.error : null);
  const today = localDateOf(now());
  const here = `/search${key ? atPage(key, page) : ''}`;

  // The form is folded whenever there are results to look at; "change search" unfolds it for this search.
  const [unfoldedFor, setUnfoldedFor] = useState<string | null>(null);
  const folded = key !== null && unfoldedFor !== key && search.status !== 'failed';

  // Focus goes to the results of each search made on the page (the one it opened with is the browser's).
  const resultsTitle = useRef<HTMLHeadingElement>(null);
  const failure = useRef<HTMLDivElement>(null);
  const openedWith = useRef<string | null>(key);
  const awaited = useRef<string | null>(null);
  useEffect(() => {
    if (key !== openedWith.current) openedWith.current = null;
    if (key === null || openedWith.current !== null) return;
    if (search.status === 'loading') awaited.current = key;
    else if (awaited.current === key && (search.status === 'ready' || search.status === 'failed')) {
      awaited.current = null;
      bringToView(search.status === 'ready' ? resultsTitle.current : failure.current);
    }
  }, [key, search.status]);

  return (
    <Page title={t('search.title')}>
      <Announcements />
      <EligibilityBanner state={eligibility} returnTo={here} />
      {key !== null && search.status !== 'failed' ? (
        <SearchSummary
          params={params}
          expanded={!folded}
          formId={FORM_ID}
          onToggle={() => setUnfoldedFor(folded ? key : null)}
        />
      ) : null}
      {folded ? null : (
        <SearchForm
          id={FORM_ID}
          initial={params}
          today={today}
          onSearch={(next) => {
            const target = searchQueryString(next);
            tabStorage.setItem(LAST_SEARCH_KEY, target);
            setUnfoldedFor(null);
            if (target === key) {
              // The same search again: fresh answers in place of those shown, from the first page.
              if (page > 1) router.navigate(`/search${target}`);
              search.reload();
              requestAnimationFrame(() => bringToView(resultsTitle.current));
            } else router.navigate(`/search${target}`);
          }}
        />
      )}
      <Status>
        {search.status === 'loading' ? t('results.loading') : null}
        {search.status === 'ready' ? t.plural('results.count', search.data.results.length) : null}
      </Status>
      {search.status === 'failed' ? <ErrorMessage error={search.error} ref={failure} /> : null}
      {search.status === 'ready' ? (
        <SearchResults
          result={search.data}
          params={params}
          basePath="/search"
          headingRef={resultsTitle}
          shown={page * CENTRES_PER_PAGE}
          // More centres replace the page in the address: Back leaves the search, not a page of it.
          onShowMore={() => router.navigate(`/search${atPage(key ?? '', page + 1)}`, { replace: true })}
          slotAction={(slot, offer) => (
            <Link
              href={`/book/${encodeURIComponent(slot.slotId)}`}
              className="slot"
              onClick={() => {
                tabStorage.setItem(LAST_SEARCH_KEY, key ? atPage(key, page) : '');
                rememberSlot(tabStorage, { ...slot, centre: offer.centre });
              }}
            >
              <SlotLabel slot={slot} centre={offer.centre} />
              <span className="visually-hidden">, {offer.centre.name}</span>
            </Link>
          )}
        />
      ) : null}
    </Page>
  );
}
