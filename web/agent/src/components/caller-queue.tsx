import type { CallerCard, QueueView } from '@ereg/shared';
import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/src/api-client.ts';
import { Status } from '../../../shared/src/components/live.tsx';
import { useApp, useCall } from '../app-context.ts';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { callReasonText } from '../lib/book-words.ts';
import { ErrorMessage } from './error-message.tsx';

const ZONE = 'Europe/Warsaw';

const STATES: Record<QueueView['status'], MessageKey> = {
  'before-opening': 'queue.state.early',
  waiting: 'queue.state.waiting',
  admitted: 'queue.state.admitted',
  expired: 'queue.state.expired',
  booked: 'queue.state.booked',
};

type Shown =
  | { status: 'loading' }
  | { status: 'ready'; queue: QueueView | null }
  /** No waiting room stands in front of the person: the agent books as usual. */
  | { status: 'none' };

/**
 * The caller's place in the waiting room of their opening, as they see it in the app: state, position,
 * people ahead, the wait, until when they may book. The agent may put them in line (the same place a
 * browser of theirs gets) or turn on the text message for their turn. Agents themselves book without
 * waiting; this is for the caller who will book on their own.
 */
export function CallerQueue({ person }: { person: CallerCard }) {
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const call = useCall();
  const reason = callReasonText(call.reason);
  const patientId = person.patientId;
  const [shown, setShown] = useState<Shown>({ status: 'loading' });
  const [asked, setAsked] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    if (asked === 0) setShown({ status: 'loading' });
    api.call('queueState', { params: { patientId }, query: reason ? { reason } : {} }).then(
      (answer) => current && setShown({ status: 'ready', queue: answer.queue }),
      (failure: unknown) => current && setError(failure),
    );
    return () => {
      current = false;
    };
  }, [api, patientId, reason, asked]);

  const act = async (change: () => Promise<{ queue: QueueView }>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setShown({ status: 'ready', queue: (await change()).queue });
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'NO_QUEUE') setShown({ status: 'none' });
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const withReason = reason ? { reason } : {};
  const join = () => act(() => api.call('joinQueue', { body: { patientId, ...withReason } }));
  const notify = (on: boolean) =>
    act(() => api.call('queueSms', { params: { patientId }, body: { notify: on, ...withReason } }));

  const queue = shown.status === 'ready' ? shown.queue : null;
  const time = (instant: string) => fmt.time(instant, ZONE);
  return (
    <section aria-labelledby="caller-queue-title" data-testid="caller-queue">
      <h2 id="caller-queue-title">{t('queue.title')}</h2>
      <Status>{shown.status === 'loading' ? t('queue.loading') : null}</Status>
      {shown.status === 'none' ? <p>{t('queue.none')}</p> : null}
      {shown.status === 'ready' && queue === null ? (
        <>
          <p>{t('queue.notIn')}</p>
          <button type="button" className="button" disabled={busy} onClick={() => void join()}>
            {t('queue.join')}
          </button>
        </>
      ) : null}
      {queue ? (
        <>
          <dl className="caller-details">
            <div className="caller-detail">
              <dt>{t('queue.state')}</dt>
              <dd>{t(STATES[queue.status])}</dd>
            </div>
            {queue.status === 'before-opening' ? (
              <div className="caller-detail">
                <dt>{t('queue.drawnAt')}</dt>
                <dd>{time(queue.opensAt)}</dd>
              </div>
            ) : null}
            {queue.position !== null ? (
              <div className="caller-detail">
                <dt>{t('queue.position')}</dt>
                <dd>{queue.position}</dd>
              </div>
            ) : null}
            {queue.ahead !== null && queue.status === 'waiting' ? (
              <div className="caller-detail">
                <dt>{t('queue.ahead')}</dt>
                <dd>{queue.ahead}</dd>
              </div>
            ) : null}
            {queue.estimatedWaitSeconds !== null && queue.status === 'waiting' ? (
              <div className="caller-detail">
                <dt>{t('queue.wait')}</dt>
                <dd>{fmt.inAWhile(queue.estimatedWaitSeconds)}</dd>
              </div>
            ) : null}
            {queue.admittedUntil ? (
              <div className="caller-detail">
                <dt>{t('queue.admittedUntil')}</dt>
                <dd>{time(queue.admittedUntil)}</dd>
              </div>
            ) : null}
            {queue.freePlaces !== null ? (
              <div className="caller-detail">
                <dt>{t('queue.freePlaces')}</dt>
                <dd>{queue.freePlaces}</dd>
              </div>
            ) : null}
            <div className="caller-detail">
              <dt>{t('queue.sms')}</dt>
              <dd>{queue.smsWhenTurn ? t('queue.sms.on') : t('queue.sms.off')}</dd>
            </div>
          </dl>
          {queue.status === 'before-opening' || queue.status === 'waiting' ? (
            <button type="button" className="button" disabled={busy} onClick={() => void notify(!queue.smsWhenTurn)}>
              {queue.smsWhenTurn ? t('queue.sms.stop') : t('queue.sms.start')}
            </button>
          ) : null}{' '}
          <button type="button" className="link-button" disabled={busy} onClick={() => setAsked((n) => n + 1)}>
            {t('queue.refresh')}
          </button>
        </>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}
