import type { RouteResponse } from '@ereg/shared';
import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { groupedReference } from '../lib/reference.ts';

export type CancelledVisit = RouteResponse<'previewSchedule'>['cancellations'][number];

/** Visits a change cancels (or would), each named: day and time, the patient, the booking reference, the dose. */
export function ScheduleCancelledList({ visits }: { visits: readonly CancelledVisit[] }) {
  const { vaccines } = useApp();
  const { t, fmt } = useI18n();
  return (
    <ul className="cancelled-visits">
      {visits.map((visit) => (
        <li key={visit.appointmentId} className="cancelled-visit">
          <span className="cancelled-when">
            <span className="visit-time">{visit.time}</span> <span>{fmt.date(visit.date)}</span>
          </span>
          <span className="visit-name">{visit.patientName ?? t('schedule.cancelled.noName')}</span>
          <span className="visit-meta">
            {t('visit.reference', { reference: groupedReference(visit.reference) })} ·{' '}
            {t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose })}
          </span>
          {visit.laterDose ? <span className="visit-meta">{t('schedule.cancelled.laterDose')}</span> : null}
        </li>
      ))}
    </ul>
  );
}
