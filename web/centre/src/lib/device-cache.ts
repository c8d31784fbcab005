type DeviceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/** A copy of what the API answered, kept on the device to show when the network is down. */
export interface Kept<T> {
  data: T;
  /** When the API answered it (ISO 8601): the screen says "as of" this time. */
  savedAt: string;
}

const PREFIX = 'ereg.centre.kept.';
/** How many days' lists of a centre a device keeps: today, and a day or two looked at besides. */
const DAYS_KEPT = 3;

/** Where a centre's day list is kept, and its batches and staff (the same for every day). */
export const keptDayKey = (centreId: string, date: string) => `day.${centreId}.${date}`;
export const keptCentreKey = (centreId: string, what: 'batches' | 'staff') => `${what}.${centreId}`;

export function readKept<T>(storage: DeviceStorage, key: string): Kept<T> | null {
  try {
    const stored = JSON.parse(storage.getItem(PREFIX + key) ?? 'null') as Kept<T> | null;
    return stored && typeof stored.savedAt === 'string' && 'data' in stored ? stored : null;
  } catch {
    return null;
  }
}

/** Every kept key under a prefix, with when it was saved. */
function keptUnder(storage: DeviceStorage, prefix: string): Array<{ key: string; savedAt: string }> {
  const found: Array<{ key: string; savedAt: string }> = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(PREFIX + prefix)) continue;
    const kept = readKept(storage, key.slice(PREFIX.length));
    found.push({ key, savedAt: kept?.savedAt ?? '' });
  }
  return found;
}

/**
 * Keeps an answer on the device. Day lists hold people's names and PESELs, so a centre's are kept for
 * a few days only: the oldest saved go when more are kept. A full storage keeps nothing new.
 */
export function keep<T>(storage: DeviceStorage, key: string, data: T, savedAt: string): void {
  try {
    storage.setItem(PREFIX + key, JSON.stringify({ data, savedAt } satisfies Kept<T>));
    const day = /^day\.([^.]+)\./.exec(key);
    if (!day) return;
    const days = keptUnder(storage, `day.${day[1]}.`).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    for (const old of days.slice(DAYS_KEPT)) storage.removeItem(old.key);
  } catch {
    // Storage full or refused: the screen works as before, without a copy for offline use.
  }
}
