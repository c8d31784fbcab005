import type { Completion, InjectionSite } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { Visit } from '../lib/day.ts';
import type { DeskChange } from '../lib/desk-changes.ts';
import { type SubmitOutcome, useDeskSync } from '../lib/desk-sync.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { clockIn, instantAt } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';
import { SiteChoice, usableBatches } from './record-form.tsx';

/** The shortest reason the API takes for a correction. */
const REASON_MIN = 3;

/**
 * Corrects a recorded vaccination — the batch, the dose number, the site, the time — with the reason;
 * the API keeps the recording it replaces. The form starts from the recording as it is.
 */
export function CorrectionForm({
  visit,
  completion,
  submitChange,
  onDone,
  onCancel,
}: {
  visit: Visit;
  completion: Completion;
  /** Sends the change through the desk's outbox; the visit's panel holds the form in place meanwhile. */
  submitChange: (change: DeskChange) => Promise<SubmitOutcome>;
  onDone: (outcome: Exclude<SubmitOutcome, { state: 'refused' }>) => void;
  onCancel: () => void;
}) {
  const { centre } = useDesk();
  const desk = useDeskSync();
  const { t, fmt } = useI18n();
  const id = useId();
  const day = visit.localStart.slice(0, 10);
  const batches = desk.batches.status === 'ready' ? desk.batches.data : [];
  const usable = usableBatches(batches, completion.vaccineId, day);
  // The batch recorded stays a choice even when it has run out since.
  const recorded = batches.find((b) => b.id === completion.batchId);
  const choices = recorded && !usable.includes(recorded) ? [recorded, ...usable] : usable;
  const [batchId, setBatchId] = useState(completion.batchId ?? choices[0]?.id ?? '');
  const [dose, setDose] = useState(String(completion.dose ?? visit.dose));
  const [site, setSite] = useState<InjectionSite>(completion.site ?? 'left_deltoid');
  const recordedTime = clockIn(new Date(completion.at), centre.timeZone);
  const [time, setTime] = useState(recordedTime);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<'dose' | 'reason' | 'at' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
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
    const doseNumber = Number(dose);
    const wrong =
      !Number.isInteger(doseNumber) || doseNumber < 1 || doseNumber > 10
        ? 'dose'
        : !/^\d{2}:\d{2}$/.test(time)
          ? 'at'
          : reason.trim().length < REASON_MIN
            ? 'reason'
            : null;
    setProblem(wrong);
    if (wrong) {
      document.getElementById(`${id}-${wrong}`)?.focus();
      return;
    }
    setBusy(true);
    const body = {
      vaccineId: completion.vaccineId,
      batchId,
      site,
      dose: doseNumber,
      reason: reason.trim(),
      ...(time !== recordedTime ? { at: instantAt(day, time, centre.timeZone) } : {}),
    };
    const outcome = await submitChange({ kind: 'correct', body });
    if (outcome.state === 'refused') {
      if (!mounted.current) return;
      desk.dismiss(outcome.changeId);
      setBusy(false);
      setError(outcome.error);
      return;
    }
    onDone(outcome);
  };

  const errorOf = (name: 'batchId' | 'dose' | 'at' | 'reason'): string | null => {
    if (problem === name) {
      if (name === 'dose') return t('correct.dose.invalid');
      if (name === 'reason') return t('correct.reason.required', { min: REASON_MIN });
      if (name === 'at') return t('error.INVALID_INSTANT');
    }
    return error && fieldOf(error) === name ? describeError(error, t, fmt) : null;
  };

  return (
    <form className="correction-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('correct.title')}
      </h3>
      <p className="hint">{t('correct.intro')}</p>
      <Field id={`${id}-batchId`} label={t('record.batch')} error={errorOf('batchId')}>
        {(control) => (
          <select {...control} value={batchId} onChange={(event) => setBatchId(event.target.value)}>
            {choices.map((b) => (
              <option key={b.id} value={b.id}>
                {t('record.batch.option', { number: b.number, expiry: fmt.date(b.expiry), remaining: b.remaining })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${id}-dose`} label={t('correct.dose')} error={errorOf('dose')}>
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={1}
            max={10}
            value={dose}
            onChange={(event) => setDose(event.target.value)}
            className="input-short"
          />
        )}
      </Field>
      <SiteChoice name={`${id}-site`} value={site} onChange={setSite} error={null} />
      <Field id={`${id}-at`} label={t('record.time')} error={errorOf('at')}>
        {(control) => (
          <input
            {...control}
            type="time"
            value={time}
            onChange={(event) => setTime(event.target.value)}
            className="input-short"
          />
        )}
      </Field>
      <Field id={`${id}-reason`} label={t('correct.reason')} hint={t('correct.reason.hint')} error={errorOf('reason')}>
        {(control) => (
          <textarea
            {...control}
            value={reason}
            maxLength={200}
            rows={2}
            required
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      {error && !['batchId', 'dose', 'at', 'reason'].includes(fieldOf(error) ?? '') ? (
        <ErrorMessage error={error} />
      ) : null}
      <div className="action-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {t('correct.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
