import { type DomainEvent, type EventConsumer, touchedCentreDays } from '@ereg/shared';
import type { FirestoreStore } from './firestore-store.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Per-key coalescing: a caller gets a run that starts after its call, and every caller that arrives
 * while that run is still waiting to start shares it. So a burst of events for one centre-day becomes
 * one recomputation per `windowMs` in this instance, and no event is answered before a recomputation
 * that saw its change.
 */
class CoalescingRunner {
  private readonly keys = new Map<string, { tail: Promise<void>; queued: Promise<void> | null }>();
  private readonly windowMs: number;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  run(key: string, work: () => Promise<unknown>): Promise<void> {
    let entry = this.keys.get(key);
    if (!entry) {
      entry = { tail: Promise.resolve(), queued: null };
      this.keys.set(key, entry);
    }
    if (entry.queued) return entry.queued;
    const owner = entry;
    const queued = owner.tail
      .catch(() => {})
      .then(() => (this.windowMs > 0 ? sleep(this.windowMs) : undefined))
      .then(async () => {
        owner.queued = null;
        await work();
      });
    owner.queued = queued;
    owner.tail = queued;
    queued.then(
      () => this.forget(key, owner, queued),
      () => this.forget(key, owner, queued),
    );
    return queued;
  }

  private forget(key: string, entry: { tail: Promise<void> }, done: Promise<void>): void {
    if (entry.tail === done && this.keys.get(key) === entry) this.keys.delete(key);
  }
}

/**
 * The search read model on Firestore, kept from events: each centre-day an event touches is
 * recomputed from its slots (`FirestoreStore.refreshAvailability`), so a redelivered, repeated or
 * missed event heals itself and the booking transaction never writes a shared summary. Events for the
 * same centre-day arriving together in one instance share one recomputation (`windowMs`, default
 * 500 ms), which keeps the hottest summary near one write per second (docs/capacity.md §3).
 * `handle` returns once its centre-days are recomputed, so the Pub/Sub delivery is acknowledged only
 * then.
 */
export class FirestoreAvailabilityProjector implements EventConsumer {
  readonly name = 'availability';
  private readonly store: FirestoreStore;
  private readonly runner: CoalescingRunner;

  constructor(store: FirestoreStore, options: { windowMs?: number } = {}) {
    this.store = store;
    this.runner = new CoalescingRunner(options.windowMs ?? 500);
  }

  async handle(event: DomainEvent): Promise<void> {
    const days = new Map<string, { centreId: string; date: string }>();
    for (const { centreId, date } of touchedCentreDays(event)) days.set(`${centreId}|${date}`, { centreId, date });
    await Promise.all(
      [...days].map(([key, { centreId, date }]) =>
        this.runner.run(key, () => this.store.refreshAvailability(centreId, date)),
      ),
    );
  }
}
