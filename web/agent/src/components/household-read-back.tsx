import type { AppointmentView, CallerCard } from '@ereg/shared';
import { useI18n } from '../i18n/index.ts';
import { DoneButton, ReadBackHeading, SmsLine, SpelledReference, useSpokenDay } from './book-read-back.tsx';
import { addressLine } from './book-search.tsx';

/** One person's bookings of a household, with the card they were booked from. */
export interface HouseholdLine {
  person: CallerCard;
  visits: readonly AppointmentView[];
}

/**
 * The household's read-back: the centre once (they were all booked there), then one line per person
 * with their time, their next dose and their own booking reference, and whether each gets a text.
 */
export function HouseholdReadBack({ lines, returnTo }: { lines: readonly HouseholdLine[]; returnTo: string | null }) {
  const { t, fmt } = useI18n();
  const spokenDay = useSpokenDay();
  const centres = new Map(lines.flatMap((line) => line.visits.map((v) => [v.centre.id, v.centre] as const)));
  const when = (visit: AppointmentView) =>
    t('book.readBack.when', {
      day: spokenDay(visit.start, visit.centre.timeZone),
      time: fmt.time(visit.start, visit.centre.timeZone),
    });
  return (
    <section className="book-read-back" aria-labelledby="book-read-back-title" data-testid="book-read-back">
      <ReadBackHeading />
      {[...centres.values()].map((centre) => (
        <p key={centre.id} className="book-read-where">
          {centre.name}
          <br />
          {addressLine(centre.address)}
        </p>
      ))}
      <ol className="household-lines">
        {lines.map(({ person, visits }) => {
          const [first, ...later] = visits;
          return (
            <li key={person.patientId} className="household-line" data-testid="household-line">
              <p>
                <strong>
                  {person.givenName} {person.familyName}
                </strong>
                {': '}
                {first ? (
                  <span className="book-read-when">
                    {t('household.readBack.first', { dose: first.dose, when: when(first) })}
                  </span>
                ) : null}
                {later.map((visit) => (
                  <span key={visit.id}>
                    {'; '}
                    {t('household.readBack.next', { dose: visit.dose, when: when(visit) })}
                  </span>
                ))}
                {centres.size > 1 && first ? ` — ${first.centre.name}` : null}
              </p>
              <p>
                {t('book.readBack.reference')} <SpelledReference reference={first?.reference ?? ''} />
              </p>
              <SmsLine person={person} />
            </li>
          );
        })}
      </ol>
      <DoneButton patientId={returnTo} />
    </section>
  );
}
