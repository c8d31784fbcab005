import type { CentreOffer, SearchResult, SlotOffer, Vaccine } from '@ereg/shared';
import { type FormEvent, type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { readPlace } from '../lib/book-words.ts';
import { describeError } from '../lib/error-messages.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { ErrorMessage } from './error-message.tsx';

/** A slot chosen from the results, with its centre. */
export interface ChosenSlot {
  slot: Pick<SlotOffer, 'slotId' | 'start' | 'free' | 'vaccineId'>;
  centre: CentreOffer['centre'];
}

type Search = { status: 'idle' } | { status: 'searching' } | { status: 'done'; result: SearchResult };

/** A vaccine as a caller understands it: its name and who makes it. */
export const plainVaccineName = (vaccine: Vaccine) => `${vaccine.name} (${vaccine.manufacturer})`;

export const addressLine = (address: CentreOffer['centre']['address']) =>
  `${address.street}, ${address.postalCode} ${address.city}`;

/** Moves focus between the slot buttons of a list with the arrow keys (Home and End to the ends). */
function moveBetweenSlots(event: KeyboardEvent<HTMLElement>) {
  const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-slot]')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (buttons.length === 0) return;
  event.preventDefault();
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? buttons.length - 1
        : Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
  buttons[next]?.focus();
}

/**
 * Where the caller lives (a postal code or a town) and which vaccine, then the soonest free slots near
 * there, soonest first; a slot is chosen with Enter. `vaccines`: the products the person may have.
 */
