import { useId } from 'react';
import type { QueuedChange } from '../../../shared/src/offline/desk-outbox.ts';
import { useDesk } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { changeOf } from '../lib/desk-changes.ts';
import { conflictError, useDeskSync } from '../lib/desk-sync.ts';
import { describeError } from '../lib/error-messages.ts';
import { clockIn } from '../lib/zoned-time.ts';

/** The kind of a queued change in words ("Check-in", "Vaccination recorded"…). */
function useKindName() {
  const { t } = useI18n();
  return (change: QueuedChange) => {
    const kind = changeOf(change)?.kind;
    return kind ? t(`outbox.kind.${kind}`) : change.kind;
  };
}

/**
 * What this device holds that the API has not taken: changes waiting for the network, sent in order
 * when it returns, and changes the API refused meanwhile (the visit was cancelled, say) — each said
 * with what happened, until the person dismisses it. Nothing is dropped unseen.
 */
export function OutboxPanel() {
  const { queue, online, sendNow, dismiss } = useDeskSync();
  const { centre } = useDesk();
  const { t, fmt } = useI18n();
  const id = useId();
  const kindName = useKindName();
  const waiting = queue.filter((c) => c.state === 'waiting');
  const conflicts = queue.filter((c) => c.state === 'conflict');
  if (queue.length === 0) return null;
  return (
    <section className="outbox" aria-labelledby={`${id}-title`}>
      {conflicts.length > 0 ? (
        <div className="outbox-conflicts" role="alert">
          <h2 id={waiting.length === 0 ? `${id}-title` : undefined}>
            {t.plural('outbox.conflicts', conflicts.length)}
          </h2>
          <ul>
            {conflicts.map((change) => (
              <li key={change.id} className="outbox-conflict">
                <p>
                  <strong>
                    {kindName(change)} — {change.label}
                  </strong>{' '}
                  ({t('outbox.madeAt', { time: clockIn(new Date(change.createdAt), centre.timeZone) })})
                </p>
                <p>{describeError(conflictError(change), t, fmt)}</p>
                <p className="hint">{t('outbox.conflict.hint')}</p>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => dismiss(change.id)}
                  aria-label={t('outbox.dismiss.label', { what: kindName(change), name: change.label })}
                >
                  {t('outbox.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {waiting.length > 0 ? (
        <div className="outbox-waiting">
          <h2 id={`${id}-title`}>{t.plural('outbox.waiting', waiting.length)}</h2>
          <p className="hint">{online ? t('outbox.hint.online') : t('outbox.hint.offline')}</p>
          <ol>
            {waiting.map((change) => (
              <li key={change.id}>
                {clockIn(new Date(change.createdAt), centre.timeZone)} · {kindName(change)} — {change.label}
              </li>
            ))}
          </ol>
          <button type="button" className="button button-secondary" onClick={sendNow}>
            {t('outbox.sendNow')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
