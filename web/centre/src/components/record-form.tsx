import type { BatchView, InjectionSite } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { Visit } from '../lib/day.ts';
import type { DeskChange } from '../lib/desk-changes.ts';
import { recall, remember } from '../lib/desk-memory.ts';
import { type SubmitOutcome, useDeskSync } from '../lib/desk-sync.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { clockIn, instantAt } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';

export const SITES: readonly InjectionSite[] = ['left_deltoid', 'right_deltoid', 'left_thigh', 'right_thigh'];

/** The batches a dose of the product may come from on a day: active, not past their last day, with doses left; soonest to expire first. */
export function usableBatches(batches: readonly BatchView[], vaccineId: string, day: string): BatchView[] {
  return batches
    .filter((b) => b.vaccineId === vaccineId && b.status === 'active' && b.expiry >= day && b.remaining > 0)
    .sort((a, b) => a.expiry.localeCompare(b.expiry) || a.number.localeCompare(b.number));
}

/**
 * When a dose given "now" was given, on the server's clock as far as the device knows it, never before
 * the check-in: a recording kept on the device and sent later keeps the moment it was made.
 */
export function givenNow(serverNow: Date, checkedInAt: string | null): string {
  const at = serverNow.toISOString();
  return checkedInAt && checkedInAt > at ? checkedInAt : at;
}

/**
 * Recording a vaccination: the product booked, the batch of the last recording of that product on this
 * device (else the batch that expires first), the site and who vaccinated as last time, the time now —
 * so that a typical patient takes one tap. The time can be changed (a dose given a while ago), in the
 * centre's zone. The batches and staff come from the copy kept on the device when the network is down.
 */
export function RecordForm({
  visit,
  submitChange,
  onDone,
  focusOnShow,
}: {
  visit: Visit;
  /** Sends the change through the desk's outbox; the visit's panel holds the form in place meanwhile. */
  submitChange: (change: DeskChange) => Promise<SubmitOutcome>;
  onDone: (outcome: Exclude<SubmitOutcome, { state: 'refused' }>) => void;
  focusOnShow: boolean;
}) {
  const { localStorage, now, vaccines } = useApp();
  const { centre, staffId } = useDesk();
  const desk = useDeskSync();
  const { t, fmt } = useI18n();
  const id = useId();
  const day = visit.localStart.slice(0, 10);
  const { batches, staff } = desk;
  const usable = batches.status === 'ready' ? usableBatches(batches.data, visit.vaccineId, day) : [];
  const remembered = useState(() => recall(localStorage, `batch.${visit.vaccineId}`))[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const batchId = chosen ?? usable.find((b) => b.id === remembered)?.id ?? usable[0]?.id ?? '';
  const [site, setSite] = useState<InjectionSite>(() => {
    const last = recall(localStorage, 'site');
    return SITES.find((s) => s === last) ?? 'left_deltoid';
  });
  const members = staff.status === 'ready' ? staff.data : [];
  const [vaccinator, setVaccinator] = useState<string | null>(() => recall(localStorage, 'vaccinator'));
  const vaccinatorId = members.some((m) => m.id === vaccinator) ? (vaccinator as string) : staffId;
  const [time, setTime] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const timeInput = useRef<HTMLInputElement>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    if (focusOnShow) heading.current?.focus();
    return () => {
      mounted.current = false;
    };
  }, [focusOnShow]);

  const fieldError = (name: 'batchId' | 'site' | 'at' | 'vaccinatorId') =>
    error && fieldOf(error) === name ? describeError(error, t, fmt) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || batchId === '') return;
    setBusy(true);
    setError(null);
    const at = time ? instantAt(day, time, centre.timeZone) : givenNow(desk.serverNow(), visit.checkedInAt);
    const body = {
      vaccineId: visit.vaccineId,
      batchId,
      site,
      at,
      ...(vaccinatorId !== staffId ? { vaccinatorId } : {}),
    };
    const outcome = await submitChange({ kind: 'complete', body });
    if (outcome.state !== 'refused') {
      remember(localStorage, `batch.${visit.vaccineId}`, batchId);
      remember(localStorage, 'site', site);
      remember(localStorage, 'vaccinator', vaccinatorId);
    }
    if (outcome.state === 'refused') {
      // Refused while the person looks at the form: said here, at its field, so it leaves the outbox.
      if (!mounted.current) return;
      desk.dismiss(outcome.changeId);
      setBusy(false);
      setError(outcome.error);
      return;
    }
    onDone(outcome);
  };

  const product = t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose });
  const sameAsLast = remembered !== null && batchId === remembered;

  return (
    <form className="record-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('record.title')}
      </h3>
      <p className="record-product">
        <span className="record-label">{t('record.product')}</span> {product}
      </p>
      {batches.status === 'loading' ? (
        <p role="status">{t('record.batch.loading')}</p>
      ) : batches.status === 'failed' ? (
        <ErrorMessage error={batches.error} />
      ) : usable.length === 0 ? (
        <p className="notice notice-warning">{t('record.batch.none')}</p>
      ) : (
        <Field
          id={`${id}-batch`}
          label={t('record.batch')}
          hint={sameAsLast ? t('record.batch.same') : null}
          error={fieldError('batchId')}
        >
          {(control) => (
            <select {...control} value={batchId} onChange={(event) => setChosen(event.target.value)}>
              {usable.map((b) => (
                <option key={b.id} value={b.id}>
                  {t('record.batch.option', { number: b.number, expiry: fmt.date(b.expiry), remaining: b.remaining })}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <SiteChoice name={`${id}-site`} value={site} onChange={setSite} error={fieldError('site')} />
      {members.length > 1 ? (
        <Field id={`${id}-vaccinator`} label={t('record.vaccinator')} error={fieldError('vaccinatorId')}>
          {(control) => (
            <select {...control} value={vaccinatorId} onChange={(event) => setVaccinator(event.target.value)}>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id === staffId ? t('record.vaccinator.me', { name: m.name }) : m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {time === null ? (
        <p className="record-time">
          <span className="record-label">{t('record.time')}</span> {t('record.time.now')} (
          {clockIn(now(), centre.timeZone)}){' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setTime(clockIn(now(), centre.timeZone));
              requestAnimationFrame(() => timeInput.current?.focus());
            }}
          >
            {t('record.time.change')}
          </button>
        </p>
      ) : (
        <Field id={`${id}-at`} label={t('record.time')} error={fieldError('at')}>
          {(control) => (
            <div className="time-row">
              <input
                {...control}
                ref={timeInput}
                type="time"
                value={time}
                onChange={(event) => setTime(event.target.value || null)}
                required
              />
              <button type="button" className="link-button" onClick={() => setTime(null)}>
                {t('record.time.useNow')}
              </button>
            </div>
          )}
        </Field>
      )}
      {error && fieldOf(error) === null ? <ErrorMessage error={error} /> : null}
      <button
        type="submit"
        className="button button-primary button-wide"
        aria-disabled={busy || batchId === '' || undefined}
      >
        {t('record.submit')}
      </button>
    </form>
  );
}

/** The injection site, as four large choices; an error names it. */
export function SiteChoice({
  name,
  value,
  onChange,
  error,
}: {
  name: string;
  value: InjectionSite;
  onChange: (site: InjectionSite) => void;
  error: string | null;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="site-choice" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{t('record.site')}</legend>
      {error ? (
        <p id={`${name}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      {SITES.map((option) => (
        <label key={option} className="site-option">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          {t(`record.site.${option}`)}
        </label>
      ))}
    </fieldset>
  );
}
