import type { DomainEvent } from './events.ts';
import type { Vaccine } from './model.ts';
import type { EventConsumer, Store } from './ports.ts';
import { VACCINES } from './vaccines.ts';

/** How often an instance reads the catalogue again, to see a change saved by another instance. */
export const CATALOGUE_REFRESH_MS = 60_000;

/**
 * The stored catalogue, by id; a store that has none yet is seeded with `VACCINES` first (in one
 * transaction, so two instances starting together seed it once).
 */
export async function readCatalogue(store: Store): Promise<Vaccine[]> {
  const stored = await store.listVaccines();
  if (stored.length > 0) return stored;
  return store.runInTransaction(async (tx) => {
    const again = await tx.listVaccines();
    if (again.length > 0) return again;
    // By id, as the stores list it.
    const seed = VACCINES.map((vaccine) => structuredClone(vaccine)).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const vaccine of seed) tx.putVaccine(vaccine);
    return seed;
  });
}

/**
 * The catalogue in force, kept in memory: search and booking consult it on every request, and it
 * changes a few times a year. `vaccines` is one array, handed to the use cases as `deps.vaccines`
 * and updated in place: by `refresh()` after a save in this process, on a `vaccine.changed` event where
 * the instance is fed the event stream (`follower()`), and every `CATALOGUE_REFRESH_MS` otherwise
 * (`start()`), so another instance sees a change within that delay.
 */
export class VaccineCatalogue {
  /** The products in force, the same array for the life of the catalogue. */
  readonly vaccines: Vaccine[];
  private readonly store: Store;
  private readonly refreshMs: number;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** Starts with `initial` (the built-in list) until the stored catalogue is first read. */
  constructor(store: Store, initial: readonly Vaccine[] = VACCINES, refreshMs = CATALOGUE_REFRESH_MS) {
    this.store = store;
    this.vaccines = initial.map((vaccine) => structuredClone(vaccine));
    this.refreshMs = refreshMs;
  }

  /** Reads the stored catalogue (seeding it when empty) into `vaccines`. */
  async refresh(): Promise<readonly Vaccine[]> {
    const stored = await readCatalogue(this.store);
    this.vaccines.splice(0, this.vaccines.length, ...stored);
    return this.vaccines;
  }

  /** Reads the catalogue now and then every `refreshMs`; the timer keeps no process alive. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.timer || this.refreshMs <= 0) return;
    this.timer = setInterval(() => {
      // A failed read keeps the catalogue as it was; the next tick tries again.
      this.refresh().catch(() => {});
    }, this.refreshMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A consumer that reads the catalogue again when any process saved a product. */
  follower(): EventConsumer {
    return {
      name: 'vaccine-catalogue',
      handle: async (event: DomainEvent) => {
        if (event.type === 'vaccine.changed') await this.refresh();
      },
    };
  }
}
