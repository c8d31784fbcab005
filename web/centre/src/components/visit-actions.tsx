import type { VaccinationWarning } from '@ereg/shared';
import { useEffect, useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { useI18n } from '../i18n/index.ts';
import { type Visit, type VisitState, visitState } from '../lib/day.ts';
import type { DeskChange, DeskVisit } from '../lib/desk-changes.ts';
import { type SubmitOutcome, useDeskSync } from '../lib/desk-sync.ts';
import { groupedReference } from '../lib/reference.ts';
import { CorrectionForm } from './correction-form.tsx';
import { ErrorMessage } from './error-message.tsx';
import { NotGivenForm } from './not-given-form.tsx';
import { RecordForm } from './record-form.tsx';
import { RecordedDetails, WarningsNote } from './recorded-details.tsx';

/** Who the person should be: what staff compare with the identity document before anything else. */
export function IdentityDetails({ visit }: { visit: Visit }) {
  const { t, fmt } = useI18n();
  const { patient } = visit;
  return (
    <div className="identity">
      {visit.identityCheck ? (
        <div className="identity-check" role="note">
          <p className="identity-check-title">{t('visit.identityCheck')}</p>
          <p>
            {visit.identityCheck.channel === 'phone'
              ? t('visit.identityCheck.phone')
              : t('visit.identityCheck.sms', { phone: visit.identityCheck.bookedByPhone })}
          </p>
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

type Done = 'visit.checkedIn' | 'visit.markedNoShow' | 'visit.recorded' | 'visit.markedNotGiven' | 'visit.corrected';

/** What was just done, kept as words to say (not said ones), so that a change of language rewords it. */
interface Said {
  done: Done;
  /** Kept on the device, to be sent when the network is back. */
  waiting: boolean;
  warnings: readonly VaccinationWarning[];
}

/**
 * What the desk can do with a visit now: check the person in (or mark them missing), then record the
 * vaccination or that it was not given; a recording can be corrected. Every change goes through the
 * desk's outbox: the visit shows its new state at once, "waiting to send" while there is no network.
 */
export function VisitActions({ visit }: { visit: DeskVisit }) {
  const desk = useDeskSync();
  const { t } = useI18n();
  const [busy, setBusy] = useState<'checkIn' | 'noShow' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState<Said | null>(null);
  const [checkedInHere, setCheckedInHere] = useState(false);
  const [form, setForm] = useState<'notGiven' | 'correct' | null>(null);
  // While a form's change is on its way, the panel stays as it was: the form stays to show a refusal at its field.
  const [holding, setHolding] = useState<VisitState | null>(null);
  const saidRef = useRef<HTMLParagraphElement>(null);
  const mounted = useRef(true);
  const state = holding ?? visitState(visit);
  const name = `${visit.patient.givenName} ${visit.patient.familyName}`;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const finished = (done: Done, outcome: Exclude<SubmitOutcome, { state: 'refused' }>, focus = true) => {
    if (!mounted.current) return;
    const warnings = outcome.state === 'sent' ? (outcome.answer.completion?.warnings ?? []) : [];
    setSaid({ done, waiting: outcome.state === 'waiting', warnings: done === 'visit.recorded' ? warnings : [] });
    setForm(null);
    // The form or buttons are gone: focus goes to what was done rather than to the top of the page.
    if (focus) requestAnimationFrame(() => saidRef.current?.focus());
  };

  const submitChange = async (change: DeskChange): Promise<SubmitOutcome> => {
    setHolding(visitState(visit));
    try {
      return await desk.submit(visit, change);
    } finally {
      if (mounted.current) setHolding(null);
    }
  };

  const act = async (action: 'checkIn' | 'noShow') => {
    if (busy) return;
    setBusy(action);
    setError(null);
    const outcome = await desk.submit(
      visit,
      action === 'checkIn' ? { kind: 'checkIn', body: { at: desk.serverNow().toISOString() } } : { kind: 'noShow' },
    );
    if (!mounted.current) return;
    setBusy(null);
    if (outcome.state === 'refused') {
      desk.dismiss(outcome.changeId);
      setError(outcome.error);
      return;
    }
    if (action === 'checkIn') setCheckedInHere(true);
    // After a check-in the recording form takes focus; after a no-show, what was done.
    finished(action === 'checkIn' ? 'visit.checkedIn' : 'visit.markedNoShow', outcome, action === 'noShow');
  };

  return (
    <div className="visit-actions">
      {state === 'booked' || state === 'checkedIn' ? <IdentityDetails visit={visit} /> : null}
      <Status>
        {said ? (
          <p ref={saidRef} tabIndex={-1} className={said.waiting ? 'done done-waiting' : 'done'}>
            {t(said.done, { name })}
            {said.waiting ? ` ${t('visit.kept')}` : ''}
          </p>
        ) : null}
      </Status>
      {visit.waiting && !said?.waiting ? <p className="note note-waiting">{t('visit.waiting')}</p> : null}
      {said && said.warnings.length > 0 ? <WarningsNote warnings={said.warnings} /> : null}
      {state === 'booked' ? (
        <div className="action-row">
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy !== null || undefined}
            onClick={() => void act('checkIn')}
          >
            {t('visit.checkIn')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            aria-disabled={busy !== null || undefined}
            onClick={() => void act('noShow')}
          >
            {t('visit.noShow')}
          </button>
        </div>
      ) : null}
      {state === 'checkedIn' && form !== 'notGiven' ? (
        <>
          <RecordForm
            visit={visit}
            submitChange={submitChange}
            focusOnShow={checkedInHere}
            onDone={(outcome) => finished('visit.recorded', outcome)}
          />
          <button type="button" className="button button-secondary button-wide" onClick={() => setForm('notGiven')}>
            {t('notGiven.open')}
          </button>
        </>
      ) : null}
      {state === 'checkedIn' && form === 'notGiven' ? (
        <NotGivenForm
          submitChange={submitChange}
          onDone={(outcome) => finished('visit.markedNotGiven', outcome)}
          onCancel={() => setForm(null)}
        />
      ) : null}
      {state === 'vaccinated' ? (
        <VaccinatedVisit
          visit={visit}
          said={said}
          form={form}
          setForm={setForm}
          finished={finished}
          submitChange={submitChange}
        />
      ) : null}
      {/* Said once: the announcement of what was just done, else the visit's outcome. */}
      {state === 'notGiven' && !said ? (
        <p className="outcome">
          {visit.notGiven
            ? t('visit.done.notGiven.reason', { reason: t(`notGiven.because-${visit.notGiven.reason}`) })
            : t('visit.done.notGiven')}
          {visit.notGiven?.note ? ` — ${visit.notGiven.note}` : ''}
        </p>
      ) : null}
      {state === 'noShow' && !said ? <p className="outcome">{t('visit.done.noShow')}</p> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

/** A vaccinated visit: the recording (with its warnings and corrections), and correcting it. */
function VaccinatedVisit({
  visit,
  said,
  form,
  setForm,
  finished,
  submitChange,
}: {
  visit: DeskVisit;
  submitChange: (change: DeskChange) => Promise<SubmitOutcome>;
  said: Said | null;
  form: 'notGiven' | 'correct' | null;
  setForm: (form: 'correct' | null) => void;
  finished: (done: Done, outcome: Exclude<SubmitOutcome, { state: 'refused' }>) => void;
}) {
  const { t } = useI18n();
  if (!visit.completion) {
    // Recorded on this device and not yet sent: the details come with the API's answer.
    return said ? null : <p className="outcome outcome-done">{t('visit.done.vaccinated')}</p>;
  }
  if (form === 'correct') {
    return (
      <CorrectionForm
        visit={visit}
        completion={visit.completion}
        submitChange={submitChange}
        onDone={(outcome) => finished('visit.corrected', outcome)}
        onCancel={() => setForm(null)}
      />
    );
  }
  return (
    <>
      {said ? null : <p className="outcome outcome-done">{t('visit.done.vaccinated')}</p>}
      {/* Warnings just announced are not repeated below. */}
      <RecordedDetails
        visit={said?.warnings.length ? { ...visit, completion: { ...visit.completion, warnings: [] } } : visit}
      />
      <button type="button" className="button button-secondary" onClick={() => setForm('correct')}>
        {t('correct.open')}
      </button>
    </>
  );
}
