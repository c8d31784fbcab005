import type { RouteResponse } from '@ereg/shared';
import { useApp, vaccineName } from '../app-context.ts';
import { useI18n } from '../i18n/index.ts';
import { describeShortage, shortagesOf, shortDay } from '../lib/stock-outlook.ts';

type Outlook = RouteResponse<'stockOutlook'>;

/**
 * The warning that the visits booked in the coming days need more doses than the centre has, per
 * product with the days it runs short; nothing when the doses suffice.
 */
export function BatchesOutlook({ outlook }: { outlook: Outlook }) {
  const { vaccines } = useApp();
  const { t } = useI18n();
  const shortages = shortagesOf(outlook.products);
  if (shortages.length === 0) {
    return <p className="outlook-ok">{t('batches.outlook.enough', { to: shortDay(outlook.to, t.locale) })}</p>;
  }
  const words = {
    product: (id: string) => vaccineName(vaccines, id),
    day: (date: string) => shortDay(date, t.locale),
    headline: (p: { product: string; booked: number; onHand: number }) => t('batches.outlook.short', p),
    shortDay: (p: { day: string; booked: number; available: number; missing: number }) => t('batches.outlook.day', p),
  };
  return (
    <section className="outlook-warning" aria-labelledby="outlook-title">
      <h2 id="outlook-title">{t('batches.outlook.title')}</h2>
      <ul>
        {shortages.map((shortage) => {
          const { headline, days } = describeShortage(shortage, words);
          return (
            <li key={shortage.vaccineId}>
              {headline}
              <ul>
                {days.map((day) => (
                  <li key={day}>{day}</li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      <p>{t('batches.outlook.advice')}</p>
    </section>
  );
}
