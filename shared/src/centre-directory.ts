import type { Centre } from './model.ts';
import type { Clock, Store } from './ports.ts';

/**
 * Every centre, kept in memory: there are a few thousand, they change rarely, and search needs all of
 * them for every query. A short time-to-live lets another process's change show up soon.
 */
export class CentreDirectory {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private cached: { at: number; centres: Centre[]; byId: Map<string, Centre> } | null = null;
  private loading: Promise<Centre[]> | null = null;

  constructor(store: Store, clock: Clock, ttlMs = 10_000) {
    this.store = store;
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  /** All centres, from memory while fresh. */
  async all(): Promise<Centre[]> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.centres;
    this.loading ??= this.store.listCentres().then((centres) => {
      this.cached = { at: now, centres, byId: new Map(centres.map((c) => [c.id, c])) };
      this.loading = null;
      return centres;
    });
    return this.loading;
  }

  /** One centre by id, from memory while fresh. */
  async get(id: string): Promise<Centre | null> {
    await this.all();
    return this.cached?.byId.get(id) ?? null;
  }

  /** Forgets the cache after a change made by this process. */
  invalidate(): void {
    this.cached = null;
  }
}
