import type { BookingPreview, OfferedSlot, Patient } from '@ereg/shared';
import { type FormEvent, useRef, useState } from 'react';
import { type AlternativeSlot, ApiError, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, useLocation, useRouter } from '../../../shared/src/router.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useSession, vaccineName } from '../app-context.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoginButton } from '../components/login-button.tsx';
import { NextDosePicker } from '../components/next-dose-picker.tsx';
import { addressLine, SlotLabel } from '../components/search-results.tsx';
import { useI18n } from '../i18n/index.ts';
import { describeError } from '../lib/error-messages.ts';
import { type ChosenSlot, recallSlot, rememberSlot } from '../lib/offers.ts';
// The waiting page
import { useQueueRedirect } from '../lib/use-waiting-room.ts';
import { bookingPath } from '../lib/visit-calendar.ts';
import { LAST_SEARCH_KEY } from './search-page.tsx';

const TAKEN = ['SLOT_FULL', 'SLOT_BUSY'];

/** The parameters a slot aggregator adds to a booking deep link (SMART Scheduling Links), as a query string. */
export function referralQuery(search: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const name of ['source', 'booking-referral']) {
    const value = search.get(name);
    if (value) kept.set(name, value.slice(0, 200));
  }
  const query = kept.toString();
  return query ? `?${query}` : '';
}

type Attempt = { status: 'idle' } | { status: 'booking' } | { status: 'failed'; error: unknown };

/** A mobile number as people read it, kept on one line: `+48 600 100 200` (no-break spaces). */
export function readablePhone(e164: string): string {
  const polish = /^\+48(\d{3})(\d{3})(\d{3})$/.exec(e164);
  return polish ? `+48\u00a0${polish[1]}\u00a0${polish[2]}\u00a0${polish[3]}` : e164;
}

/**
 * Confirms a picked slot. Before the button, the page says what the booking will do — the dose, and
 * the course's next dose with the time proposed for it, which the person may change — or, when the
 * person cannot book it (not yet eligible, already booked), says so instead of offering a button that
 * cannot work. The mobile number for the confirmation is asked for or shown here. A slot taken
 * meanwhile is answered with the centre's next free slots; a booking made moves to its confirmation,
 * which has an address of its own.
 */
