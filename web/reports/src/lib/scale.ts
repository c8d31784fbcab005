/**
 * The cartogram's colour classes: five steps of equal width from 0 to a round number at or above the
 * largest figure, so that the key reads in plain numbers ("0–20", "20–40") whatever the uptake is —
 * a few per 100 at the start of a campaign, most of the country at its end.
 */
export const CLASSES = 5;

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value` (and above 0). */
export function roundUp(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value - 1e-9) return step * power;
  return 10 * power;
}

export interface Scale {
  /** The class bounds: CLASSES + 1 numbers from 0 up. */
  bounds: number[];
  /** The class of a figure (0 the lowest), or null for a figure withheld. */
  classOf(value: number | null): number | null;
}

/** The scale for a set of figures: its top a round number that fits five classes of round width. */
export function scaleFor(values: ReadonlyArray<number | null>): Scale {
  const largest = Math.max(0, ...values.filter((v): v is number => v !== null));
  const width = roundUp(largest / CLASSES);
  const bounds = Array.from({ length: CLASSES + 1 }, (_, i) => Number((i * width).toPrecision(12)));
  return {
    bounds,
    classOf: (value) => (value === null ? null : Math.min(CLASSES - 1, Math.max(0, Math.floor(value / width)))),
  };
}
