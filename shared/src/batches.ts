import { conflict } from './errors.ts';
import type { WasteReason } from './model.ts';

/** A lot number as printed on the vial: 2–30 letters, digits or dashes, starting with a letter or digit. */
export const LOT_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/;

/** The reasons a person may give for wasted doses (`closed` is the system's, when a batch is closed). */
export const WASTE_REASONS = [
  'broken',
  'expired',
  'temperature',
  'drawn_not_given',
  'other',
] as const satisfies readonly WasteReason[];

/** Doses delivered in one batch, at most. */
export const MAX_BATCH_DOSES = 100_000;

/** Doses logged as wasted at once, at most. */
export const MAX_WASTED_AT_ONCE = 50;

/**
 * The refusal of a taking that would leave a batch below zero. Stores throw it from `takeDoses`, so
 * that every store words it alike and the stock stays as it was.
 */
export function outOfStock(batchId: string, available: number) {
  return conflict(
    'OUT_OF_STOCK',
    available === 0
      ? `Batch ${batchId} has no doses left.`
      : `Batch ${batchId} has only ${available} dose${available === 1 ? '' : 's'} left.`,
    { batchId, available },
  );
}
