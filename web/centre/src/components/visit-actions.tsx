import { useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { type Visit, visitState } from '../lib/day.ts';
import { groupedReference } from '../lib/reference.ts';
import { ErrorMessage } from './error-message.tsx';
import { RecordForm, type VisitChange } from './record-form.tsx';

/** Who the person should be: what staff compare with the identity document before anything else. */
export function IdentityDetails({ visit }: { visit: Visit }) {
  const { t, fmt } = useI18n();
  const { patient } = visit;
  return (
    <div className="identity">
      {visit.identityCheck ? (
        <div className="identity-check" role="note">
          <p className="identity-check-title">{t('visit.identityCheck')}</p>
          <p>{t('visit.identityCheck.text', { phone: visit.identityCheck.bookedByPhone })}</p>
        </div>
      ) : null}
      <p className="identity-title">{t('visit.compare')}</p>
      <dl className="identity-list">
        <div>
          <dt>{t('visit.name')}</dt>
          <dd>
            {patient.givenName} {patient.familyName}
          </dd>
        </div>
        <div>
          <dt>{t('visit.birthDate')}</dt>
          <dd>{patient.birthDate ? fmt.date(patient.birthDate) : '—'}</dd>
        </div>
        <div>
          <dt>{t('visit.pesel')}</dt>
          <dd className="pesel">{patient.pesel}</dd>
        </div>
        <div>
          <dt>{t('reference.label')}</dt>
          <dd className="reference">{groupedReference(visit.reference)}</dd>
        </div>
      </dl>
    </div>
  );
}

/**
 * What the desk can do with a visit now: check the person in (or mark them missing), then record the
 * vaccination. Each step answers with the visit's new state, which the list shows at once.
 */
export function VisitActions({ visit, onChanged }: { visit: Visit; onChanged: (change: VisitChange) => void }) {
  const { api } = useApp();
  const { centre } = useDesk();
  const { t } = useI18n();
  const [busy, setBusy] = useState<'checkIn' | 'noShow' | null>(null);
  const [error, setError] = useState<unknown>(null);
  // What was just done, kept as words to say (not said ones), so that a change of language rewords it.
  const [done, setDone] = useState<'visit.checkedIn' | 'visit.markedNoShow' | 'visit.recorded' | null>(null);
  const [checkedInHere, setCheckedInHere] = useState(false);
  const said = useRef<HTMLParagraphElement>(null);
  const state = visitState(visit);
  const name = `${visit.patient.givenName} ${visit.patient.familyName}`;
  const params = { centreId: centre.id, appointmentId: visit.appointmentId };

  const act = (action: 'checkIn' | 'noShow') => {
    if (busy) return;
    setBusy(action);
    setError(null);
    api.call(action, { params }).then(
      (updated) => {
        setBusy(null);
        setDone(action === 'checkIn' ? 'visit.checkedIn' : 'visit.markedNoShow');
        if (action === 'checkIn') setCheckedInHere(true);
        // The buttons are gone: focus goes to what was done rather than to the top of the page.
        else requestAnimationFrame(() => said.current?.focus());
        onChanged({ appointmentId: updated.id, status: updated.status, checkedInAt: updated.checkedInAt });
      },
      (failure: unknown) => {
        setBusy(null);
        setError(failure);
      },
    );
  };

  return (
    <div className="visit-actions">
      {state === 'booked' || state === 'checkedIn' ? <IdentityDetails visit={visit} /> : null}
      <Status>
        {done ? (
          <p ref={said} tabIndex={-1} className="done">
            {t(done, { name })}
          </p>
        ) : null}
      </Status>
      {state === 'booked' ? (
        <div className="action-row">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy !== null || undefined}
            onClick={() => act('checkIn')}
          >
            {t('visit.checkIn')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={busy !== null || undefined}
            onClick={() => act('noShow')}
          >
            {t('visit.noShow')}
          </button>
        </div>
      ) : null}
      {state === 'checkedIn' ? (
        <RecordForm
          visit={visit}
          focusOnShow={checkedInHere}
          onRecorded={(change) => {
            setDone('visit.recorded');
            onChanged(change);
          }}
        />
      ) : null}
      {/* Said once: the announcement of what was just done, else the visit's outcome. */}
      {state === 'vaccinated' && !done ? <p className="outcome outcome-done">{t('visit.done.vaccinated')}</p> : null}
      {state === 'noShow' && !done ? <p className="outcome">{t('visit.done.noShow')}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
