import { type FormEvent, lazy, Suspense, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { clockOf, type Visit } from '../lib/day.ts';
import { useDeskSync } from '../lib/desk-sync.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { checkReference, groupedReference, type ReferenceCheck } from '../lib/reference.ts';
import { ErrorMessage } from './error-message.tsx';
import { VisitActions } from './visit-actions.tsx';
import { StatusBadge, WaitingBadge } from './visit-row.tsx';

// The scanner (and the decoder it loads) comes only when the camera is first asked for.
const QrScanner = lazy(() =>
  import('../../../shared/src/qr/qr-scanner.tsx').then((module) => ({ default: module.QrScanner })),
);

/**
 * Check-in by the booking reference a patient shows or reads out: typed any way (spaces, dashes, lower
 * case), checked here first, then looked up at this centre — or read from the booking's QR code with
 * the camera, which goes through the same look-up. The visits found come with who the person should be
 * and what to do next.
 */
export function ReferenceCheckIn({ today }: { today: string }) {
  const { api, vaccines } = useApp();
  const desk = useDeskSync();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const [typed, setTyped] = useState('');
  // What is wrong with the reference typed, kept as found (worded at render, in the current language).
  const [problem, setProblem] = useState<Exclude<ReferenceCheck, { ok: true }> | { refused: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [found, setFound] = useState<{ reference: string; visits: Visit[] } | null>(null);
  const [scanning, setScanning] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const result = useRef<HTMLHeadingElement>(null);
  const scanButton = useRef<HTMLButtonElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const checked = checkReference(typed);
    setError(null);
    if (!checked.ok) {
      setProblem(checked);
      input.current?.focus();
      return;
    }
    lookUp(checked.reference);
  };

  const scanned = (reference: string) => {
    setScanning(false);
    setTyped(reference);
    setError(null);
    lookUp(reference);
  };

  const lookUp = (reference: string) => {
    setProblem(null);
    setBusy(true);
    api.call('visitsByReference', { params: { centreId: centre.id, reference } }).then(
      (answer) => {
        setBusy(false);
        setFound({ reference: answer.reference, visits: answer.appointments });
        requestAnimationFrame(() => result.current?.focus());
      },
      (failure: unknown) => {
        setBusy(false);
        setFound(null);
        if (fieldOf(failure) === 'reference') setProblem({ refused: failure });
        else setError(failure);
        input.current?.focus();
      },
    );
  };

  const problemText =
    problem === null
      ? null
      : 'refused' in problem
        ? describeError(problem.refused, t, fmt)
        : problem.problem === 'length'
          ? t('reference.invalid.length', { count: problem.count })
          : t(`reference.invalid.${problem.problem}`, { character: problem.character });

  return (
    <section className="reference-check-in" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('reference.title')}</h2>
      <form onSubmit={submit} noValidate className="reference-form">
        <Field id={`${id}-reference`} label={t('reference.label')} hint={t('reference.hint')} error={problemText}>
          {(control) => (
            <div className="reference-row">
              <input
                {...control}
                ref={input}
                type="text"
                className="input-reference"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                // The next patient's reference replaces the last one as it is typed.
                onFocus={(event) => event.target.select()}
                autoComplete="off"
                autoCapitalize="characters"
                autoCorrect="off"
                spellCheck={false}
                enterKeyHint="search"
                maxLength={20}
              />
              <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
                {t('reference.find')}
              </button>
            </div>
          )}
        </Field>
        <button
          ref={scanButton}
          type="button"
          className="button button-secondary button-scan"
          aria-expanded={scanning}
          onClick={() => setScanning((open) => !open)}
        >
          <span aria-hidden="true" className="scan-icon">
            ▣
          </span>{' '}
          {t('reference.scan')}
        </button>
      </form>
      {scanning ? (
        <Suspense fallback={<Status>{t('qr.starting')}</Status>}>
          <QrScanner
            text={{
              title: t('qr.title'),
              starting: t('qr.starting'),
              looking: t('qr.looking'),
              noCamera: t('qr.noCamera'),
              notAReference: t('qr.notAReference'),
              noCodeInPhoto: t('qr.noCodeInPhoto'),
              photo: t('qr.photo'),
              close: t('qr.close'),
            }}
            onReference={scanned}
            onClose={() => {
              setScanning(false);
              scanButton.current?.focus();
            }}
          />
        </Suspense>
      ) : null}
      <Status>{busy ? t('loading') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
      {found ? (
        <div className="reference-result">
          <h3 ref={result} tabIndex={-1}>
            {t.plural('reference.found', found.visits.length)}: {groupedReference(found.reference)}
          </h3>
          <ul className="found-visits">
            {found.visits.map(desk.view).map((visit) => (
              <li key={visit.appointmentId} className="found-visit">
                <p className="found-when">
                  <strong>
                    {visit.localStart.slice(0, 10) === today
                      ? clockOf(visit.localStart)
                      : `${fmt.date(visit.localStart.slice(0, 10))}, ${clockOf(visit.localStart)}`}
                  </strong>{' '}
                  · {t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose })}{' '}
                  <StatusBadge visit={visit} />
                  {visit.waiting ? <WaitingBadge /> : null}
                </p>
                {visit.localStart.slice(0, 10) === today ? (
                  <VisitActions visit={visit} />
                ) : visit.status === 'booked' ? (
                  <p className="note">{t('reference.otherDay', { date: fmt.date(visit.localStart.slice(0, 10)) })}</p>
                ) : null}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setFound(null);
              setTyped('');
              input.current?.focus();
            }}
          >
            {t('reference.close')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
