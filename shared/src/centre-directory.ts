import type { DomainEvent } from './events.ts';
import { boundingBox, distanceKm } from './geo.ts';
import type { Centre, GeoPoint, Slot } from './model.ts';
import type { Availability, Clock, EventConsumer, Store } from './ports.ts';
import { type PostalCodePlace, type PostalCodes, placeKey } from './postal-codes.ts';

/**
 * Every centre, kept in memory: there are a few thousand, they change rarely, and search needs all of
 * them for every query. Where every instance can be fed the event stream (the embedded default's
 * dispatcher, in each process), `follower()` forgets a change as soon as its event is delivered; the
 * time-to-live bounds how stale an instance that cannot be fed (a Cloud Functions instance: the event
 * functions run elsewhere) may be.
 */
export class CentreDirectory {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly postalCodes: PostalCodes;
  private readonly ttlMs: number;
  private cached: {
    at: number;
    centres: Centre[];
    byId: Map<string, Centre>;
    byPostalCode: Map<string, Centre>;
    grid: Map<string, Centre[]>;
  } | null = null;
  private availability = new Map<string, { at: number; value: Availability[] }>();
  private freeSlotsMemo = new Map<string, { at: number; value: Slot[] }>();
  private nearMemo = new Map<string, Array<{ centre: Centre; distance: number }>>();
  private answers = new Map<string, { at: number; value: Promise<unknown> }>();
  private loading: Promise<Centre[]> | null = null;

  private readonly readModelTtlMs: number;

  /**
   * `postalCodes`: where searches by postal code start; `ttlMs`: how long the centre list is kept;
   * `readModelTtlMs`: how long availability, first slots and whole search answers are remembered (0 turns that off).
   */
  constructor(store: Store, clock: Clock, postalCodes: PostalCodes, ttlMs = 10_000, readModelTtlMs = 1000) {
    this.store = store;
    this.clock = clock;
    this.postalCodes = postalCodes;
    this.ttlMs = ttlMs;
    this.readModelTtlMs = readModelTtlMs;
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
      const byPostalCode = new Map<string, Centre>();
      for (const centre of centres) {
        if (!byPostalCode.has(centre.address.postalCode)) byPostalCode.set(centre.address.postalCode, centre);
      }
      this.cached = { at: now, centres, byId: new Map(centres.map((c) => [c.id, c])), byPostalCode, grid };
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
    // Searches start from a few thousand postal codes, so the same places come back again and again.
    const key = `${origin.lat}|${origin.lon}|${radiusKm}`;
    const known = this.nearMemo.get(key);
    if (known) return known;
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
    found.sort((a, b) => a.distance - b.distance);
    if (this.nearMemo.size >= NEAR_ENTRIES) this.nearMemo.clear();
    this.nearMemo.set(key, found);
    return found;
  }

  /** A centre at exactly this postal code, if any. */
  async atPostalCode(postalCode: string): Promise<Centre | null> {
    await this.all();
    return this.cached?.byPostalCode.get(postalCode) ?? null;
  }

  /**
   * Where a search from a postal code (`NN-NNN`) starts: its locality in the postal-code table; for a code
   * the table lacks, a centre with that code, else the code's two-digit area; null for a code of no area.
   */
  async locate(postalCode: string): Promise<PostalCodePlace | null> {
    const known = this.postalCodes.locate(postalCode);
    if (known === null || known.precision === 'locality') return known;
    const centre = await this.atPostalCode(postalCode);
    return centre ? { place: centre.address.city, location: centre.location, precision: 'locality' } : known;
  }

  /**
   * Where a search from a town's name starts: the place of that name in the postal-code table, else a
   * centre in a town of that name (a table without localities); null when neither knows it.
   */
  async locateTown(name: string): Promise<PostalCodePlace | null> {
    const known = this.postalCodes.findPlace(name);
    if (known) return known;
    const key = placeKey(name);
    const centre = (await this.all()).find((c) => placeKey(c.address.city) === key);
    return centre ? { place: centre.address.city, location: centre.location, precision: 'locality' } : null;
  }

