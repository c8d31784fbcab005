type LocalStorage = Pick<Storage, 'getItem' | 'setItem'>;

const keyOf = (vaccineId: string) => `ereg.centre.lot.${vaccineId}`;

/**
 * The lot number of the last vaccination recorded with a product on this device: a nurse draws many
 * doses from one batch, so the next recording starts with it ("same as last").
 */
export function lastLot(storage: LocalStorage, vaccineId: string): string | null {
  try {
    return storage.getItem(keyOf(vaccineId));
  } catch {
    return null;
  }
}

export function rememberLot(storage: LocalStorage, vaccineId: string, lot: string): void {
  try {
    storage.setItem(keyOf(vaccineId), lot);
  } catch {
    // A browser that refuses storage asks for the lot each time.
  }
}
