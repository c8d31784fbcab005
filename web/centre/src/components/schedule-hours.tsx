import { Field } from '../../../shared/src/components/field.tsx';
import { useI18n } from '../i18n/index.ts';
import type { HoursRow } from '../lib/schedule-form.ts';

/**
 * One range of opening hours: its opening and closing times, each labelled, and a button that takes
 * it away (named with the hours and the day, so that a screen reader says which).
 */
export function ScheduleHours({
  id,
  row,
  of,
  errorOf,
  onChange,
  onRemove,
}: {
  /** The API's path of the range (`weekly.days.mon.0`), which names its fields' problems too. */
  id: string;
  row: HoursRow;
  /** The day the hours are of, for the remove button's name. */
  of: string;
  errorOf: (path: string) => string | null;
  onChange: (row: HoursRow) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const fieldId = (part: string) => `schedule-${id.replaceAll('.', '-')}-${part}`;
  return (
    <div className="hours-row">
      <Field id={fieldId('from')} label={t('schedule.hours.from')} error={errorOf(`${id}.from`)}>
        {(c) => (
          <input {...c} type="time" value={row.from} onChange={(e) => onChange({ ...row, from: e.target.value })} />
        )}
      </Field>
      <Field id={fieldId('to')} label={t('schedule.hours.to')} error={errorOf(`${id}.to`)}>
        {(c) => <input {...c} type="time" value={row.to} onChange={(e) => onChange({ ...row, to: e.target.value })} />}
      </Field>
      <button
        type="button"
        className="button button-secondary hours-remove"
        onClick={onRemove}
        aria-label={t('schedule.hours.remove', { from: row.from || '…', to: row.to || '…', of })}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
