import type { AppointmentStatus, AppointmentView } from '@ereg/shared';
import { Link } from '../../../shared/src/router.tsx';
import { useApp, vaccineName } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { bookingPath } from '../lib/visit-calendar.ts';
import { addressLine } from './search-results.tsx';

const STATUS: Record<AppointmentStatus, MessageKey> = {
  booked: 'visit.status.booked',
  completed: 'visit.status.completed',
  cancelled: 'visit.status.cancelled',
  no_show: 'visit.status.no_show',
  not_given: 'visit.status.not_given',
};

/** When and where a visit is, for which dose and vaccine, its booking reference (leading to its confirmation) and its state in words. */
export function VisitDetails({ visit, withReference = true }: { visit: AppointmentView; withReference?: boolean }) {
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  return (
    <dl className="details">
      <div>
        <dt>{t('visit.when')}</dt>
        <dd>{fmt.dateTime(visit.start, visit.centre.timeZone)}</dd>
      </div>
      <div>
        <dt>{t('visit.where')}</dt>
        <dd>
          {visit.centre.name}
          <br />
          {addressLine(visit.centre.address)}
        </dd>
      </div>
      <div>
        <dt>{t('visit.vaccine')}</dt>
        <dd>{vaccineName(vaccines, visit.vaccineId)}</dd>
      </div>
      {withReference ? (
        <div>
          <dt>{t('visit.reference')}</dt>
          <dd>
            <Link href={bookingPath(visit.reference)} translate="no">
              {visit.reference}
            </Link>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t('visit.status')}</dt>
        <dd className={`visit-status visit-status-${visit.status}`}>{t(STATUS[visit.status])}</dd>
      </div>
      {visit.status === 'cancelled' && visit.cancellationCause ? (
        <div>
          <dt>{t('visit.reason')}</dt>
          <dd>
            {visit.cancellationCause.note === null
              ? t(`visit.cause.${visit.cancellationCause.code}`)
              : t('visit.cause.note', {
                  cause: t(`visit.cause.${visit.cancellationCause.code}`),
                  note: visit.cancellationCause.note,
                })}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
