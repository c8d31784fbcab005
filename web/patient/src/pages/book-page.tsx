import type { BookingResult } from '@ereg/shared';
import { useRef, useState } from 'react';
import { type AlternativeSlot, ApiError, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useApp, useSession, vaccineName } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginButton } from '../components/login-button.tsx';
import { focusPageTitle, Page } from '../components/page.tsx';
import { addressLine, SlotLabel } from '../components/search-results.tsx';
import { VisitsSummary } from '../components/visits-summary.tsx';
import { useI18n } from '../i18n/index.ts';
import { type ChosenSlot, recallSlot, rememberSlot } from '../lib/offers.ts';
import { LAST_SEARCH_KEY } from './search-page.tsx';

const TAKEN = ['SLOT_FULL', 'SLOT_BUSY'];

type Attempt =
  | { status: 'idle' }
  | { status: 'booking' }
  | { status: 'failed'; error: unknown }
  | { status: 'booked'; result: BookingResult };

/**
 * Confirms a picked slot. The API books the course's next dose with it; a slot taken meanwhile is
 * answered with the centre's next free slots, offered here to book instead.
 */
export function BookPage({ slotId }: { slotId: string }) {
  const { api, tabStorage, vaccines } = useApp();
  const loggedIn = useSession() !== null;
  const { t, fmt } = useI18n();
  const [slot, setSlot] = useState<ChosenSlot | null>(() => recallSlot(tabStorage, slotId));
  const [attempt, setAttempt] = useState<Attempt>({ status: 'idle' });
  // One key per slot confirmed: a double click or a retry after a lost answer books once.
  const keys = useRef(new Map<string, string>());
  const alternativesTitle = useRef<HTMLHeadingElement>(null);
  // Guards against a second press before React has re-rendered the first one's state.
  const inFlight = useRef(false);
  const lastSearch = tabStorage.getItem(LAST_SEARCH_KEY) ?? '';

  const book = (target: string) => {
    if (inFlight.current) return;
    inFlight.current = true;
    let key = keys.current.get(target);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(target, key);
    }
    setAttempt({ status: 'booking' });
    api.book({ slotId: target }, key).then(
      (result) => {
        inFlight.current = false;
        setAttempt({ status: 'booked', result });
        requestAnimationFrame(focusPageTitle);
      },
      (error: unknown) => {
        inFlight.current = false;
        setAttempt({ status: 'failed', error });
        if (error instanceof ApiError && TAKEN.includes(error.code)) {
          requestAnimationFrame(() => alternativesTitle.current?.focus());
        }
      },
    );
  };

  const bookInstead = (alternative: AlternativeSlot) => {
    if (slot) {
      const chosen = { ...slot, slotId: alternative.slotId, start: alternative.start, free: alternative.free };
      rememberSlot(tabStorage, chosen);
      setSlot(chosen);
    }
    book(alternative.slotId);
  };

  if (attempt.status === 'booked') {
    const visits = attempt.result.appointments;
    return (
      <Page title={t.plural('book.done.title', visits.length)}>
        <p>{t('book.done.text')}</p>
        <VisitsSummary visits={visits} />
      </Page>
    );
  }

  const failure = attempt.status === 'failed' ? attempt.error : null;
  const taken = failure instanceof ApiError && TAKEN.includes(failure.code) ? failure : null;
  const vaccine = slot ? vaccines.find((v) => v.id === slot.vaccineId) : undefined;
  const timeZone = slot?.centre.timeZone ?? 'Europe/Warsaw';

  return (
    <Page title={t('book.title')}>
      {slot ? (
        <dl className="details">
          <div>
            <dt>{t('visit.when')}</dt>
            <dd>{fmt.dateTime(slot.start, timeZone)}</dd>
          </div>
          <div>
            <dt>{t('visit.where')}</dt>
            <dd>
              {slot.centre.name}
              <br />
              {addressLine(slot.centre.address)}
            </dd>
          </div>
          <div>
            <dt>{t('visit.vaccine')}</dt>
            <dd>{vaccineName(vaccines, slot.vaccineId)}</dd>
          </div>
        </dl>
      ) : (
        <p>{t('book.unknownSlot')}</p>
      )}
      {vaccine && vaccine.doses > 1 ? <p>{t('book.nextDose', { vaccine: vaccine.name })}</p> : null}

      {loggedIn ? (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={attempt.status === 'booking'}
            onClick={() => book(slot?.slotId ?? slotId)}
          >
            {t('book.confirm')}
          </button>
          <Link href={`/search${lastSearch}`}>{t('book.back')}</Link>
        </div>
      ) : (
        <section className="banner banner-info" aria-labelledby="login-title">
          <h2 id="login-title">{t('book.login.title')}</h2>
          <p>{t('book.login.text')}</p>
          <LoginButton returnTo={`/book/${encodeURIComponent(slotId)}`} />
        </section>
      )}

      <Status>{attempt.status === 'booking' ? t('book.busy') : null}</Status>
      {failure ? <ErrorMessage error={failure} /> : null}
      {failure instanceof ApiError && failure.code === 'ALREADY_BOOKED' ? (
        <p>
          <Link href="/visits">{t('book.done.visits')}</Link>
        </p>
      ) : null}

      {taken ? (
        <section aria-labelledby="alternatives-title" className="alternatives">
          <h2 id="alternatives-title" ref={alternativesTitle} tabIndex={-1}>
            {t('book.alternatives.title')}
          </h2>
          {taken.alternatives.length > 0 ? (
            <ul className="slots">
              {taken.alternatives.map((alternative) => (
                <li key={alternative.slotId}>
                  <button
                    type="button"
                    className="slot"
                    aria-disabled={attempt.status === 'booking'}
                    onClick={() => bookInstead(alternative)}
                  >
                    <span className="slot-action">{t('book.alternatives.book')} </span>
                    {slot ? (
                      <SlotLabel slot={{ ...alternative, vaccineId: slot.vaccineId }} centre={slot.centre} />
                    ) : (
                      <>
                        {fmt.dateTime(alternative.start, timeZone)} · {t.plural('results.free', alternative.free)}
                      </>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('book.alternatives.none')}</p>
          )}
          <p>
            <Link href={`/search${lastSearch}`}>{t('book.alternatives.search')}</Link>
          </p>
        </section>
      ) : null}
    </Page>
  );
}
