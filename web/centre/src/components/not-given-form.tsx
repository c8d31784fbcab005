import type { NotGivenReason } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useI18n } from '../i18n/index.ts';
import type { DeskChange } from '../lib/desk-changes.ts';
import { type SubmitOutcome, useDeskSync } from '../lib/desk-sync.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { ErrorMessage } from './error-message.tsx';

const REASONS: readonly NotGivenReason[] = ['declined', 'contraindication', 'unwell', 'other'];
/** The shortest note the API takes for "other". */
const NOTE_MIN = 3;

/**
 * The person came and was not vaccinated: why (declined, contraindication, unwell, or other with a
 * note), from a checked-in visit. Later doses booked after it are cancelled by the API, as the form says.
 */
export function NotGivenForm({
  submitChange,
  onDone,
  onCancel,
}: {
  /** Sends the change through the desk's outbox; the visit's panel holds the form in place meanwhile. */
  submitChange: (change: DeskChange) => Promise<SubmitOutcome>;
  onDone: (outcome: Exclude<SubmitOutcome, { state: 'refused' }>) => void;
  onCancel: () => void;
}) {
  const desk = useDeskSync();
  const { t, fmt } = useI18n();
  const id = useId();
  const [reason, setReason] = useState<NotGivenReason | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<'reason' | 'note' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const firstReason = useRef<HTMLInputElement>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    heading.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (reason === null) {
      setProblem('reason');
      firstReason.current?.focus();
      return;
    }
    if (reason === 'other' && note.trim().length < NOTE_MIN) {
      setProblem('note');
      noteInput.current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    const body = { reason, ...(reason === 'other' ? { note: note.trim() } : {}) };
    const outcome = await submitChange({ kind: 'notGiven', body });
    if (outcome.state === 'refused') {
      if (!mounted.current) return;
      desk.dismiss(outcome.changeId);
      setBusy(false);
      setError(outcome.error);
      return;
    }
    onDone(outcome);
  };

  const reasonError = problem === 'reason' ? t('notGiven.reason.required') : null;
  const noteError =
    problem === 'note'
      ? t('notGiven.note.required', { min: NOTE_MIN })
      : error && fieldOf(error) === 'note'
        ? describeError(error, t, fmt)
        : null;

  return (
    <form className="not-given-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('notGiven.title')}
      </h3>
      <p className="hint">{t('notGiven.intro')}</p>
      <fieldset className="reason-choice" aria-describedby={reasonError ? `${id}-reason-error` : undefined}>
        <legend>{t('notGiven.reason')}</legend>
        {reasonError ? (
          <p id={`${id}-reason-error`} className="field-error">
            {reasonError}
          </p>
        ) : null}
        {REASONS.map((option, index) => (
          <label key={option} className="site-option">
            <input
              ref={index === 0 ? firstReason : undefined}
              type="radio"
              name={`${id}-reason`}
              value={option}
              checked={reason === option}
              onChange={() => setReason(option)}
            />
            {t(`notGiven.because-${option}`)}
          </label>
        ))}
      </fieldset>
      {reason === 'other' ? (
        <Field id={`${id}-note`} label={t('notGiven.note')} hint={t('notGiven.note.hint')} error={noteError}>
          {(control) => (
            <textarea
              {...control}
              ref={noteInput}
              value={note}
              maxLength={200}
              rows={3}
              required
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </Field>
      ) : null}
      {error && fieldOf(error) !== 'note' ? <ErrorMessage error={error} /> : null}
      <div className="action-row">
        <button type="submit" className="button button-danger" aria-disabled={busy || undefined}>
          {t('notGiven.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
