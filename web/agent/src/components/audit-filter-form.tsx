import type { LookupReason } from '@ereg/shared';
import { type FormEvent, useRef, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { useI18n } from '../i18n/index.ts';
import type { AuditFilters } from '../lib/audit-filters.ts';
import { REASON_CODES, reasonWords } from '../lib/audit-words.ts';
import { useShortcut } from '../lib/shortcuts.ts';
import { altKey, KeyHint } from './audit-key.tsx';

/** The fields of the filter form that a refusal may name. */
export const FILTER_FIELDS = ['agentId', 'patientId', 'reason', 'from', 'to'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/**
 * The access log's filters: agent, person, reason and dates. Showing them puts them in the address (so
 * the view can be shared); Alt+A comes back to the first field, Alt+Z clears them all.
 */
export function AuditFilterForm({
  filters,
  fieldError,
  onShow,
}: {
  filters: AuditFilters;
  /** A refusal of the filters, at the field it names. */
  fieldError: { field: FilterField; message: string } | null;
  onShow: (filters: AuditFilters) => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<FilterField, string>>({
    agentId: filters.agentId ?? '',
    patientId: filters.patientId ?? '',
    reason: filters.reason ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
  });
  const first = useRef<HTMLInputElement>(null);
  useShortcut('a', t('audit.filters.shortcut'), () => first.current?.focus());
  useShortcut('z', t('audit.filters.clear'), () => onShow({}));

  const set = (field: FilterField) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));
  const errorOf = (field: FilterField) => (fieldError?.field === field ? fieldError.message : null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen: AuditFilters = {};
    if (values.agentId.trim()) chosen.agentId = values.agentId.trim();
    if (values.patientId.trim()) chosen.patientId = values.patientId.trim();
    if (values.reason) chosen.reason = values.reason as LookupReason;
    if (values.from) chosen.from = values.from;
    if (values.to) chosen.to = values.to;
    onShow(chosen);
  };

  return (
    <form className="audit-filters" aria-labelledby="audit-filters-title" onSubmit={submit} noValidate>
      <h2 id="audit-filters-title" className="visually-hidden">
        {t('audit.filters.title')}
      </h2>
      <Field id="audit-agent" label={t('audit.filters.agent')} error={errorOf('agentId')}>
        {(control) => (
          <input
            {...control}
            ref={first}
            value={values.agentId}
            onChange={set('agentId')}
            autoComplete="off"
            aria-keyshortcuts={altKey('a')}
          />
        )}
      </Field>
      <Field id="audit-patient" label={t('audit.filters.patient')} error={errorOf('patientId')}>
        {(control) => <input {...control} value={values.patientId} onChange={set('patientId')} autoComplete="off" />}
      </Field>
      <Field id="audit-reason" label={t('audit.filters.reason')} error={errorOf('reason')}>
        {(control) => (
          <select {...control} value={values.reason} onChange={set('reason')}>
            <option value="">{t('audit.filters.anyReason')}</option>
            {REASON_CODES.map((code) => (
              <option key={code} value={code}>
                {reasonWords(code, t)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="audit-from" label={t('audit.filters.from')} error={errorOf('from')}>
        {(control) => <input {...control} type="date" value={values.from} onChange={set('from')} />}
      </Field>
      <Field id="audit-to" label={t('audit.filters.to')} error={errorOf('to')}>
        {(control) => <input {...control} type="date" value={values.to} onChange={set('to')} />}
      </Field>
      <div className="audit-actions">
        <button type="submit" className="button button-primary">
          {t('audit.filters.show')}
        </button>
        <button type="button" className="button" onClick={() => onShow({})} aria-keyshortcuts={altKey('z')}>
          {t('audit.filters.clear')} <KeyHint letter="z" />
        </button>
      </div>
    </form>
  );
}