export function BookSearch(props: { vaccines: readonly Vaccine[]; onChoose: (chosen: ChosenSlot) => void }) {
  const { vaccines, onChoose } = props;
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const [place, setPlace] = useState('');
  const [vaccineId, setVaccineId] = useState('');
  const [placeError, setPlaceError] = useState<string | null>(null);
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const [failure, setFailure] = useState<unknown>(null);
  const placeInput = useRef<HTMLInputElement>(null);
  const vaccineSelect = useRef<HTMLSelectElement>(null);
  const resultsTitle = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [focusResults, setFocusResults] = useState(0);

  useShortcut('p', t('book.shortcut.place'), () => placeInput.current?.focus());
  useShortcut('v', t('book.shortcut.vaccine'), () => vaccineSelect.current?.focus());

  // After a search the agent goes on from the first slot (or the heading saying there is none), in the
  // same commit as the results, so a key pressed as they appear already acts on the first slot.
  useLayoutEffect(() => {
    if (focusResults === 0) return;
    const first = list.current?.querySelector<HTMLButtonElement>('button[data-slot]');
    (first ?? resultsTitle.current)?.focus();
  }, [focusResults]);

  const allowed = new Set(vaccines.map((v) => v.id));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const read = readPlace(place);
    if ('problem' in read) {
      setPlaceError(t(read.problem === 'required' ? 'book.search.place.required' : 'book.search.place.invalidCode'));
      placeInput.current?.focus();
      return;
    }
    setPlaceError(null);
    setFailure(null);
    setSearch({ status: 'searching' });
    try {
      const result = await api.call('search', {
        query: { ...read, ...(vaccineId ? { vaccineId } : {}), limit: 8, slotsPerCentre: 4 },
      });
      setSearch({ status: 'done', result });
      setFocusResults((n) => n + 1);
    } catch (error) {
      setSearch({ status: 'idle' });
      if (error instanceof ApiError && (error.field === 'postalCode' || error.field === 'town')) {
        setPlaceError(describeError(error, t, fmt));
        placeInput.current?.focus();
      } else setFailure(error);
    }
  };

  const offers =
    search.status === 'done'
      ? search.result.results
          .map((offer) => ({ ...offer, slots: offer.slots.filter((s) => allowed.has(s.vaccineId)) }))
          .filter((offer) => offer.slots.length > 0)
      : [];
  const slotCount = offers.reduce((n, o) => n + o.slots.length, 0);

  return (
    <section aria-labelledby="book-search-title" className="book-search">
      <h2 id="book-search-title">{t('book.search.title')}</h2>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet known to every browser (nor to jsdom); the role gives the same landmark */}
      <form role="search" aria-labelledby="book-search-title" noValidate onSubmit={submit} className="book-search-form">
        <Field id="book-place" label={t('book.search.place')} hint={t('book.search.place.hint')} error={placeError}>
          {(control) => (
            <input
              {...control}
              ref={placeInput}
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
              value={place}
              aria-keyshortcuts="Alt+P"
              onChange={(event) => {
                setPlace(event.target.value);
                if (placeError && !('problem' in readPlace(event.target.value))) setPlaceError(null);
              }}
            />
          )}
        </Field>
        <Field id="book-vaccine" label={t('book.search.vaccine')}>
          {(control) => (
            <select
              {...control}
              ref={vaccineSelect}
              value={vaccineId}
              aria-keyshortcuts="Alt+V"
              onChange={(event) => setVaccineId(event.target.value)}
            >
              <option value="">{t('book.search.vaccine.any')}</option>
              {vaccines.map((vaccine) => (
                <option key={vaccine.id} value={vaccine.id}>
                  {plainVaccineName(vaccine)} — {t.plural('book.search.doses', vaccine.doses)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button button-primary" aria-disabled={search.status === 'searching'}>
          {t('book.search.submit')}
        </button>
      </form>
      <Status>
        {search.status === 'searching' ? t('book.search.searching') : null}
        {search.status === 'done' ? t.plural('book.results.found', slotCount) : null}
      </Status>
      {failure ? <ErrorMessage error={failure} /> : null}
      {search.status === 'done' ? (
        <div className="book-results">
          <h3 id="book-results-title" ref={resultsTitle} tabIndex={-1}>
            {search.result.origin.place
              ? t('book.results.titleTown', { place: search.result.origin.place })
              : search.result.origin.postalCode
                ? t('book.results.titleCode', { code: search.result.origin.postalCode })
                : t('book.results.title')}
          </h3>
          {offers.length === 0 ? (
            <p>{t('book.results.none')}</p>
          ) : (
            <>
              <p className="hint" id="book-results-hint">
                {t('book.results.hint')}
              </p>
              {/* The arrow keys move between the slots of every centre listed. */}
              {/* biome-ignore lint/a11y/noStaticElementInteractions: the keys are handled for the buttons inside */}
              <div ref={list} onKeyDown={moveBetweenSlots} className="book-offers">
                <ol className="book-centres">
                  {offers.map((offer) => (
                    <li key={offer.centre.id} className="book-centre">
                      <h4>{offer.centre.name}</h4>
                      <p className="book-centre-address">
                        {addressLine(offer.centre.address)} ·{' '}
                        {t('book.results.distance', { km: fmt.km(offer.distanceKm) })}
                      </p>
                      <ul className="book-slots" aria-label={t('book.results.slotsOf', { centre: offer.centre.name })}>
                        {offer.slots.map((slot) => (
                          <li key={slot.slotId}>
                            <button
                              type="button"
                              className="button button-secondary book-slot"
                              data-slot={slot.slotId}
                              aria-describedby="book-results-hint"
                              onClick={() => onChoose({ slot, centre: offer.centre })}
                            >
                              <SlotText slot={slot} timeZone={offer.centre.timeZone} vaccines={vaccines} />
                            </button>
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ol>
              </div>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

/** A slot in words: the day, the time, the vaccine and the places left. */
export function SlotText(props: {
  slot: Pick<SlotOffer, 'start' | 'free'> & { vaccineId?: string };
  timeZone: string;
  vaccines: readonly Vaccine[];
}) {
  const { slot, timeZone, vaccines } = props;
  const { t, fmt } = useI18n();
  const vaccine = slot.vaccineId ? vaccines.find((v) => v.id === slot.vaccineId) : undefined;
  return (
    <>
      <span className="book-slot-day">{fmt.shortDay(slot.start, timeZone)}</span>{' '}
      <strong className="book-slot-time">{fmt.time(slot.start, timeZone)}</strong>
      <span className="book-slot-meta">
        {vaccine ? ` · ${vaccine.name}` : ''} · {t.plural('book.slot.free', slot.free)}
      </span>
    </>
  );
}
