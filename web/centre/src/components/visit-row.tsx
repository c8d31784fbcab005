import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { clockOf, type Visit, visitState } from '../lib/day.ts';
import type { DeskVisit } from '../lib/desk-changes.ts';
import { VisitActions } from './visit-actions.tsx';

const STATUS_KEY = {
  booked: 'status.booked',
  checkedIn: 'status.checkedIn',
  vaccinated: 'status.vaccinated',
  notGiven: 'status.notGiven',
  noShow: 'status.noShow',
} as const;

/** The visit's state as a badge: in words, the colour only repeating them. */
export function StatusBadge({ visit }: { visit: Visit }) {
  const { t } = useI18n();
  const state = visitState(visit);
  return <span className={`badge badge-${state}`}>{t(STATUS_KEY[state])}</span>;
}

/** A change of the visit made on this device and not yet sent. */
export function WaitingBadge() {
  const { t } = useI18n();
  return <span className="badge badge-waiting">{t('status.waiting')}</span>;
}

/**
 * One visit of the day: a button with the time, the name, the product and the state, which opens what
 * can be done with it below (the list stays where it is; the open one stays open across refreshes).
 */
export function VisitRow({ visit, open, onToggle }: { visit: DeskVisit; open: boolean; onToggle: () => void }) {
  const { vaccines } = useApp();
  const { t } = useI18n();
  const panel = `visit-${visit.appointmentId}`;
  const state = visitState(visit);
  return (
    <li
      className={`visit visit-${state}${open ? ' visit-open' : ''}${visit.waiting ? ' visit-waiting' : ''}`}
      data-appointment={visit.appointmentId}
    >
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
          {visit.corrections.length > 0 ? <span className="flag-corrected">{t('visit.corrected.flag')}</span> : null}
        </span>
        <span className="visit-badges">
          <StatusBadge visit={visit} />
          {visit.waiting ? <WaitingBadge /> : null}
        </span>
      </button>
      {open ? (
        <div id={panel} className="visit-panel">
          <VisitActions visit={visit} />
        </div>
      ) : null}
    </li>
  );
}
