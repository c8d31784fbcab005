import type { AppointmentView, CallerCard } from '@ereg/shared';
import { type Ref, useEffect, useRef } from 'react';
import { useRouter } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { referenceGroups, spellReference } from '../lib/book-words.ts';
import { PATHS } from '../lib/paths.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { addressLine } from './book-search.tsx';

/** "poniedziałek, 19 stycznia" — a visit's day as it is read out: weekday, day and month. */
export function useSpokenDay(): (instant: string, timeZone: string) => string {
  const { t } = useI18n();
  return (instant, timeZone) =>
    new Intl.DateTimeFormat(t.locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(
      new Date(instant),
    );
}

/** The reference in groups, and spelled letter by letter with the language's spelling alphabet. */
export function SpelledReference({ reference }: { reference: string }) {
  const { t } = useI18n();
  const groups = spellReference(reference, t('book.spelling.alphabet'), (letter, word) =>
    t('book.spelling.letter', { letter, word }),
  );
  return (
    <>
      <strong className="book-reference" data-testid="book-reference">
        {referenceGroups(reference)}
      </strong>
      <span className="book-spelled">
        {' ('}
        {groups.map((group) => group.join(', ')).join(' — ')}
        {')'}
      </span>
    </>
  );
}

/** Whether the confirmation went by text, or why not: said to the caller. */
export function SmsLine({ person }: { person: CallerCard }) {
  const { t } = useI18n();
  if (person.phone) return <p className="book-sms">{t('book.readBack.sms', { phone: person.phone })}</p>;
  return (
    <p className="book-sms book-sms-none">
      <span aria-hidden="true">! </span>
      {t(person.landline ? 'book.readBack.landline' : 'book.readBack.noPhone')}
    </p>
  );
}

/** The panel's heading, which takes focus as it appears: what the agent does next is read it out. */
export function ReadBackHeading({ ref }: { ref?: Ref<HTMLHeadingElement> }) {
  const { t } = useI18n();
  const own = useRef<HTMLHeadingElement>(null);
  useEffect(() => own.current?.focus(), []);
  return (
    <h2
      id="book-read-back-title"
      tabIndex={-1}
      ref={(node) => {
        own.current = node;
        if (typeof ref === 'function') ref(node);
        else if (ref) ref.current = node;
      }}
    >
      {t('book.readBack.title')}
    </h2>
  );
}

/** "Done" (Alt+D): back to the caller's page, the read-back over. */
export function DoneButton({ patientId }: { patientId: string | null }) {
  const { t } = useI18n();
  const router = useRouter();
  const done = () => router.navigate(patientId ? PATHS.caller(patientId) : PATHS.call);
  useShortcut('d', t('book.shortcut.done'), done);
  return (
    <button type="button" className="button button-primary" aria-keyshortcuts="Alt+D" onClick={done}>
      {t('book.readBack.done')} <kbd>Alt+D</kbd>
    </button>
  );
}

/**
 * What the agent reads to the caller after booking: each dose's day, time, centre and full address, the
 * booking reference in groups and spelled, and whether a text confirms it.
 */
export function BookReadBack({ person, visits }: { person: CallerCard; visits: readonly AppointmentView[] }) {
  const { t, fmt } = useI18n();
  const spokenDay = useSpokenDay();
  const reference = visits[0]?.reference ?? '';
  return (
    <section className="book-read-back" aria-labelledby="book-read-back-title" data-testid="book-read-back">
      <ReadBackHeading />
      <ol className="book-read-doses">
        {visits.map((visit) => (
          <li key={visit.id}>
            <h3>{t('book.readBack.dose', { dose: visit.dose })}</h3>
            <p className="book-read-when">
              {t('book.readBack.when', {
                day: spokenDay(visit.start, visit.centre.timeZone),
                time: fmt.time(visit.start, visit.centre.timeZone),
              })}
            </p>
            <p className="book-read-where">
              {visit.centre.name}
              <br />
              {addressLine(visit.centre.address)}
            </p>
          </li>
        ))}
      </ol>
      <p>
        {t('book.readBack.reference')} <SpelledReference reference={reference} />
      </p>
      <SmsLine person={person} />
      <DoneButton patientId={person.patientId} />
    </section>
  );
}
