type LocalStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** What a recording keeps for the next one on this device ("same as last"): the batch of a product, the site, who vaccinated. */
export type Remembered = `batch.${string}` | 'site' | 'vaccinator';

const keyOf = (what: Remembered) => `ereg.centre.${what}`;

/**
 * What the last vaccination recorded on this device used: a nurse draws many doses from one batch and
 * injects most people in the same arm, so the next recording starts with them.
 */
export function recall(storage: LocalStorage, what: Remembered): string | null {
  try {
    return storage.getItem(keyOf(what));
  } catch {
    return null;
  }
}

export function remember(storage: LocalStorage, what: Remembered, value: string): void {
  try {
    storage.setItem(keyOf(what), value);
  } catch {
    // A browser that refuses storage asks each time.
  }
}