export function BookPage({ slotId }: { slotId: string }) {
  const { api, tabStorage, vaccines } = useApp();
  const router = useRouter();
  const session = useSession();
  const { t, fmt } = useI18n();
  const [slot] = useState<ChosenSlot | null>(() => recallSlot(tabStorage, slotId));
  const [attempt, setAttempt] = useState<Attempt>({ status: 'idle' });
  const [nextChoice, setNextChoice] = useState<OfferedSlot | null>(null);
  // null: the number on record is kept; a string: the number typed here (empty: none).
  const [phone, setPhone] = useState<string | null>(null);
  // One key per booking asked for: a double click or a retry after a lost answer books once.
  const keys = useRef(new Map<string, string>());
  const alternativesTitle = useRef<HTMLHeadingElement>(null);
  // Guards against a second press before React has re-rendered the first one's state.
  const inFlight = useRef(false);
  const lastSearch = tabStorage.getItem(LAST_SEARCH_KEY) ?? '';
  // Scheduling links: an aggregator's `source` and `booking-referral` survive the login round trip.
  const { search } = useLocation();
  const patientId = session?.patientId ?? null;

  const preview = useLoad(patientId ? `preview:${patientId}:${slotId}` : null, () => api.previewBooking({ slotId }));
  const me = useLoad(patientId ? `me:${patientId}` : null, () => api.me());
  const patient: Patient | null = me.status === 'ready' ? (me.data.patient ?? null) : null;

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current || !patientId) return;
    inFlight.current = true;
    const target = `${slotId}|${nextChoice?.slotId ?? ''}`;
    let key = keys.current.get(target);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(target, key);
    }
    setAttempt({ status: 'booking' });
    try {
      const typed = phone?.trim() ?? null;
      if (typed !== null && typed !== '' && patient) {
        await api.updateContact(patientId, { phone: typed, language: patient.language });
      }
      const result = await api.book({ slotId, ...(nextChoice ? { nextSlotId: nextChoice.slotId } : {}) }, key);
      const reference = result.appointments[0]?.reference;
      inFlight.current = false;
      if (reference) router.navigate(bookingPath(reference), { replace: true });
      else router.navigate('/visits', { replace: true });
    } catch (error) {
      inFlight.current = false;
      setAttempt({ status: 'failed', error });
      if (error instanceof ApiError && TAKEN.includes(error.code)) {
        requestAnimationFrame(() => alternativesTitle.current?.focus());
      }
    }
  };

  const chooseInstead = (alternative: AlternativeSlot) => {
    if (slot) rememberSlot(tabStorage, { ...slot, ...alternative });
    router.navigate(`/book/${encodeURIComponent(alternative.slotId)}`, { replace: true });
  };

  const failure = attempt.status === 'failed' ? attempt.error : null;
  const refusal = failure ?? (preview.status === 'failed' ? preview.error : null);
  const taken = refusal instanceof ApiError && TAKEN.includes(refusal.code) ? refusal : null;
  // The waiting page
  useQueueRedirect(refusal);
  const phoneError = failure instanceof ApiError && failure.field === 'phone' ? describeError(failure, t, fmt) : null;
  const vaccineId = preview.status === 'ready' ? preview.data.vaccineId : slot?.vaccineId;
  const timeZone = slot?.centre.timeZone ?? 'Europe/Warsaw';
  const start = preview.status === 'ready' ? preview.data.slot.start : slot?.start;
  const ready: BookingPreview | null = preview.status === 'ready' ? preview.data : null;

  return (
    <Page title={t('book.title')}>
      {ready?.followUp ? <h2>{t('visit.dose', { dose: ready.dose })}</h2> : null}
      {slot || ready ? (
        <dl className="details">
          {start ? (
            <div>
              <dt>{t('visit.when')}</dt>
              <dd>{fmt.dateTime(start, timeZone)}</dd>
            </div>
          ) : null}
          {slot ? (
            <div>
              <dt>{t('visit.where')}</dt>
              <dd>
                {slot.centre.name}
                <br />
                {addressLine(slot.centre.address)}
              </dd>
            </div>
          ) : null}
          {vaccineId ? (
            <div>
              <dt>{t('visit.vaccine')}</dt>
              <dd>{vaccineName(vaccines, vaccineId)}</dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p>{t('book.unknownSlot')}</p>
      )}

      {!session ? (
        <section className="banner banner-info" aria-labelledby="login-title">
          <h2 id="login-title">{t('book.login.title')}</h2>
          <p>{t('book.login.text')}</p>
          <LoginButton returnTo={`/book/${encodeURIComponent(slotId)}${referralQuery(search)}`} />
        </section>
      ) : null}

      <Status>{preview.status === 'loading' ? t('book.checking') : null}</Status>
      {preview.status === 'failed' ? (
        <>
          <ErrorMessage error={preview.error} />
          {preview.error instanceof ApiError && preview.error.code === 'ALREADY_BOOKED' ? (
            <p>
              <Link href="/visits">{t('book.done.visits')}</Link>
            </p>
          ) : null}
          <p>
            <Link href={`/search${lastSearch}`}>{t('book.cannot.back')}</Link>
          </p>
        </>
      ) : null}

      {ready ? (
        <form onSubmit={confirm} noValidate>
          {ready.followUp ? (
            <NextDosePicker
              followUp={ready.followUp}
              centreId={ready.centreId}
              vaccineId={ready.vaccineId}
              timeZone={timeZone}
              chosen={nextChoice}
              onChoose={setNextChoice}
            />
          ) : null}

          <section aria-labelledby="sms-title" className="sms-contact">
            <h2 id="sms-title">{t('book.sms.title')}</h2>
            {patient?.phone && phone === null ? (
              <p>
                {t('book.sms.to', { phone: readablePhone(patient.phone) })}{' '}
                <button type="button" className="link-button" onClick={() => setPhone(patient.phone ?? '')}>
                  {t('book.sms.change')}
                </button>
              </p>
            ) : (
              <Field
                id="book-phone"
                label={t('contact.phone')}
                hint={patient?.phone ? t('contact.phone.hint') : t('book.sms.none')}
                error={phoneError}
              >
                {(control) => (
                  <input
                    {...control}
                    type="tel"
                    autoComplete="tel"
                    value={phone ?? ''}
                    onChange={(event) => setPhone(event.target.value)}
                  />
                )}
              </Field>
            )}
          </section>

          <div className="actions">
            <button type="submit" className="button button-primary" aria-disabled={attempt.status === 'booking'}>
              {t('book.confirm')}
            </button>
            <Link href={`/search${lastSearch}`}>{t('book.back')}</Link>
          </div>
        </form>
      ) : null}

      <Status>{attempt.status === 'booking' ? t('book.busy') : null}</Status>
      {failure && !phoneError ? <ErrorMessage error={failure} /> : null}
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
                  <button type="button" className="slot" onClick={() => chooseInstead(alternative)}>
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
