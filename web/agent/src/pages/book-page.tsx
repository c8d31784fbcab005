import type { AppointmentView, CallerCard } from '@ereg/shared';
import { useRef, useState } from 'react';
import { Page } from '../../../shared/src/components/page.tsx';
import { Link, matchPath, useLocation } from '../../../shared/src/router.tsx';
import { useCall } from '../app-context.ts';
import { BookEligibility, mayBook, useBookStanding } from '../components/book-eligibility.tsx';
import { BookReadBack } from '../components/book-read-back.tsx';
import { BookSearch, type ChosenSlot } from '../components/book-search.tsx';
import { BookSummary } from '../components/book-summary.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { NotInCall } from '../components/not-in-call.tsx';
import { useI18n } from '../i18n/index.ts';
import { useBookVaccines } from '../lib/book-vaccines.ts';
import { callReasonText } from '../lib/book-words.ts';
import { BASE, PATHS } from '../lib/paths.ts';

/** Booking a course for a person of the call, ending in the read-back. */
export function BookPage() {
  const { pathname } = useLocation();
  const call = useCall();
  const patientId = matchPath(`${BASE}/book/:patientId`, pathname)?.patientId ?? '';
  const person = call.people.find((p) => p.patientId === patientId);
  if (!person) return <NotInCall />;
  return <BookFor person={person} />;
}

function BookFor({ person }: { person: CallerCard }) {
  const { t, fmt } = useI18n();
  const call = useCall();
  const standing = useBookStanding(person);
  const { vaccines, error } = useBookVaccines([person.birthDate]);
  const [chosen, setChosen] = useState<ChosenSlot | null>(null);
  const [booked, setBooked] = useState<AppointmentView[] | null>(null);
  const searchArea = useRef<HTMLDivElement>(null);
  const name = `${person.givenName} ${person.familyName}`;

  // Back to the list: the slot chosen before, else the first one, takes focus.
  const backToSlots = () => {
    const previous = chosen?.slot.slotId;
    setChosen(null);
    requestAnimationFrame(() => {
      const buttons = [...(searchArea.current?.querySelectorAll<HTMLButtonElement>('button[data-slot]') ?? [])];
      (buttons.find((b) => b.dataset.slot === previous) ?? buttons[0])?.focus();
    });
  };

  return (
    <Page title={t('book.title', { name })}>
      <p className="book-person">{t('book.person', { birthDate: fmt.date(person.birthDate), pesel: person.pesel })}</p>
      {booked ? (
        <BookReadBack person={person} visits={booked} />
      ) : (
        <>
          <section aria-labelledby="book-standing-title" className="book-standing-box">
            <h2 id="book-standing-title">{t('book.eligibility.title')}</h2>
            <BookEligibility standing={standing} />
          </section>
          {error ? <ErrorMessage error={error} /> : null}
          {mayBook(standing) && vaccines ? (
            <>
              <div ref={searchArea} hidden={chosen !== null}>
                <BookSearch vaccines={vaccines} onChoose={setChosen} />
              </div>
              {chosen ? (
                <BookSummary
                  key={chosen.slot.slotId}
                  person={person}
                  reason={callReasonText(call.reason)}
                  chosen={chosen}
                  vaccines={vaccines}
                  onChoose={setChosen}
                  onOther={backToSlots}
                  onBooked={(result) => setBooked(result.appointments)}
                />
              ) : null}
            </>
          ) : null}
          {standing.kind !== 'loading' && !mayBook(standing) ? (
            <p>
              <Link href={PATHS.caller(person.patientId)}>{t('book.backToCaller', { name })}</Link>
            </p>
          ) : null}
        </>
      )}
    </Page>
  );
}
