import type { Clock, Ids } from '@ereg/shared';

/** The machine's clock, for every runtime (tests stand at a chosen moment with their own). */
export const systemClock: Clock = { now: () => new Date() };

/** Time-ordered random ids: unique across processes and instances, and sortable by creation. */
export const randomIds: Ids = {
  next: (prefix) => `${prefix}_${Date.now().toString(36)}${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`,
};
