import type { AppointmentView, CallerCard, Eligibility } from '@ereg/shared';
import { Status } from '../../../shared/src/components/live.tsx';
import { type Load, useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useCall } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { callReasonText, dateIn } from '../lib/book-words.ts';
import { ErrorMessage } from './error-message.tsx';

/** Whether a person of the call may book now, in the words the agent reads out. */
export type BookStanding =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  /** A visit is booked already: the first one still to come. */
  | { kind: 'booked'; visit: AppointmentView }
  | { kind: 'eligible'; eligibility: Extract<Eligibility, { eligible: true }> }
  | { kind: 'notYet'; from: string }
  | { kind: 'notOpen' };

function standingOf(
  eligibility: Load<{ eligibility: Eligibility }>,
  visits: Load<{ appointments: AppointmentView[] }>,
): BookStanding {
  if (eligibility.status === 'failed') return { kind: 'failed', error: eligibility.error };
  if (visits.status === 'failed') return { kind: 'failed', error: visits.error };
  if (eligibility.status !== 'ready' || visits.status !== 'ready') return { kind: 'loading' };
  const booked = visits.data.appointments
    .filter((a) => a.status === 'booked')
    .sort((a, b) => a.start.localeCompare(b.start))[0];
  if (booked) return { kind: 'booked', visit: booked };
  const found = eligibility.data.eligibility;
  if (found.eligible) return { kind: 'eligible', eligibility: found };
  return found.eligibleFrom ? { kind: 'notYet', from: found.eligibleFrom } : { kind: 'notOpen' };
}

/**
 * A person's standing, asked of the API as the agent (eligibility by the policy in force, and the
 * visits booked), with the call's reason, which the audit keeps.
 */
export function useBookStanding(person: CallerCard): BookStanding {
  const { api } = useApp();
  const call = useCall();
  const reason = callReasonText(call.reason) ?? undefined;
  const key = `${person.patientId}:${reason ?? ''}`;
  const query = reason ? { reason } : {};
  const eligibility = useLoad(`eligibility:${key}`, () =>
    api.call('patientEligibility', { params: { patientId: person.patientId }, query }),
  );
  const visits = useLoad(`visits:${key}`, () =>
    api.call('listAppointments', { params: { patientId: person.patientId }, query }),
  );
  return standingOf(eligibility, visits);
}

/** Whether a booking can be offered for this standing. */
export const mayBook = (standing: BookStanding): boolean => standing.kind === 'eligible';

type Known = Exclude<BookStanding, { kind: 'loading' } | { kind: 'failed' }>;

/** The standing in the words read to the caller. */
function useStandingText(): (standing: Known) => string {
  const { t, fmt } = useI18n();
  const { now } = useApp();
  return (standing) => {
    switch (standing.kind) {
      case 'booked': {
        const { visit } = standing;
        return t('book.eligibility.booked', {
          dose: visit.dose,
          date: fmt.date(visit.localDate),
          time: fmt.time(visit.start, visit.centre.timeZone),
          centre: visit.centre.name,
        });
      }
      case 'eligible': {
        const { rule } = standing.eligibility;
        if (rule.kind === 'group') return t('book.eligibility.group', { group: rule.description || rule.group });
        if (rule.kind === 'ageOnDate') {
          return t('book.eligibility.ageOnDate', { age: rule.minAge, date: fmt.date(rule.onDate) });
        }
        // Born in that year or before: on any day of this year at least this old.
        const year = Number(dateIn(now(), 'Europe/Warsaw').slice(0, 4));
        return t('book.eligibility.birthYear', { year: rule.bornInOrBefore, age: year - rule.bornInOrBefore - 1 });
      }
      case 'notYet':
        return t('book.eligibility.notYet', { date: fmt.date(standing.from) });
      case 'notOpen':
        return t('book.eligibility.notOpen');
    }
  };
}

/** The standing in one plain sentence, marked by a sign that is not colour alone. */
export function BookEligibility({ standing, id }: { standing: BookStanding; id?: string }) {
  const { t } = useI18n();
  const textOf = useStandingText();
  if (standing.kind === 'loading') return <Status>{t('book.eligibility.checking')}</Status>;
  if (standing.kind === 'failed') return <ErrorMessage error={standing.error} />;
  const ok = standing.kind === 'eligible';
  return (
    <p
      className={ok ? 'book-standing book-standing-ok' : 'book-standing book-standing-no'}
      id={id}
      data-testid="book-standing"
    >
      <span aria-hidden="true">{ok ? '✓ ' : '! '}</span>
      {textOf(standing)}
    </p>
  );
}