  /**
   * A centre's first day with free places, remembered briefly (readModelTtlMs): search asks the same nearby
   * centres again and again, and the read model behind it is a moment behind the slots anyway.
   */
  async firstAvailableDay(
    centreId: string,
    from: string,
    to: string,
    vaccineId: string | null,
  ): Promise<Availability[]> {
    const key = `${centreId}|${from}|${to}|${vaccineId ?? ''}`;
    const now = this.clock.now().getTime();
    const hit = this.availability.get(key);
    if (hit && now - hit.at < this.readModelTtlMs) return hit.value;
    const value = await this.store.firstAvailableDay(centreId, from, to, vaccineId);
    if (this.availability.size >= AVAILABILITY_ENTRIES) this.availability.clear();
    this.availability.set(key, { at: now, value });
    return value;
  }

  /**
   * The first free slots of a centre from the start of a day, remembered briefly like the
   * availability: what search shows may be a moment old; booking decides on the current slot.
   */
  async freeSlotsFrom(
    centreId: string,
    dayStart: string,
    to: string,
    vaccineIds: readonly string[] | null,
    limit: number,
  ): Promise<Slot[]> {
    const key = `${centreId}|${dayStart}|${to}|${vaccineIds?.join(',') ?? ''}|${limit}`;
    const now = this.clock.now().getTime();
    const hit = this.freeSlotsMemo.get(key);
    if (hit && now - hit.at < this.readModelTtlMs) return hit.value;
    const value = await this.store.findFreeSlots({ centreId, vaccineIds, from: dayStart, to, limit });
    if (this.freeSlotsMemo.size >= AVAILABILITY_ENTRIES) this.freeSlotsMemo.clear();
    this.freeSlotsMemo.set(key, { at: now, value });
    return value;
  }

  /**
   * Remembers a whole search answer briefly: popular places are searched many times a second,
   * and the answer is built from a read model that is a moment behind anyway.
   */
  async rememberAnswer<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const hit = this.answers.get(key);
    if (hit && now - hit.at < this.readModelTtlMs) return hit.value as Promise<T>;
    const value = compute();
    if (this.answers.size >= NEAR_ENTRIES) this.answers.clear();
    this.answers.set(key, { at: now, value });
    value.catch(() => this.answers.delete(key));
    return value;
  }

  /** Forgets every centre and everything remembered of the read model. */
  invalidate(): void {
    this.cached = null;
    this.nearMemo.clear();
    this.forgetReadModel();
  }

  /** Forgets what search remembered of availability and free slots, keeping the centres. */
  forgetReadModel(): void {
    this.availability.clear();
    this.freeSlotsMemo.clear();
    this.answers.clear();
  }

  /** A consumer that keeps this directory in step with centre changes made by any process. */
  follower(): EventConsumer {
    return new CentreDirectoryFollower(this);
  }
}

/** Forgets what an event makes stale: the centre records, or only what search read of their slots. */
class CentreDirectoryFollower implements EventConsumer {
  readonly name = 'centres';
  private readonly directory: CentreDirectory;

  constructor(directory: CentreDirectory) {
    this.directory = directory;
  }

  async handle(event: DomainEvent): Promise<void> {
    switch (event.type) {
      // These rewrite the centre record (a new centre, its weekly schedule, its closed dates).
      case 'centre.onboarded':
      case 'schedule.changed':
      case 'centre.day_cancelled':
      case 'centre.suspended':
      case 'centre.resumed':
      case 'centre.closed':
        this.directory.invalidate();
        return;
      // New slots leave the centre as it was; only remembered answers are out of date.
      case 'slots.published':
        this.directory.forgetReadModel();
        return;
      default:
        return;
    }
  }
}

const CELL = 0.2;
const AVAILABILITY_ENTRIES = 100_000;
const NEAR_ENTRIES = 20_000;
const cellOf = (lat: number, lon: number) => `${Math.floor(lat / CELL)}:${Math.floor(lon / CELL)}`;
