import type { AuditRecord } from '@ereg/shared';
import { type Ref, useId } from 'react';
import { Link } from '../../../shared/src/router.tsx';
import { type MessageKey, useI18n } from '../i18n/index.ts';
import { AUDIT_TIME_ZONE, auditHref } from '../lib/audit-filters.ts';
import { actionWords, recordReason, whenWords } from '../lib/audit-words.ts';

export type AuditRow = AuditRecord & { pseudonym: string };

const ROLES: Readonly<Record<string, MessageKey>> = {
  agent: 'audit.role.agent',
  supervisor: 'audit.role.supervisor',
  staff: 'audit.role.staff',
  'centre-manager': 'audit.role.staff',
  admin: 'audit.role.admin',
  sms: 'audit.role.sms',
};

/**
 * The audit records, newest first: a table on a desktop, one card per record on a phone (each cell
 * says what it is). The agent's id and the person's id filter the log by them.
 */
export function AuditTable({
  records,
  firstNew,
  firstNewRef,
}: {
  records: readonly AuditRow[];
  /** The index of the first record of the page just loaded, which takes focus. */
  firstNew: number | null;
  firstNewRef: Ref<HTMLTableRowElement>;
}) {
  const { t } = useI18n();
  const caption = useId();
  return (
    <table className="audit-table" aria-labelledby={caption}>
      <caption id={caption} className="visually-hidden">
        {t('audit.table.caption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.table.when')}</th>
          <th scope="col">{t('audit.table.who')}</th>
          <th scope="col">{t('audit.table.action')}</th>
          <th scope="col">{t('audit.table.reason')}</th>
          <th scope="col">{t('audit.table.person')}</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record, index) => {
          const why = recordReason(record, t);
          const role = ROLES[record.actor.role];
          return (
            <tr
              key={record.id}
              tabIndex={index === firstNew ? -1 : undefined}
              ref={index === firstNew ? firstNewRef : undefined}
            >
              <td data-label={t('audit.table.when')}>{whenWords(record.at, t, AUDIT_TIME_ZONE)}</td>
              <td data-label={t('audit.table.who')}>
                <div>
                  <Link
                    href={auditHref({ agentId: record.actor.id })}
                    aria-label={t('audit.table.byAgent', { id: record.actor.id })}
                  >
                    {record.actor.id}
                  </Link>
                  <span className="audit-pseudonym">
                    {record.actor.role !== 'agent' && role ? `${t(role)} · ` : ''}
                    {record.pseudonym}
                  </span>
                </div>
              </td>
              <td data-label={t('audit.table.action')}>{actionWords(record, t)}</td>
              <td data-label={t('audit.table.reason')}>
                <div>
                  {why.words}
                  {why.note ? <span className="audit-note">{t('audit.quoted', { text: why.note })}</span> : null}
                  {!why.words && !why.note ? '—' : null}
                </div>
              </td>
              <td data-label={t('audit.table.person')}>
                {record.patientId ? (
                  <Link
                    href={auditHref({ patientId: record.patientId })}
                    aria-label={t('audit.table.ofPerson', { id: record.patientId })}
                  >
                    {record.patientId}
                  </Link>
                ) : (
                  t('audit.table.nobody')
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
