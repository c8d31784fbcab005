import type { CentreSchedule, RouteResponse } from '@ereg/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { todayIn } from '../lib/day.ts';
import { describeManagerError, errorField } from '../lib/manager-errors.ts';
import { withDayClosed } from '../lib/schedule-form.ts';
import { clockIn } from '../lib/zoned-time.ts';
import { ManagerError } from './manager-error.tsx';
import { type CancelledVisit, ScheduleCancelledList } from './schedule-cancelled-list.tsx';

type Closed = RouteResponse<'cancelDay'>;

/** What is to be closed: a whole date, or today from a time on. */
interface Closing {
  date: string;
  from: string | null;
}

/**
 * Closing a day, or the rest of today from now: the manager picks which and gives the reason the
 * patients will read, sees the visits it cancels (rehearsed on the schedule, nothing written), agrees,
 * and then sees what was done. Each patient is sent the soonest free times and a link to book again.
 */
export function ScheduleCloseDay({ schedule, onClosed }: { schedule: CentreSchedule; onClosed: () => void }) {
  const { api, now } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const confirmBox = useRef<HTMLInputElement>(null);
  const today = todayIn(centre.timeZone, now());
  const [mode, setMode] = useState<'rest' | 'day'>('rest');
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ date?: string; reason?: string }>({});
  const [checked, setChecked] = useState<{ closing: Closing; visits: CancelledVisit[] } | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [busy, setBusy] = useState<'check' | 'close' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [closed, setClosed] = useState<Closed | null>(null);

  const wanted = (): Closing =>
    mode === 'rest' ? { date: today, from: clockIn(now(), centre.timeZone) } : { date, from: null };
  // What was checked stays shown while the choice is still the same (the rest of today from any time).
  const matches = (c: Closing) =>
    mode === 'rest' ? c.from !== null && c.date === today : c.from === null && c.date === date;
  const shown = checked && matches(checked.closing) ? checked : null;

  const checkFields = (): boolean => {
    const found: { date?: string; reason?: string } = {};
    if (mode === 'day' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) found.date = t('schedule.close.date.missing');
    else if (mode === 'day' && date < today) found.date = t('manager.error.DAY_IN_PAST');
    if (reason.trim().length < 3) found.reason = t('manager.error.REASON_REQUIRED');
    setProblems(found);
    const first = found.date ? 'date' : found.reason ? 'reason' : null;
    if (first) document.getElementById(`${id}-${first}`)?.focus();
    return first === null;
  };

  const showFailure = (error: unknown) => {
    const field = errorField(error);
    if (field === 'reason' || field === 'date') setProblems({ [field]: describeManagerError(error, t, fmt) });
    else setFailure(error);
  };

  const check = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    setClosed(null);
    if (!checkFields()) return;
    const closing = wanted();
    setBusy('check');
    try {
      const preview = await api.call('previewSchedule', {
        params: { centreId: centre.id },
        body: withDayClosed(schedule, closing.date, closing.from),
      });
      setChecked({ closing, visits: preview.cancellations });
      setConfirmed(false);
      setUnconfirmed(false);
    } catch (error) {
      showFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const close = async () => {
    if (busy || !shown) return;
    if (shown.visits.length > 0 && !confirmed) {
      setUnconfirmed(true);
      confirmBox.current?.focus();
      return;
    }
    if (!checkFields()) return;
    setBusy('close');
    setFailure(null);
    try {
      const { date: day, from } = shown.closing;
      const result = await api.call('cancelDay', {
        params: { centreId: centre.id, date: day },
        body: { reason: reason.trim(), ...(from ? { from } : {}) },
      });
      setClosed(result);
      setChecked(null);
      setReason('');
      onClosed();
    } catch (error) {
      showFailure(error);
    } finally {
      setBusy(null);
    }
  };

  const what = (closing: Closing) =>
    closing.from
      ? t('schedule.close.what.rest', { date: fmt.date(closing.date), from: closing.from })
      : fmt.date(closing.date);

  return (
    <section className="close-day" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('schedule.close.title')}</h2>
      <p className="hint">{t('schedule.close.intro')}</p>
      <form onSubmit={check} noValidate aria-labelledby={`${id}-title`}>
        <fieldset className="choice-group">
          <legend>{t('schedule.close.which')}</legend>
          <label className="check-option">
            <input type="radio" name={`${id}-mode`} checked={mode === 'rest'} onChange={() => setMode('rest')} />
            <span>{t('schedule.close.rest', { from: clockIn(now(), centre.timeZone) })}</span>
          </label>
          <label className="check-option">
            <input type="radio" name={`${id}-mode`} checked={mode === 'day'} onChange={() => setMode('day')} />
            <span>{t('schedule.close.day')}</span>
          </label>
        </fieldset>
        {mode === 'day' ? (
          <Field id={`${id}-date`} label={t('schedule.close.date')} error={problems.date ?? null}>
            {(c) => <input {...c} type="date" min={today} value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
        ) : null}
        <Field
          id={`${id}-reason`}
          label={t('schedule.close.reason')}
          hint={t('schedule.close.reason.hint')}
          error={problems.reason ?? null}
        >
          {(c) => <input {...c} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <div className="action-row">
          <button type="submit" className="button button-secondary" aria-disabled={busy !== null || undefined}>
            {busy === 'check' ? t('schedule.close.checking') : t('schedule.close.check')}
          </button>
        </div>
      </form>

      {failure ? <ManagerError error={failure} /> : null}

      {shown ? (
        <div className="close-check">
          <h3>{t.plural('schedule.close.affected', shown.visits.length, { what: what(shown.closing) })}</h3>
          {shown.visits.length > 0 ? (
            <>
              <ScheduleCancelledList visits={shown.visits} />
              <p>{t('schedule.preview.told')}</p>
              <div className={unconfirmed && !confirmed ? 'field field-invalid confirm-box' : 'field confirm-box'}>
                {unconfirmed && !confirmed ? (
                  <p id={`${id}-confirm-error`} className="field-error">
                    {t('schedule.preview.confirm.missing')}
                  </p>
                ) : null}
                <label className="check-option">
                  <input
                    ref={confirmBox}
                    type="checkbox"
                    checked={confirmed}
                    onChange={(e) => setConfirmed(e.target.checked)}
                    {...(unconfirmed && !confirmed
                      ? { 'aria-invalid': true, 'aria-describedby': `${id}-confirm-error` }
                      : {})}
                  />
                  <span>{t.plural('schedule.preview.confirm', shown.visits.length)}</span>
                </label>
              </div>
            </>
          ) : null}
          <div className="action-row">
            <button
              type="button"
              className="button button-danger"
              onClick={close}
              aria-disabled={busy !== null || undefined}
            >
              {busy === 'close' ? t('manager.saving') : t('schedule.close.confirm', { what: what(shown.closing) })}
            </button>
          </div>
        </div>
      ) : null}

      <Status>
        {closed ? (
          <span className="close-done">
            {t.plural('schedule.close.done', closed.cancellations.length, {
              what: what({ date: closed.date, from: closed.from }),
            })}
          </span>
        ) : null}
      </Status>
      {closed && closed.cancellations.length > 0 ? <ScheduleCancelledList visits={closed.cancellations} /> : null}
    </section>
  );
}
