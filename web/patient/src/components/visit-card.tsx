import type { AppointmentView } from '@ereg/shared';
import { useRef, useState } from 'react';
import { Status } from '../../../shared/src/components/live.tsx';
import { Link } from '../../../shared/src/router.tsx';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { CalendarButton } from './calendar-button.tsx';
import { ErrorMessage } from './error-message.tsx';
import { VisitDetails } from './visit-details.tsx';

/**
 * One visit with what can be done with it: move it, put it in a calendar, or cancel it — after saying
 * plainly what cancelling takes with it (the later doses) and asking to confirm.
 */
export function VisitCard(props: {
  visit: AppointmentView;
  /** Whether it can still be changed (booked and not begun). */
  actionable: boolean;
  /** Booked doses after this one, which cancelling cancels too. */
  laterDoses: readonly number[];
  onCancelled: (cancelled: AppointmentView[]) => void;
}) {
  const { visit, actionable, laterDoses, onCancelled } = props;
  const { api } = useApp();
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const question = useRef<HTMLParagraphElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const titleId = `visit-${visit.id}`;

  const ask = () => {
    setAsking(true);
    setError(null);
    requestAnimationFrame(() => question.current?.focus());
  };
  const keep = () => {
    setAsking(false);
    setError(null);
    requestAnimationFrame(() => cancelButton.current?.focus());
  };
  const cancel = () => {
    if (cancelling) return;
    setCancelling(true);
    setError(null);
    api.cancel(visit.id).then(
      (answer) => {
        setCancelling(false);
        setAsking(false);
        onCancelled(answer.cancelled);
      },
      (failure: unknown) => {
        setCancelling(false);
        setError(failure);
      },
    );
  };

  return (
    <article className="visit" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('visit.dose', { dose: visit.dose })}</h3>
      <VisitDetails visit={visit} />
      {actionable ? (
        <div className="actions">
          <Link href={`/visits/${encodeURIComponent(visit.id)}/reschedule`} className="button">
            {t('visit.reschedule')}
          </Link>
          <CalendarButton visits={[visit]} label={t('visit.ics')} />
          <button
            type="button"
            className="button"
            ref={cancelButton}
            aria-expanded={asking}
            aria-controls={`cancel-${visit.id}`}
            onClick={asking ? keep : ask}
          >
            {t('visit.cancel')}
          </button>
        </div>
      ) : null}
      {asking ? (
        <div className="confirm" id={`cancel-${visit.id}`}>
          <p id={`cancel-question-${visit.id}`} ref={question} tabIndex={-1} className="confirm-question">
            {t('visit.cancel.question', { dose: visit.dose })}
          </p>
          {laterDoses.length > 0 ? (
            <p>{t.plural('visit.cancel.cascade', laterDoses.length, { doses: laterDoses.join(', ') })}</p>
          ) : null}
          <div className="actions">
            <button type="button" className="button button-danger" aria-disabled={cancelling} onClick={cancel}>
              {t('visit.cancel.yes')}
            </button>
            <button type="button" className="button" onClick={keep}>
              {t('visit.cancel.no')}
            </button>
          </div>
          <Status>{cancelling ? t('visit.cancel.busy') : null}</Status>
          {error ? <ErrorMessage error={error} /> : null}
        </div>
      ) : null}
    </article>
  );
}
