import type { CallerCard } from '@ereg/shared';
import { useEffect, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from '../../../shared/src/api-client.ts';
import { Alert, Status } from '../../../shared/src/components/live.tsx';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useApp, useCall } from '../app-context.ts';
import { BookEligibility, type BookStanding, mayBook, useBookStanding } from '../components/book-eligibility.tsx';
import { addressLine, BookSearch, type ChosenSlot } from '../components/book-search.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { type HouseholdLine, HouseholdReadBack } from '../components/household-read-back.tsx';
import { useI18n } from '../i18n/index.ts';
import { useBookVaccines } from '../lib/book-vaccines.ts';
import { callReasonText } from '../lib/book-words.ts';
import { describeError, errorTitleKey } from '../lib/error-messages.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';

/** The fewest people a household booking is for; one person is booked on their own page. */
const FEWEST = 2;
const MOST = 5;

/** One person of the call: a tick to book them, and whether they may. */
function PersonChoice(props: {
  person: CallerCard;
  included: boolean;
  onToggle: (included: boolean) => void;
  onStanding: (standing: BookStanding) => void;
}) {
  const { person, included, onToggle, onStanding } = props;
  const { t, fmt } = useI18n();
  const standing = useBookStanding(person);
  const latest = useRef(onStanding);
  latest.current = onStanding;
  // Reported when it changes kind (loaded, failed): the object itself is new on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the kind is what the page needs to know of
  useEffect(() => latest.current(standing), [standing.kind]);
  const id = `household-person-${person.patientId}`;
  return (
    <li className="household-person">
      <div className="household-check">
        <input
          type="checkbox"
          id={id}
          checked={included && mayBook(standing)}
          disabled={!mayBook(standing)}
          aria-describedby={`${id}-standing`}
          onChange={(event) => onToggle(event.target.checked)}
        />
        <label htmlFor={id}>
          {person.givenName} {person.familyName}
          <span className="household-born">{t('household.born', { birthDate: fmt.date(person.birthDate) })}</span>
        </label>
      </div>
      <BookEligibility standing={standing} id={`${id}-standing`} />
    </li>
  );
}

/** A refusal of the household, naming the person it is about (`patientIds.<n>` → their name). */
function HouseholdError({ error, people }: { error: unknown; people: readonly CallerCard[] }) {
  const { t, fmt } = useI18n();
  const at = error instanceof ApiError ? /^patientIds\.(\d+)$/.exec(error.field ?? '') : null;
  const person = at ? people[Number(at[1])] : undefined;
  if (!person) return <ErrorMessage error={error} />;
  return (
    <Alert title={t(errorTitleKey(error))}>
      <p>
        {t('household.error.person', {
          name: `${person.givenName} ${person.familyName}`,
          message: describeError(error, t, fmt),
        })}
      </p>
    </Alert>
  );
}

type Attempt = { status: 'idle' } | { status: 'booking' } | { status: 'failed'; error: unknown };

/** Booking up to five people of the call at one centre, shown and confirmed together. */
export function HouseholdPage() {
  const { t } = useI18n();
  const call = useCall();
  if (call.people.length < FEWEST) {
    return (
      <Page title={t('household.title')}>
        <p>{t('household.tooFew')}</p>
        <p>
          <Link href={PATHS.call}>{t('book.backToCall')}</Link>
        </p>
      </Page>
    );
  }
  return <Household people={call.people.slice(0, MOST)} />;
}

