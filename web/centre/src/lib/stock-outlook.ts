import type { ProductOutlook } from '@ereg/shared';

/** A day on which the visits booked need more doses of a product than the centre will have. */
export interface ShortDay {
  date: string;
  booked: number;
  available: number;
  /** Doses missing that day. */
  missing: number;
}

/** A product the centre runs short of in the coming days, and on which days. */
export interface Shortage {
  vaccineId: string;
  onHand: number;
  booked: number;
  days: ShortDay[];
}

/** The products that run short in the outlook, each with the days its visits exceed the doses left for them. */
export function shortagesOf(products: readonly ProductOutlook[]): Shortage[] {
  return products
    .filter((product) => product.short)
    .map((product) => ({
      vaccineId: product.vaccineId,
      onHand: product.onHand,
      booked: product.booked,
      days: product.days
        .filter((day) => day.booked > day.available)
        .map((day) => ({ ...day, missing: day.booked - day.available })),
    }));
}

export interface OutlookWords {
  /** The product's name. */
  product: (vaccineId: string) => string;
  /** A day, short: "wt., 13 stycznia". */
  day: (date: string) => string;
  /** The headline of a shortage, its placeholders filled. */
  headline: (params: { product: string; booked: number; onHand: number }) => string;
  /** One short day: "Tue 13 January: 12 booked, 5 doses, 7 short". */
  shortDay: (params: { day: string; booked: number; available: number; missing: number }) => string;
}

/** The warning of one shortage in words: the product with what is booked against what is on hand, then each short day. */
export function describeShortage(shortage: Shortage, words: OutlookWords): { headline: string; days: string[] } {
  return {
    headline: words.headline({
      product: words.product(shortage.vaccineId),
      booked: shortage.booked,
      onHand: shortage.onHand,
    }),
    days: shortage.days.map((d) =>
      words.shortDay({ day: words.day(d.date), booked: d.booked, available: d.available, missing: d.missing }),
    ),
  };
}

/** "wt., 13 stycznia" — a calendar date, short, with its weekday, whatever the reader's zone. */
export function shortDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}
