import type { CentreOffer, SearchResult, SlotOffer } from '@ereg/shared';
import { type ReactNode, type Ref, useEffect, useRef } from 'react';
import { Link } from '../../../shared/src/router.tsx';
import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { addDays, type SearchParams, searchQueryString, widerRadius } from '../lib/search-params.ts';

/** How a slot is shown: when, which vaccine, how many places are left. */
export function SlotLabel({
  slot,
  centre,
}: {
  slot: Pick<SlotOffer, 'start' | 'vaccineId' | 'free'>;
  centre: CentreOffer['centre'];
}) {
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  return (
    <>
      <span className="slot-day">{fmt.shortDay(slot.start, centre.timeZone)}</span>{' '}
      <span className="slot-time">{fmt.time(slot.start, centre.timeZone)}</span>
      <span className="slot-meta">
        {' · '}
        {vaccineName(vaccines, slot.vaccineId)}
        {' · '}
        {t.plural('results.free', slot.free)}
      </span>
    </>
  );
}

export const addressLine = (address: CentreOffer['centre']['address']) =>
  `${address.street}, ${address.postalCode} ${address.city}`;

/**
 * The centres with free slots, soonest first: name, distance, address and their earliest slots, each
 * with the action the page offers (book it, or move a visit to it). Nothing found says what to try next.
 * Given `shown`, only that many centres are listed, with a button for more; focus then moves to the
 * first centre added, so that a screen reader or a keyboard goes on from there.
 */
export function SearchResults(props: {
  result: SearchResult;
  params: SearchParams;
  /** The page the suggestions link to (with another query). */
  basePath: string;
  slotAction: (slot: SlotOffer, offer: CentreOffer) => ReactNode;
  /** The heading of the results (found or not), which a page may move focus to. */
  headingRef?: Ref<HTMLHeadingElement>;
  /** How many centres to list (all when absent). */
  shown?: number;
  onShowMore?: () => void;
}) {
  const { result, params, basePath, slotAction, headingRef, onShowMore } = props;
  const { t, fmt } = useI18n();
  const total = result.results.length;
  const shown = Math.min(props.shown ?? total, total);
  // The first centre that "show more" adds: focus goes to it once it is listed.
  const firstAdded = useRef<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const index = firstAdded.current;
    if (index === null || shown <= index) return;
    firstAdded.current = null;
    const added = list.current?.children[index]?.querySelector<HTMLElement>('h3');
    added?.focus({ preventScroll: true });
    // At the top of the screen: what follows is what was added.
    added?.scrollIntoView?.({ block: 'start' });
  }, [shown]);
  const place = result.origin.postalCode
    ? t('results.nearPostal', { postalCode: result.origin.postalCode })
    : t('results.nearLocation');
  const period = t('results.period', { from: fmt.date(result.from), to: fmt.date(result.to) });

  if (result.results.length === 0) {
    const wider = widerRadius(params.radiusKm);
    const later = addDays(result.to, 1);
    return (
      <section className="results results-empty" aria-labelledby="results-title">
        <h2 id="results-title" ref={headingRef} tabIndex={-1}>
          {t('results.none.title')}
        </h2>
        <p>{t('results.none.text', { place, period })}</p>
        <p>{t('results.none.try')}</p>
        <ul className="suggestions">
          {wider ? (
            <li>
              <Link href={`${basePath}${searchQueryString({ ...params, radiusKm: wider })}`}>
                {t('results.none.wider', { km: wider })}
              </Link>
            </li>
          ) : null}
          <li>
            <Link href={`${basePath}${searchQueryString({ ...params, from: later, to: undefined })}`}>
              {t('results.none.later', { date: fmt.date(later) })}
            </Link>
          </li>
          {params.vaccineId && basePath === '/search' ? (
            <li>
              <Link href={`${basePath}${searchQueryString({ ...params, vaccineId: undefined })}`}>
                {t('results.none.anyVaccine')}
              </Link>
            </li>
          ) : null}
          <li>
            {t('results.none.hotline')} <a href="tel:989">989</a>
          </li>
        </ul>
      </section>
    );
  }

  return (
    <section className="results" aria-labelledby="results-title">
      <h2 id="results-title" ref={headingRef} tabIndex={-1}>
        {t('results.title')}
      </h2>
      <p>
        {place}, {period}
      </p>
      <ol className="centres" ref={list}>
        {result.results.slice(0, shown).map((offer) => (
          <li key={offer.centre.id} className="centre">
            <h3 id={`centre-${offer.centre.id}`} tabIndex={-1}>
              {offer.centre.name}
            </h3>
            <p className="centre-distance">
              {/* A postal code stands for its whole town, so tenths of a kilometre would claim too much. */}
              {offer.distanceKm < 1
                ? t('results.distance.underOne')
                : t('results.distance', { distance: fmt.km(offer.distanceKm) })}
            </p>
            <p className="centre-address">{addressLine(offer.centre.address)}</p>
            {offer.centre.phone ? (
              <p className="centre-phone">
                {t('results.phone')} <a href={`tel:${offer.centre.phone.replace(/\s/g, '')}`}>{offer.centre.phone}</a>
              </p>
            ) : null}
            <p className="slots-title" id={`slots-${offer.centre.id}`}>
              {t('results.soonest')}
            </p>
            <ul className="slots" aria-labelledby={`slots-${offer.centre.id}`}>
              {offer.slots.map((slot) => (
                <li key={slot.slotId}>{slotAction(slot, offer)}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {shown < total ? (
        <div className="results-more">
          <p>{t.plural('results.shown', total, { shown })}</p>
          {onShowMore ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                firstAdded.current = shown;
                onShowMore();
              }}
            >
              {t('results.more')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
