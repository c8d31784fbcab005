import { Field } from '../../../shared/src/components/field.tsx';
import { useI18n } from '../i18n/index.ts';

/** A date typed as the language writes it and a time as HH:MM, side by side, each with its hint and error. */
export function DateTimeFields({
  id,
  dateLabel,
  timeLabel,
  date,
  time,
  onDate,
  onTime,
  dateError,
  timeError,
}: {
  id: string;
  dateLabel: string;
  timeLabel: string;
  date: string;
  time: string;
  onDate: (text: string) => void;
  onTime: (text: string) => void;
  dateError?: string | null;
  timeError?: string | null;
}) {
  const { t } = useI18n();
  return (
    <div className="field-row">
      <Field id={`${id}-date`} label={dateLabel} hint={t('date.hint')} error={dateError ?? null}>
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            size={11}
            value={date}
            onChange={(e) => onDate(e.target.value)}
          />
        )}
      </Field>
      <Field id={`${id}-time`} label={timeLabel} hint={t('time.hint')} error={timeError ?? null}>
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            size={6}
            value={time}
            onChange={(e) => onTime(e.target.value)}
          />
        )}
      </Field>
    </div>
  );
}
