import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useApp, useDesk, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import type { Visit } from '../lib/day.ts';
import { describeError, fieldOf } from '../lib/error-messages.ts';
import { lastLot, rememberLot } from '../lib/lot-memory.ts';
import { clockIn, instantAt } from '../lib/zoned-time.ts';
import { ErrorMessage } from './error-message.tsx';

export type VisitChange = Pick<Visit, 'appointmentId' | 'status' | 'checkedInAt'>;

/**
 * Recording a vaccination: the product booked, the lot number of the last recording of that product on
 * this device, the time now — so that a typical patient takes one tap. The time can be changed (a dose
 * given a while ago), in the centre's zone.
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
  const remembered = useState(() => lastLot(localStorage, visit.vaccineId))[0];
  const [lot, setLot] = useState(remembered ?? '');
  const [time, setTime] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const timeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusOnShow) heading.current?.focus();
  }, [focusOnShow]);

  const fieldError = (name: 'lot' | 'at') => (error && fieldOf(error) === name ? describeError(error, t, fmt) : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const typed = lot.trim().toUpperCase();
    const at = time ? instantAt(visit.localStart.slice(0, 10), time, centre.timeZone) : undefined;
    api
      .call('complete', {
        params: { centreId: centre.id, appointmentId: visit.appointmentId },
        body: { vaccineId: visit.vaccineId, lot: typed, site: 'left_deltoid', ...(at ? { at } : {}) },
      })
      .then(
        (updated) => {
          rememberLot(localStorage, visit.vaccineId, typed);
          onRecorded({ appointmentId: updated.id, status: updated.status, checkedInAt: updated.checkedInAt });
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure);
        },
      );
  };

  const product = t('visit.dose', { vaccine: vaccineName(vaccines, visit.vaccineId), dose: visit.dose });
  const sameAsLast = remembered !== null && lot === remembered;

  return (
    <form className="record-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('record.title')}
      </h3>
      <p className="record-product">
        <span className="record-label">{t('record.product')}</span> {product}
      </p>
      <Field
        id={`${id}-lot`}
        label={t('record.lot')}
        hint={sameAsLast ? t('record.lot.same') : t('record.lot.hint')}
        error={fieldError('lot')}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            className="input-lot"
            value={lot}
            onChange={(event) => setLot(event.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
          />
        )}
      </Field>
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
      {error && fieldOf(error) !== 'lot' && fieldOf(error) !== 'at' ? <ErrorMessage error={error} /> : null}
      <button type="submit" className="button button-primary button-wide" aria-disabled={busy || undefined}>
        {t('record.submit')}
      </button>
    </form>
  );
}
