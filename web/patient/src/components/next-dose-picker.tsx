import type { BookingPreview, OfferedSlot } from '@ereg/shared';
import { useId, useState } from 'react';
import { Field } from '../../../shared/src/components/field.tsx';
import { Status } from '../../../shared/src/components/live.tsx';
import { useLoad } from '../../../shared/src/use-load.ts';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { localDateOf } from '../lib/local-date.ts';
import { ErrorMessage } from './error-message.tsx';

type FollowUp = NonNullable<BookingPreview['followUp']>;

/** The local dates from the first to the last, both included. */
function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${first}T12:00:00Z`); day <= Date.parse(`${last}T12:00:00Z`); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * The course's next dose as the booking will take it: the time proposed (the earliest free one inside
 * the interval), which the person may change to any free time of the same centre inside the interval,
 * a day at a time.
 */
export function NextDosePicker(props: {
  followUp: FollowUp;
  centreId: string;
  vaccineId: string;
  timeZone: string;
  chosen: OfferedSlot | null;
  onChoose: (slot: OfferedSlot | null) => void;
}) {
  const { followUp, centreId, vaccineId, timeZone, chosen, onChoose } = props;
  const { api } = useApp();
  const { t, fmt } = useI18n();
  const [open, setOpen] = useState(false);
  const first = localDateOf(followUp.earliest, timeZone);
  const last = followUp.latest ? localDateOf(followUp.latest, timeZone) : first;
  const [day, setDay] = useState(localDateOf((chosen ?? followUp.proposed).start, timeZone));
  const timesId = useId();
  const times = useLoad(open ? `free:${centreId}:${vaccineId}:${day}` : null, () =>
    api.centreSlots(centreId, { vaccineId, from: day, to: day }),
  );
  const inWindow =
    times.status === 'ready'
      ? times.data.slots.filter(
          (slot) => slot.start >= followUp.earliest && (followUp.latest === null || slot.start <= followUp.latest),
        )
      : [];
  const current = chosen ?? followUp.proposed;

  return (
    <section aria-labelledby="next-dose-title" className="next-dose">
      <h2 id="next-dose-title">{t('book.followUp.title', { dose: followUp.dose })}</h2>
      <p>{t('book.followUp.proposed', { dose: followUp.dose })}</p>
      <p className="next-dose-when">
        <strong>{fmt.dateTime(current.start, timeZone)}</strong>
      </p>
      <p className="hint">
        {t('book.followUp.window', { dose: followUp.dose, earliest: fmt.date(first), latest: fmt.date(last) })}
      </p>
      {open ? (
        <div className="next-dose-picker">
          <Field id="next-dose-day" label={t('book.followUp.day')}>
            {(control) => (
              <select {...control} value={day} onChange={(event) => setDay(event.target.value)}>
                {datesBetween(first, last).map((date) => (
                  <option key={date} value={date}>
                    {fmt.shortDay(`${date}T12:00:00Z`, 'UTC')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="times" aria-describedby={`${timesId}-status`}>
            <legend>{t('book.followUp.times')}</legend>
            {times.status === 'ready' && inWindow.length === 0 ? <p>{t('book.followUp.none')}</p> : null}
            <ul className="time-options">
              {inWindow.map((slot) => (
                <li key={slot.slotId}>
                  <label className="time-option">
                    <input
                      type="radio"
                      name="next-dose-time"
                      value={slot.slotId}
                      checked={current.slotId === slot.slotId}
                      onChange={() => onChoose(slot.slotId === followUp.proposed.slotId ? null : slot)}
                    />
                    {fmt.time(slot.start, timeZone)}
                  </label>
                </li>
              ))}
            </ul>
            <div id={`${timesId}-status`}>
              <Status>{times.status === 'loading' ? t('book.followUp.loading') : null}</Status>
            </div>
            {times.status === 'failed' ? <ErrorMessage error={times.error} /> : null}
          </fieldset>
          <button
            type="button"
            className="button"
            onClick={() => {
              onChoose(null);
              setDay(localDateOf(followUp.proposed.start, timeZone));
              setOpen(false);
            }}
          >
            {t('book.followUp.keep')}
          </button>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          {t('book.followUp.change', { dose: followUp.dose })}
        </button>
      )}
    </section>
  );
}
