import type { BatchView, InjectionSite } from '@ereg/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { Visit } from '../lib/day.ts';
import { recall, remember } from '../lib/desk-memory.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { clockIn, instantAt } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';

export type VisitChange = Pick<Visit, 'appointmentId' | 'status' | 'checkedInAt'>;

const SITES: readonly InjectionSite[] = ['left_deltoid', 'right_deltoid', 'left_thigh', 'right_thigh'];

/** The batches a dose of the product may come from on a day: active, not past their last day, with doses left; soonest to expire first. */
export function usableBatches(batches: readonly BatchView[], vaccineId: string, day: string): BatchView[] {
  return batches
    .filter((b) => b.vaccineId === vaccineId && b.status === 'active' && b.expiry >= day && b.remaining > 0)
    .sort((a, b) => a.expiry.localeCompare(b.expiry) || a.number.localeCompare(b.number));
}

/**
 * Recording a vaccination: the product booked, the batch and the site of the last recording of that
 * product on this device (else the batch that expires first), the time now — so that a typical patient
 * takes one tap. The time can be changed (a dose given a while ago), in the centre's zone.
 */
export function RecordForm({
  visit,
  onRecorded,
  focusOnShow,
}: {
  visit: Visit;
  onRecorded: (change: VisitChange) => void;
  focusOnShow: boolean;
}) {
  const { api, localStorage, now, vaccines } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const day = visit.localStart.slice(0, 10);
  const batches = useLoad(`batches:${centre.id}`, () =>
    api.call('listBatches', { params: { centreId: centre.id } }).then((answer) => answer.batches),
  );
  const usable = batches.status === 'ready' ? usableBatches(batches.data, visit.vaccineId, day) : [];
  const remembered = useState(() => recall(localStorage, `batch.${visit.vaccineId}`))[0];
  const [chosen, setChosen] = useState<string | null>(null);
  const batchId = chosen ?? usable.find((b) => b.id === remembered)?.id ?? usable[0]?.id ?? '';
  const [site, setSite] = useState<InjectionSite>(() => {
    const last = recall(localStorage, 'site');
    return SITES.find((s) => s === last) ?? 'left_deltoid';
  });
  const [time, setTime] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const timeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusOnShow) heading.current?.focus();
  }, [focusOnShow]);

  const fieldError = (name: 'batchId' | 'site' | 'at') =>
    error && fieldOf(error) === name ? describeError(error, t, fmt) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || batchId === '') return;
    setBusy(true);
    setError(null);
    const at = time ? instantAt(visit.localStart.slice(0, 10), time, centre.timeZone) : undefined;
    api
      .call('complete', {
        params: { centreId: centre.id, appointmentId: visit.appointmentId },
        body: { vaccineId: visit.vaccineId, batchId, site, ...(at ? { at } : {}) },
      })
      .then(
        (updated) => {
          remember(localStorage, `batch.${visit.vaccineId}`, batchId);
          remember(localStorage, 'site', site);
          onRecorded({ appointmentId: updated.id, status: updated.status, checkedInAt: updated.checkedInAt });
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure);
        },
      );
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
      {batches.status === 'loading' || batches.status === 'idle' ? (
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
      <fieldset className="site-choice" aria-describedby={fieldError('site') ? `${id}-site-error` : undefined}>
        <legend>{t('record.site')}</legend>
        {fieldError('site') ? (
          <p id={`${id}-site-error`} className="field-error">
            {fieldError('site')}
          </p>
        ) : null}
        {SITES.map((option) => (
          <label key={option} className="site-option">
            <input
              type="radio"
              name={`${id}-site`}
              value={option}
              checked={site === option}
              onChange={() => setSite(option)}
            />
            {t(`record.site.${option}`)}
          </label>
        ))}
      </fieldset>
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
