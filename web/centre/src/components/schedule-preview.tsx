import type { CentreSchedule, RouteResponse } from '@ereg/shared';
import { type Ref, useId, useRef, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { loweredCapacity } from '../lib/schedule-form.ts';
import { ManagerError } from './manager-error.tsx';
import { type CancelledVisit, ScheduleCancelledList } from './schedule-cancelled-list.tsx';

type Preview = RouteResponse<'previewSchedule'>;
type Saved = RouteResponse<'putSchedule'>;

/** The cancellations a 409 CANCELLATIONS_NOT_CONFIRMED lists: visits booked since the preview. */
function unconfirmedOf(error: unknown): CancelledVisit[] | null {
  if (!(error instanceof ApiError) || error.code !== 'CANCELLATIONS_NOT_CONFIRMED') return null;
  const listed = error.details?.cancellations;
  return Array.isArray(listed) ? (listed as CancelledVisit[]) : [];
}

/**
 * What a schedule change would do: slots added, resized and removed, the days it touches, and each
 * visit it would cancel, named. Saving sends the previewed schedule; when it cancels visits, only after
 * the manager ticks that they agree, and then only those visits.
 */
export function SchedulePreview({
  preview,
  saved,
  edited,
  stale,
  titleRef,
  onMoreCancellations,
  onSaved,
}: {
  preview: Preview;
  saved: CentreSchedule;
  edited: CentreSchedule;
  /** The form changed since: saving needs a new preview. */
  stale: boolean;
  titleRef: Ref<HTMLHeadingElement>;
  onMoreCancellations: (visits: CancelledVisit[]) => void;
  onSaved: (result: Saved) => void;
}) {
  const { api, vaccines } = useApp();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const confirmBox = useRef<HTMLInputElement>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const cancellations = preview.cancellations;
  const cancels = cancellations.length > 0;
  const changedDays = preview.days.filter((d) => d.created + d.resized + d.removed + d.cancelled.length > 0);
  const lowered = loweredCapacity(saved, edited);
  const productName = (productId: string) => vaccines.find((v) => v.id === productId)?.name ?? productId;

  const save = async () => {
    if (busy || stale) return;
    if (cancels && !confirmed) {
      setUnconfirmed(true);
      confirmBox.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const result = await api.call('putSchedule', {
        params: { centreId: centre.id },
        body: { ...edited, confirmCancellations: cancellations.map((c) => c.appointmentId) },
      });
      onSaved(result);
    } catch (error) {
      const more = unconfirmedOf(error);
      if (more) {
        // Booked since the preview: listed with the others, to be agreed to again.
        onMoreCancellations(more);
        setConfirmed(false);
      }
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="schedule-preview" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={titleRef} tabIndex={-1}>
        {t('schedule.preview.title')}
      </h2>
      {stale ? <p className="note">{t('schedule.preview.stale')}</p> : null}
      <ul className="preview-counts">
        <li>
          {t('schedule.preview.created')}: <span className="count-value">{preview.created}</span>
        </li>
        <li>
          {t('schedule.preview.resized')}: <span className="count-value">{preview.resized}</span>
        </li>
        <li>
          {t('schedule.preview.removed')}: <span className="count-value">{preview.removed}</span>
        </li>
        <li className={cancels ? 'count-danger' : undefined}>
          {t('schedule.preview.cancelled')}: <span className="count-value">{cancellations.length}</span>
        </li>
      </ul>
      {changedDays.length === 0 && !cancels ? <p className="empty">{t('schedule.preview.nothing')}</p> : null}
      {changedDays.length > 0 ? (
        <details className="preview-days">
          <summary>{t('schedule.preview.days', { count: changedDays.length })}</summary>
          <ul className="plain-list">
            {changedDays.map((day) => (
              <li key={day.date}>
                <strong>{fmt.date(day.date)}</strong>:{' '}
                {t('schedule.preview.day', {
                  created: day.created,
                  removed: day.removed,
                  before: day.capacityBefore,
                  after: day.capacityAfter,
                })}
                {day.cancelled.length > 0
                  ? ` ${t('schedule.preview.day.cancelled', { count: day.cancelled.length })}`
                  : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}

      {cancels ? (
        <>
          <h3>{t('schedule.preview.cancellations', { count: cancellations.length })}</h3>
          {lowered.length > 0 ? (
            <p className="note">
              {t('schedule.preview.lowered', {
                products: lowered
                  .map((l) =>
                    t('schedule.preview.lowered.item', {
                      product: productName(l.productId),
                      before: l.before,
                      after: l.after,
                    }),
                  )
                  .join('; '),
              })}
            </p>
          ) : null}
          <ScheduleCancelledList visits={cancellations} />
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
              <span>{t.plural('schedule.preview.confirm', cancellations.length)}</span>
            </label>
          </div>
        </>
      ) : null}

      {failure ? <ManagerError error={failure} /> : null}
      {stale ? null : (
        <div className="action-row">
          <button
            type="button"
            className={cancels ? 'button button-danger' : 'button button-primary'}
            onClick={save}
            aria-disabled={busy || undefined}
          >
            {busy
              ? t('manager.saving')
              : cancels
                ? t.plural('schedule.save.cancelling', cancellations.length)
                : t('schedule.save')}
          </button>
        </div>
      )}
      <Status>{busy ? t('manager.saving') : null}</Status>
    </section>
  );
}
