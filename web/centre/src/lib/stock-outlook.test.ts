/** @jest-environment node */
import type { ProductOutlook } from '@ereg/shared';
import { i18nFor } from '../i18n/index.ts';
import { describeShortage, type OutlookWords, shortagesOf, shortDay } from './stock-outlook.ts';

const day = (date: string, booked: number, available: number) => ({ date, booked, available });

/** Comirnaty runs out on the second day; Spikevax has enough. */
const OUTLOOK: ProductOutlook[] = [
  {
    vaccineId: 'comirnaty',
    onHand: 5,
    booked: 12,
    short: true,
    runsOutOn: '2026-01-13',
    days: [day('2026-01-12', 3, 5), day('2026-01-13', 4, 2), day('2026-01-14', 5, 0)],
  },
  {
    vaccineId: 'spikevax',
    onHand: 100,
    booked: 10,
    short: false,
    runsOutOn: null,
    days: [day('2026-01-12', 10, 100)],
  },
];

function wordsIn(language: 'pl' | 'en' | 'uk'): OutlookWords {
  const { t } = i18nFor(language);
  return {
    product: (id) => ({ comirnaty: 'Comirnaty', spikevax: 'Spikevax' })[id] ?? id,
    day: (date) => shortDay(date, t.locale),
    headline: (params) => t('batches.outlook.short', params),
    shortDay: (params) => t('batches.outlook.day', params),
  };
}

describe('the stock outlook', () => {
  it('names only the products that run short, with the days their visits need more doses than are left', () => {
    expect(shortagesOf(OUTLOOK)).toEqual([
      {
        vaccineId: 'comirnaty',
        onHand: 5,
        booked: 12,
        days: [
          { date: '2026-01-13', booked: 4, available: 2, missing: 2 },
          { date: '2026-01-14', booked: 5, available: 0, missing: 5 },
        ],
      },
    ]);
  });

  it('finds nothing to warn of when the doses suffice', () => {
    expect(shortagesOf(OUTLOOK.filter((p) => !p.short))).toEqual([]);
  });

  it('says what is booked against what is on hand, and each short day, in Polish, English and Ukrainian', () => {
    const [shortage] = shortagesOf(OUTLOOK);
    if (!shortage) throw new Error('no shortage');
    expect(describeShortage(shortage, wordsIn('pl'))).toEqual({
      headline: 'Comirnaty — umówione wizyty na 7 dni: 12, dawki w punkcie: 5. Zabraknie:',
      days: ['wt., 13 stycznia: wizyty 4, dawki 2, brakuje 2', 'śr., 14 stycznia: wizyty 5, dawki 0, brakuje 5'],
    });
    expect(describeShortage(shortage, wordsIn('en'))).toEqual({
      headline: 'Comirnaty: 12 visits booked in the next 7 days, 5 doses on hand. Short on:',
      days: ['Tue 13 January: 4 booked, 2 doses, 2 short', 'Wed 14 January: 5 booked, 0 doses, 5 short'],
    });
    const uk = describeShortage(shortage, wordsIn('uk'));
    expect(uk.headline).toBe('Comirnaty: записаних візитів на 7 днів — 12, доз у пункті — 5. Забракне:');
    expect(uk.days[0]).toMatch(/^вт\S*, 13 січня: візитів 4, доз 2, бракує 2$/);
  });
});
