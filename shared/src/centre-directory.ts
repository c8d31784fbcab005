import { boundingBox, distanceKm } from './geo.ts';
import type { Centre, GeoPoint } from './model.ts';
import type { Clock, Store } from './ports.ts';

/**
 * Every centre, kept in memory: there are a few thousand, they change rarely, and search needs all of
 * them for every query. A short time-to-live lets another process's change show up soon.
 */
export class CentreDirectory {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private cached: { at: number; centres: Centre[]; byId: Map<string, Centre>; grid: Map<string, Centre[]> } | null =
    null;
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
      const grid = new Map<string, Centre[]>();
      for (const centre of centres) {
        const key = cellOf(centre.location.lat, centre.location.lon);
        const cell = grid.get(key);
        if (cell) cell.push(centre);
        else grid.set(key, [centre]);
      }
      this.cached = { at: now, centres, byId: new Map(centres.map((c) => [c.id, c])), grid };
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

  /**
   * Centres within a radius, nearest first. A grid of 0.2° cells narrows the candidates, so a search
   * measures distances to the few hundred centres around the place, not to all of them.
   */
  async near(origin: GeoPoint, radiusKm: number): Promise<Array<{ centre: Centre; distance: number }>> {
    await this.all();
    const grid = this.cached?.grid ?? new Map<string, Centre[]>();
    const box = boundingBox(origin, radiusKm);
    const found: Array<{ centre: Centre; distance: number }> = [];
    for (let lat = Math.floor(box.minLat / CELL); lat <= Math.floor(box.maxLat / CELL); lat++) {
      for (let lon = Math.floor(box.minLon / CELL); lon <= Math.floor(box.maxLon / CELL); lon++) {
        for (const centre of grid.get(`${lat}:${lon}`) ?? []) {
          const distance = distanceKm(origin, centre.location);
          if (distance <= radiusKm) found.push({ centre, distance });
        }
      }
    }
    return found.sort((a, b) => a.distance - b.distance);
  }

  /** Forgets the cache after a change made by this process. */
  invalidate(): void {
    this.cached = null;
  }
}

const CELL = 0.2;
const cellOf = (lat: number, lon: number) => `${Math.floor(lat / CELL)}:${Math.floor(lon / CELL)}`;
