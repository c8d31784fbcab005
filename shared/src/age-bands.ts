/**
 * The age bands of the reports: the target groups of the ECDC COVID-19 vaccine tracker, so that uptake per
 * band can be set beside other countries' figures. Ages are whole years completed.
 */
export const AGE_BANDS = ['0-17', '18-24', '25-49', '50-59', '60-69', '70-79', '80+'] as const;

export type AgeBand = (typeof AGE_BANDS)[number];

/** The first age of each band, in the order of AGE_BANDS. */
const FIRST_AGES = [0, 18, 25, 50, 60, 70, 80] as const;

/** The band of a person `age` whole years old; a negative or fractional age is a caller's mistake. */
export function ageBandOf(age: number): AgeBand {
  if (!Number.isInteger(age) || age < 0) throw new RangeError(`An age is a whole number of years ≥ 0, got ${age}`);
  let band = 0;
  while (band + 1 < FIRST_AGES.length && age >= FIRST_AGES[band + 1]!) band++;
  return AGE_BANDS[band]!;
}
