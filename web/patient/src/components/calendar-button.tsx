import type { AppointmentView } from '@ereg/shared';
import { useApp } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { calendarFileName, visitsCalendar } from '../lib/visit-calendar.ts';

/** Downloads a calendar file (.ics) of the given visits. */
export function CalendarButton({ visits, label }: { visits: readonly AppointmentView[]; label: string }) {
  const app = useApp();
  const { t } = useI18n();
  const download = () => {
    const text = visitsCalendar(visits, {
      t,
      vaccines: app.vaccines,
      origin: app.origin,
      hostname: app.hostname,
      now: app.now(),
    });
    app.download(calendarFileName(visits, t), text, 'text/calendar;charset=utf-8');
  };
  return (
    <button type="button" className="button" onClick={download}>
      {label}
    </button>
  );
}
