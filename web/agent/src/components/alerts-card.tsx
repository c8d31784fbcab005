import type { HotlineAlert } from '@ereg/shared';
import type { Ref } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import type { Translator } from '../../../shared/src/i18n.ts';
import { Link } from '../../../shared/src/router.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { AUDIT_TIME_ZONE, auditHref, localDateOf } from '../lib/audit-filters.ts';
import { whenWords } from '../lib/audit-words.ts';
import { SupervisorError } from './audit-error.tsx';
import { altKey, KeyHint } from './audit-key.tsx';

/** The access log narrowed to what raised the alert: the agent, the person, or both, on its day. */
export function alertLogHref(alert: HotlineAlert): string {
  const day = localDateOf(alert.at, AUDIT_TIME_ZONE);
  return auditHref({
    ...(alert.kind !== 'many_agents' && alert.agentId ? { agentId: alert.agentId } : {}),
    ...(alert.kind !== 'lookup_budget' && alert.patientId ? { patientId: alert.patientId } : {}),
    from: day,
    to: day,
  });
}

export const alertTitleId = (alert: HotlineAlert) => `alert-${alert.id}`;

/** The clock hour an instant falls in, "09:00–10:00" (the country's offsets are whole hours). */
function hourOf(instant: string, t: Translator<MessageKey>): string {
  const start = new Date(instant);
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 3_600_000);
  const time = new Intl.DateTimeFormat(t.locale, { hour: '2-digit', minute: '2-digit', timeZone: AUDIT_TIME_ZONE });
  const day = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeZone: AUDIT_TIME_ZONE });
  return `${day.format(start)}, ${time.format(start)}–${time.format(end)}`;
}

/** What an alert is about, in words. */
export function alertWords(alert: HotlineAlert, t: Translator<MessageKey>): { title: string; body: string } {
  const agent = alert.agentId ?? '—';
  const patient = alert.patientId ?? '—';
  switch (alert.kind) {
    case 'lookup_budget':
      return {
        title: t('alerts.kind.budget'),
        body: t('alerts.budget', { agent, count: alert.count ?? '—', hour: hourOf(alert.at, t) }),
      };
    case 'many_agents':
      return {
        title: t('alerts.kind.manyAgents'),
        body: t('alerts.manyAgents', {
          patient,
          count: alert.count ?? '—',
          day: new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: AUDIT_TIME_ZONE }).format(
            new Date(alert.at),
          ),
        }),
      };
    case 'watch_list':
      return {
        title: t('alerts.kind.watchList'),
        body: t('alerts.watchList', { agent, patient, when: whenWords(alert.at, t, AUDIT_TIME_ZONE) }),
      };
  }
}

/** One open alert: what happened, the link to the records behind it, and acknowledging it with a note. */
export function OpenAlert({
  alert,
  note,
  onNote,
  error,
  busy,
  onAcknowledge,
  buttonRef,
}: {
  alert: HotlineAlert;
  note: string;
  onNote: (note: string) => void;
  error: unknown;
  busy: boolean;
  onAcknowledge: () => void;
  buttonRef: Ref<HTMLButtonElement>;
}) {
  const { t } = useI18n();
  const id = alertTitleId(alert);
  const words = alertWords(alert, t);
  return (
    <li className={`audit-card alerts-${alert.kind}`} data-alert-id={alert.id} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {words.title}
      </h3>
      <p>{words.body}</p>
      <p>
        <Link href={alertLogHref(alert)} aria-keyshortcuts={altKey('i')}>
          {t('alerts.showLog')}
        </Link>{' '}
        <KeyHint letter="i" />
      </p>
      <Field id={`${id}-note`} label={t('alerts.note')}>
        {(control) => (
          <textarea
            {...control}
            className="audit-textarea"
            rows={2}
            value={note}
            maxLength={300}
            onChange={(event) => onNote(event.target.value)}
          />
        )}
      </Field>
      {error ? <SupervisorError error={error} /> : null}
      <div className="audit-actions">
        <button
          ref={buttonRef}
          type="button"
          className="button button-primary"
          aria-disabled={busy || undefined}
          aria-keyshortcuts={altKey('e')}
          onClick={onAcknowledge}
        >
          {t('alerts.acknowledge')} <KeyHint letter="e" />
        </button>
      </div>
    </li>
  );
}

/** An acknowledged alert: what it was, who acknowledged it, when, and their note. */
export function AcknowledgedAlert({ alert }: { alert: HotlineAlert }) {
  const { t } = useI18n();
  const id = alertTitleId(alert);
  const words = alertWords(alert, t);
  const done = alert.acknowledged;
  return (
    <li className={`audit-card alerts-${alert.kind}`} data-alert-id={alert.id} aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {words.title}
      </h3>
      <p>{words.body}</p>
      {done ? (
        <p>
          {t('alerts.acknowledgedBy', { by: done.by.id, when: whenWords(done.at, t, AUDIT_TIME_ZONE) })}
          {done.note ? <span className="audit-note">{t('audit.quoted', { text: done.note })}</span> : null}
        </p>
      ) : null}
      <p>
        <Link href={alertLogHref(alert)}>{t('alerts.showLog')}</Link>
      </p>
    </li>
  );
}