function Household({ people }: { people: readonly CallerCard[] }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [standings, setStandings] = useState<Readonly<Record<string, BookStanding>>>({});
  const [chosen, setChosen] = useState<ChosenSlot | null>(null);
  const [attempt, setAttempt] = useState<Attempt>({ status: 'idle' });
  const [booked, setBooked] = useState<HouseholdLine[] | null>(null);
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(false);
  const summaryTitle = useRef<HTMLHeadingElement>(null);
  const searchArea = useRef<HTMLDivElement>(null);

  const selected = people.filter((p) => {
    const standing = standings[p.patientId];
    return standing !== undefined && mayBook(standing) && !excluded.has(p.patientId);
  });
  const { vaccines, error: catalogueError } = useBookVaccines(
    (selected.length > 0 ? selected : people).map((p) => p.birthDate),
  );
  const enough = selected.length >= FEWEST;
  const everyoneChecked = people.every((p) => standings[p.patientId] && standings[p.patientId]?.kind !== 'loading');

  useEffect(() => {
    if (chosen) {
      setAttempt({ status: 'idle' });
      summaryTitle.current?.focus();
    }
  }, [chosen]);

  const book = async () => {
    if (!chosen || !enough || inFlight.current) return;
    inFlight.current = true;
    const patientIds = selected.map((p) => p.patientId);
    // One key for this request (slot and people): a retry or a second press books once.
    const target = `${chosen.slot.slotId}|${patientIds.join(',')}`;
    let key = keys.current.get(target);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(target, key);
    }
    setAttempt({ status: 'booking' });
    try {
      const result = await api.call('bookHousehold', {
        body: { slotId: chosen.slot.slotId, patientIds, reason: callReasonText(call.reason) ?? '' },
        headers: { 'Idempotency-Key': key },
      });
      const byId = new Map(selected.map((p) => [p.patientId, p]));
      setBooked(
        result.bookings.flatMap((b) => {
          const person = byId.get(b.patientId);
          return person ? [{ person, visits: b.appointments }] : [];
        }),
      );
    } catch (error) {
      setAttempt({ status: 'failed', error });
    } finally {
      inFlight.current = false;
    }
  };
  const backToSlots = () => {
    const previous = chosen?.slot.slotId;
    setChosen(null);
    requestAnimationFrame(() => {
      const buttons = [...(searchArea.current?.querySelectorAll<HTMLButtonElement>('button[data-slot]') ?? [])];
      (buttons.find((b) => b.dataset.slot === previous) ?? buttons[0])?.focus();
    });
  };
  useShortcut('k', t('household.shortcut.confirm'), () => void book(), chosen !== null && enough && !booked);
  useShortcut('0', t('book.shortcut.anotherSlot'), backToSlots, chosen !== null && !booked);

  if (booked) {
    return (
      <Page title={t('household.title')}>
        <HouseholdReadBack lines={booked} returnTo={people[0]?.patientId ?? null} />
      </Page>
    );
  }

  const [first, ...others] = selected;
  return (
    <Page title={t('household.title')}>
      <section aria-labelledby="household-people-title">
        <h2 id="household-people-title">{t('household.people.title')}</h2>
        <p className="hint">{t('household.people.hint')}</p>
        <ol className="household-people">
          {people.map((person) => (
            <PersonChoice
              key={person.patientId}
              person={person}
              included={!excluded.has(person.patientId)}
              onToggle={(included) =>
                setExcluded((now) => {
                  const next = new Set(now);
                  if (included) next.delete(person.patientId);
                  else next.add(person.patientId);
                  return next;
                })
              }
              onStanding={(standing) => setStandings((now) => ({ ...now, [person.patientId]: standing }))}
            />
          ))}
        </ol>
        {everyoneChecked && !enough ? <p className="book-standing-no">{t('household.people.tooFew')}</p> : null}
      </section>
      {catalogueError ? <ErrorMessage error={catalogueError} /> : null}
      {enough && vaccines ? (
        <div ref={searchArea} hidden={chosen !== null}>
          <BookSearch vaccines={vaccines} onChoose={setChosen} />
        </div>
      ) : null}
      {chosen && enough && first ? (
        <section aria-labelledby="household-summary-title" className="book-summary">
          <h2 id="household-summary-title" ref={summaryTitle} tabIndex={-1}>
            {t('book.summary.title')}
          </h2>
          <p>
            {chosen.centre.name}
            <br />
            {addressLine(chosen.centre.address)}
          </p>
          <ul className="household-plan">
            <li>
              {t('household.summary.first', {
                name: `${first.givenName} ${first.familyName}`,
                when: fmt.dateTime(chosen.slot.start, chosen.centre.timeZone),
              })}
            </li>
            <li>
              {t('household.summary.others', {
                names: others.map((p) => `${p.givenName} ${p.familyName}`).join(', '),
              })}
            </li>
          </ul>
          <Status>{attempt.status === 'booking' ? t('book.summary.booking') : null}</Status>
          {attempt.status === 'failed' ? <HouseholdError error={attempt.error} people={selected} /> : null}
          <div className="book-actions">
            <button
              type="button"
              className="button button-primary"
              aria-keyshortcuts="Alt+K"
              aria-disabled={attempt.status === 'booking'}
              onClick={() => void book()}
            >
              {t('household.confirm')} <kbd>Alt+K</kbd>
            </button>
            <button type="button" className="button button-secondary" aria-keyshortcuts="Alt+0" onClick={backToSlots}>
              {t('book.summary.anotherSlot')} <kbd>Alt+0</kbd>
            </button>
          </div>
        </section>
      ) : null}
    </Page>
  );
}
