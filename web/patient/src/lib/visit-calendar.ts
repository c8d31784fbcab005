import type { AppointmentView, Vaccine } from '@ereg/shared';
import type { Translator } from '../../../shared/src/i18n.ts';
import type { MessageKey } from '../i18n/index.ts';
import { buildCalendar, VISIT_MINUTES } from './ics.ts';

/** The address of a booking's confirmation page: it lasts, so it can be reloaded, bookmarked and shared. */
export const bookingPath = (reference: string): string => `/bookings/${encodeURIComponent(reference)}`;

/** A calendar file of visits, its texts in the person's language. */
export function visitsCalendar(
  visits: readonly AppointmentView[],
  context: { t: Translator<MessageKey>; vaccines: readonly Vaccine[]; origin: string; hostname: string; now: Date },
): string {
  const { t, vaccines, origin, hostname, now } = context;
  return buildCalendar(
    visits.map((visit) => {
      const address = visit.centre.address;
      return {
        id: visit.id,
        start: visit.start,
        minutes: VISIT_MINUTES,
        sequence: visit.version,
        summary: t('ics.summary', {
          dose: visit.dose,
          vaccine: vaccines.find((v) => v.id === visit.vaccineId)?.name ?? visit.vaccineId,
        }),
        location: `${visit.centre.name}, ${address.street}, ${address.postalCode} ${address.city}`,
        description: t('ics.description', {
          url: `${origin}${bookingPath(visit.reference)}`,
          reference: visit.reference,
        }),
      };
    }),
    { domain: hostname, now },
  );
}

/** The file name of a calendar file, in the person's language: one visit's date and dose, or all. */
export function calendarFileName(visits: readonly AppointmentView[], t: Translator<MessageKey>): string {
  const [only] = visits;
  const name =
    visits.length === 1 && only ? t('ics.fileOfVisit', { date: only.localDate, dose: only.dose }) : t('ics.fileOfAll');
  return `${name}.ics`;
}
