import type { AppointmentView } from '@ereg/shared';
import { Link } from '../../../shared/src/router.tsx';
import { useI18n } from '../i18n/index.ts';
import { CalendarButton } from './calendar-button.tsx';
import { VisitDetails } from './visit-details.tsx';

/** Visits just booked or moved, one card per dose, with the calendar file and the way to my visits. */
export function VisitsSummary({
  visits,
  withReference = true,
}: {
  visits: readonly AppointmentView[];
  withReference?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <ol className="visits">
        {visits.map((visit) => (
          <li key={visit.id} className="visit">
            <h2>{t('visit.dose', { dose: visit.dose })}</h2>
            <VisitDetails visit={visit} withReference={withReference} />
          </li>
        ))}
      </ol>
      <ul className="actions">
        <li>
          <CalendarButton visits={[...visits]} label={t('book.done.ics')} />
        </li>
        <li>
          <Link href="/visits" className="button">
            {t('book.done.visits')}
          </Link>
        </li>
      </ul>
    </>
  );
}
