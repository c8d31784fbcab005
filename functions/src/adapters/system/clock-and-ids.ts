import { randomBytes } from 'node:crypto';
import { type Clock, type Ids, referenceFrom } from '@ereg/shared';

/** A random booking reference candidate: 8 of 32 characters, 40 bits from the system's random source. */
const randomReference = (): string => referenceFrom(randomBytes(8));

/** The machine's clock, for every runtime (tests stand at a chosen moment with their own). */
export const systemClock: Clock = { now: () => new Date() };

/** Time-ordered random ids: unique across processes and instances, and sortable by creation. */
export const randomIds: Ids = {
  next: (prefix) => `${prefix}_${Date.now().toString(36)}${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
  reference: randomReference,
};

/**
 * Random ids with no time order, for Firestore: document ids that grow with time put every new write
 * of a collection on one key range (one tablet) and throttle it (docs/capacity.md §4).
 */
export const scatteredIds: Ids = {
  next: (prefix) => `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`,
  reference: randomReference,
};
