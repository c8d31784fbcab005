import type { Clock, Ids } from '@ereg/shared';

/** The machine's clock, for every runtime (tests stand at a chosen moment with their own). */
export const systemClock: Clock = { now: () => new Date() };

/** Time-ordered random ids: unique across processes and instances, and sortable by creation. */
export const randomIds: Ids = {
  next: (prefix) => `${prefix}_${Date.now().toString(36)}${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
};

/**
 * Random ids with no time order, for Firestore: document ids that grow with time put every new write
 * of a collection on one key range (one tablet) and throttle it (docs/capacity.md §4).
 */
export const scatteredIds: Ids = {
  next: (prefix) => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`,
};
