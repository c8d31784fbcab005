import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { clockOf, type Visit, visitState } from '../lib/day.ts';
import type { VisitChange } from './record-form.tsx';
import { VisitActions } from './visit-actions.tsx';

const STATUS_KEY = {
  booked: 'status.booked',
  checkedIn: 'status.checkedIn',
  vaccinated: 'status.vaccinated',
  noShow: 'status.noShow',
} as const;

/** The visit's state as a badge: in words, the colour only repeating them. */
export function StatusBadge({ visit }: { visit: Visit }) {
  const { t } = useI18n();
  const state = visitState(visit);
  return <span className={`badge badge-${state}`}>{t(STATUS_KEY[state])}</span>;
}

/**
 * One visit of the day: a button with the time, the name, the product and the state, which opens what
 * can be done with it below (the list stays where it is; the open one stays open across refreshes).
 */
export function VisitRow({
  visit,
  open,
  onToggle,
  onChanged,
}: {
  visit: Visit;
  open: boolean;
  onToggle: () => void;
  onChanged: (change: VisitChange) => void;
}) {
  const { vaccines } = useApp();
  const { t } = useI18n();
  const panel = `visit-${visit.appointmentId}`;
  const state = visitState(visit);
  return (
    <li className={`visit visit-${state}${open ? ' visit-open' : ''}`}>
      <button type="button" className="visit-summary" aria-expanded={open} aria-controls={panel} onClick={onToggle}>
        <span className="visit-time">{clockOf(visit.localStart)}</span>
        <span className="visit-main">
          <span className="visit-name">
            {visit.patient.familyName} {visit.patient.givenName}
          </span>
          <span className="visit-meta">
            {t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose })}
          </span>
          {visit.identityCheck && state === 'booked' ? (
            <span className="flag-identity">{t('visit.identityCheck')}</span>
          ) : null}
        </span>
        <StatusBadge visit={visit} />
      </button>
      {open ? (
        <div id={panel} className="visit-panel">
          <VisitActions visit={visit} onChanged={onChanged} />
        </div>
      ) : null}
    </li>
  );
}
