import type { BookingResult, CallerCard, Vaccine } from '@ereg/shared';
import { useEffect, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { addressLine, type ChosenSlot, plainVaccineName, SlotText } from './book-search.tsx';
import { ErrorMessage } from './error-message.tsx';

/** Refusals that mean the slot was taken meanwhile: the answer carries the centre's next free slots. */
export const TAKEN = ['SLOT_FULL', 'SLOT_BUSY'];

type Attempt = { status: 'idle' } | { status: 'booking' } | { status: 'failed'; error: unknown };

/** The slots offered instead of a taken one, each chosen with Enter. */
export function Alternatives(props: {
  error: ApiError;
  chosen: ChosenSlot;
  vaccines: readonly Vaccine[];
  onChoose: (chosen: ChosenSlot) => void;
}) {
  const { error, chosen, vaccines, onChoose } = props;
  const { t } = useI18n();
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const offered = error.alternatives;
  return (
    <section className="book-alternatives" aria-labelledby="book-alternatives-title">
      <h3 id="book-alternatives-title" ref={title} tabIndex={-1}>
        {t('book.taken.title', { centre: chosen.centre.name })}
      </h3>
      {offered.length === 0 ? (
        <p>{t('book.taken.none')}</p>
      ) : (
        <ul className="book-slots">
          {offered.map((alternative) => (
            <li key={alternative.slotId}>
              <button
                type="button"
                className="button button-secondary book-slot"
                data-slot={alternative.slotId}
                onClick={() =>
                  onChoose({ centre: chosen.centre, slot: { ...alternative, vaccineId: chosen.slot.vaccineId } })
                }
              >
                <SlotText
                  slot={{ ...alternative, vaccineId: chosen.slot.vaccineId }}
                  timeZone={chosen.centre.timeZone}
                  vaccines={vaccines}
                />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The slot chosen, checked for the person as the booking will be (the dose, the vaccine, the course's
 * next dose proposed), and the button that books the course (Alt+K) with one key per slot, so a
 * repeated press or a retry books once. A slot taken meanwhile offers the centre's next free ones.
 * Keyed by the slot where it is used, so that another slot starts afresh.
 */
export function BookSummary(props: {
  person: CallerCard;
  reason: string | null;
  chosen: ChosenSlot;
  vaccines: readonly Vaccine[];
  onChoose: (chosen: ChosenSlot) => void;
  onOther: () => void;
  onBooked: (result: BookingResult) => void;
}) {
  const { person, reason, chosen, vaccines, onChoose, onOther, onBooked } = props;
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const [attempt, setAttempt] = useState<Attempt>({ status: 'idle' });
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(false);
  const title = useRef<HTMLHeadingElement>(null);
  const slotId = chosen.slot.slotId;
  const body = { slotId, patientId: person.patientId, ...(reason ? { reason } : {}) };
  const preview = useLoad(`preview:${person.patientId}:${slotId}`, () => api.call('previewBooking', { body }));

  // Shown for each slot chosen (the page keys it by the slot): the agent goes on from its heading.
  useEffect(() => title.current?.focus(), []);

  const ready = preview.status === 'ready' ? preview.data : null;
  const book = async () => {
    if (inFlight.current || !ready) return;
    inFlight.current = true;
    let key = keys.current.get(slotId);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(slotId, key);
    }
    setAttempt({ status: 'booking' });
    try {
      const result = await api.call('book', { body, headers: { 'Idempotency-Key': key } });
      onBooked(result);
    } catch (error) {
      setAttempt({ status: 'failed', error });
    } finally {
      inFlight.current = false;
    }
  };
  useShortcut('k', t('book.shortcut.confirm'), () => void book(), ready !== null && attempt.status !== 'booking');
  useShortcut('0', t('book.shortcut.anotherSlot'), onOther);

  const refusal = attempt.status === 'failed' ? attempt.error : preview.status === 'failed' ? preview.error : null;
  const taken = refusal instanceof ApiError && TAKEN.includes(refusal.code) ? refusal : null;
  const vaccine = vaccines.find((v) => v.id === (ready?.vaccineId ?? chosen.slot.vaccineId));
  const zone = chosen.centre.timeZone;

  return (
    <section className="book-summary" aria-labelledby="book-summary-title">
      <h2 id="book-summary-title" ref={title} tabIndex={-1}>
        {t('book.summary.title')}
      </h2>
      <dl className="book-details">
        <div>
          <dt>{t('book.summary.when')}</dt>
          <dd>{fmt.dateTime(chosen.slot.start, zone)}</dd>
        </div>
        <div>
          <dt>{t('book.summary.where')}</dt>
          <dd>
            {chosen.centre.name}
            <br />
            {addressLine(chosen.centre.address)}
          </dd>
        </div>
        {vaccine ? (
          <div>
            <dt>{t('book.summary.vaccine')}</dt>
            <dd>{plainVaccineName(vaccine)}</dd>
          </div>
        ) : null}
        {ready ? (
          <div>
            <dt>{t('book.summary.dose')}</dt>
            <dd>{ready.dose}</dd>
          </div>
        ) : null}
        {ready?.followUp ? (
          <div>
            <dt>{t('book.summary.next', { dose: ready.followUp.dose })}</dt>
            <dd>{fmt.dateTime(ready.followUp.proposed.start, zone)}</dd>
          </div>
        ) : null}
      </dl>
      <Status>
        {preview.status === 'loading' ? t('book.summary.checking') : null}
        {attempt.status === 'booking' ? t('book.summary.booking') : null}
      </Status>
      {taken ? (
        <Alternatives error={taken} chosen={chosen} vaccines={vaccines} onChoose={onChoose} />
      ) : refusal ? (
        <ErrorMessage error={refusal} />
      ) : null}
      <div className="book-actions">
        {ready && !taken ? (
          <button
            type="button"
            className="button button-primary"
            aria-keyshortcuts="Alt+K"
            aria-disabled={attempt.status === 'booking'}
            onClick={() => void book()}
          >
            {t('book.summary.confirm')} <kbd>Alt+K</kbd>
          </button>
        ) : null}
        <button type="button" className="button button-secondary" aria-keyshortcuts="Alt+0" onClick={onOther}>
          {t('book.summary.anotherSlot')} <kbd>Alt+0</kbd>
        </button>
      </div>
    </section>
  );
}
