import { useMemo } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { EligibilityBanner } from '../components/eligibility-banner.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Page } from '../components/page.tsx';
import { SearchForm } from '../components/search-form.tsx';
import { SearchResults, SlotLabel } from '../components/search-results.tsx';
import { useI18n } from '../i18n/index.ts';
import { localDateOf } from '../lib/local-date.ts';
import { rememberSlot } from '../lib/offers.ts';
import { hasPlace, readSearchParams, searchQueryString } from '../lib/search-params.ts';
import { useEligibility } from '../lib/use-eligibility.ts';

export const LAST_SEARCH_KEY = 'ereg.patient.lastSearch';

/** Eligibility, the search form and the soonest free slots near the place asked for. */
export function SearchPage() {
  const { api, tabStorage, now } = useApp();
  const router = useRouter();
  const location = useLocation();
  const { t } = useI18n();
  const query = location.search.toString();
  const params = useMemo(() => readSearchParams(new URLSearchParams(query)), [query]);
  const key = hasPlace(params) ? searchQueryString(params) : null;
  const search = useLoad(key, () => api.search({ ...params, limit: 10, slotsPerCentre: 3 }));
  const eligibility = useEligibility();
  const today = localDateOf(now());

  return (
    <Page title={t('search.title')}>
      <EligibilityBanner state={eligibility} returnTo={`/search${key ?? ''}`} />
      <SearchForm
        initial={params}
        today={today}
        onSearch={(next) => {
          const target = searchQueryString(next);
          tabStorage.setItem(LAST_SEARCH_KEY, target);
          router.navigate(`/search${target}`);
        }}
      />
      <Status>
        {search.status === 'loading' ? t('results.loading') : null}
        {search.status === 'ready' ? t.plural('results.count', search.data.results.length) : null}
      </Status>
      {search.status === 'failed' ? <ErrorMessage error={search.error} /> : null}
      {search.status === 'ready' ? (
        <SearchResults
          result={search.data}
          params={params}
          basePath="/search"
          slotAction={(slot, offer) => (
            <Link
              href={`/book/${encodeURIComponent(slot.slotId)}`}
              className="slot"
              onClick={() => {
                tabStorage.setItem(LAST_SEARCH_KEY, key ?? '');
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
