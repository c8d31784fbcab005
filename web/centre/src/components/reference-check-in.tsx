import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { clockOf, type Visit } from '../lib/day.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { checkReference, groupedReference, type ReferenceCheck } from '../lib/reference.ts';
import { ErrorMessage } from './error-message.tsx';
import type { VisitChange } from './record-form.tsx';
import { VisitActions } from './visit-actions.tsx';
import { StatusBadge } from './visit-row.tsx';

/**
 * Check-in by the booking reference a patient shows or reads out: typed any way (spaces, dashes, lower
 * case), checked here first, then looked up at this centre; the visits found come with who the person
 * should be and what to do next. `scanner` is the place of the QR code scanner's button.
 */
export function ReferenceCheckIn({
  today,
  onChanged,
  scanner,
}: {
  today: string;
  onChanged: (change: VisitChange) => void;
  scanner?: ReactNode;
}) {
  const { api, vaccines } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const [typed, setTyped] = useState('');
  // What is wrong with the reference typed, kept as found (worded at render, in the current language).
  const [problem, setProblem] = useState<Exclude<ReferenceCheck, { ok: true }> | { refused: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [found, setFound] = useState<{ reference: string; visits: Visit[] } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const result = useRef<HTMLHeadingElement>(null);

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
    setProblem(null);
    setBusy(true);
    api.call('visitsByReference', { params: { centreId: centre.id, reference: checked.reference } }).then(
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

  const change = (update: VisitChange) => {
    setFound((shown) =>
      shown
        ? {
            ...shown,
            visits: shown.visits.map((v) => (v.appointmentId === update.appointmentId ? { ...v, ...update } : v)),
          }
        : shown,
    );
    onChanged(update);
  };

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
        {scanner ? <div className="scanner-slot">{scanner}</div> : null}
      </form>
      <Status>{busy ? t('loading') : null}</Status>
      {error ? <ErrorMessage error={error} /> : null}
      {found ? (
        <div className="reference-result">
          <h3 ref={result} tabIndex={-1}>
            {t.plural('reference.found', found.visits.length)}: {groupedReference(found.reference)}
          </h3>
          <ul className="found-visits">
            {found.visits.map((visit) => (
              <li key={visit.appointmentId} className="found-visit">
                <p className="found-when">
                  <strong>
                    {visit.localStart.slice(0, 10) === today
                      ? clockOf(visit.localStart)
                      : `${fmt.date(visit.localStart.slice(0, 10))}, ${clockOf(visit.localStart)}`}
                  </strong>{' '}
                  · {t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose })}{' '}
                  <StatusBadge visit={visit} />
                </p>
                {visit.localStart.slice(0, 10) === today ? (
                  <VisitActions visit={visit} onChanged={change} />
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
