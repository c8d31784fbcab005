import { DatabaseSync } from 'node:sqlite';
import {
  ActorPseudonyms,
  addDays,
  type Centre,
  CentreDirectory,
  DEFAULT_SETTINGS,
  type Deps,
  type DomainEvent,
  type EligibilityRule,
  type FunctionName,
  HotlineSessionIdentity,
  isCentrePrincipal,
  LiveStaffAccounts,
  LiveSubjectIdentity,
  localToday,
  type Principal,
  publishSlots,
  type Settings,
  VACCINES,
} from '@ereg/shared';
import { FirestoreAvailabilityProjector } from '../../src/adapters/firestore/firestore-availability.ts';
import { COLLECTIONS, FirestoreStore } from '../../src/adapters/firestore/firestore-store.ts';
import { polishPostalCodes } from '../../src/adapters/geonames/postal-codes.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { randomIds } from '../../src/adapters/system/clock-and-ids.ts';
import { DevIdentity, loadOrCreateDevKeys } from '../../src/dev/dev-identity.ts';
import { DevPeople } from '../../src/dev/dev-people.ts';
import { buildHttpFunctions } from '../../src/http/functions.ts';
import type { HttpFunction } from '../../src/http/http-types.ts';
import { aBirthYearRule, aCentre, FakeClock, TEST_PESEL_SECRET } from './builders.ts';
import { firestoreForEmulator } from './emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from './emulators.ts';

/** The HTTP functions of the system on the Firestore store, with what the tests reach behind them. */
export interface FirestoreTestSystem {
  deps: Deps;
  store: FirestoreStore;
  clock: FakeClock;
  identity: DevIdentity;
  people: DevPeople;
  centres: CentreDirectory;
  functions: Record<FunctionName, HttpFunction>;
  emulator: Emulator;
  /** Delivers the outbox events not delivered yet to the availability projector; answers how many. */
  drain(): Promise<number>;
  /** Adds centres and publishes their slots. */
  addCentre(centre?: Partial<Centre>): Promise<Centre>;
  addRule(rule?: EligibilityRule): Promise<void>;
  tokenFor(principal: Principal): Promise<string>;
  countAppointments(): Promise<number>;
  /** Stops the client, the emulator and the identity provider's database. */
  close(): Promise<void>;
}

/**
 * Stands in for the platform's Firestore document-created trigger on `outbox/{eventId}`, which the
 * emulator does not fire: every event written since the last drain, in the order it happened, goes to
 * the consumer once.
 */
class OutboxFeed {
  private readonly delivered = new Set<string>();
  private readonly store: FirestoreStore;
  private readonly projector: FirestoreAvailabilityProjector;

  constructor(store: FirestoreStore) {
    this.store = store;
    // No coalescing window: a test asks for the read model right after the drain it awaited.
    this.projector = new FirestoreAvailabilityProjector(store, { windowMs: 0 });
  }

  async drain(): Promise<number> {
    const snapshot = await this.store.firestore.collection(COLLECTIONS.outbox).get();
    const fresh = snapshot.docs
      .map((d) => d.data() as DomainEvent)
      .filter((event) => !this.delivered.has(event.id))
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
    for (const event of fresh) {
      await this.projector.handle(event);
      this.delivered.add(event.id);
    }
    return fresh.length;
  }
}

/**
 * The system's HTTP functions on the Firestore store, on a Firestore emulator of its own, standing at
 * the same fixed moment as `createTestSystem`. The development identity provider keeps its keys and
 * people in an in-memory SQLite database: that is the provider's own storage, not the system of record.
 */
export async function createFirestoreTestSystem(
  options: { now?: string; settings?: Partial<Settings> } = {},
): Promise<FirestoreTestSystem> {
  const emulator = await startFirestoreEmulator();
  try {
    const projectId = `demo-ereg-api-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(emulator.host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
    });
    const clock = new FakeClock(options.now ?? '2026-01-12T07:00:00.000Z');
    const idpDb = new DatabaseSync(':memory:');
    prepareDatabase(idpDb);
    const identity = new DevIdentity(loadOrCreateDevKeys(idpDb), clock);
    const people = new DevPeople(idpDb);
    // As in both runtimes: a staff session holds only while the store has the member at its centre.
    const live = new LiveSubjectIdentity(identity, store, clock);
    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    const deps: Deps = {
      store,
      clock,
      ids: randomIds,
      identity: new HotlineSessionIdentity(live, store, clock, settings),
      staffAccounts: new LiveStaffAccounts(live),
      vaccines: VACCINES,
      settings,
      pseudonyms: new ActorPseudonyms(TEST_PESEL_SECRET),
    };
    const centres = new CentreDirectory(store, clock, polishPostalCodes(), 10_000, 0);
    const feed = new OutboxFeed(store);
    return {
      deps,
      store,
      clock,
      identity,
      people,
      centres,
      functions: buildHttpFunctions(deps, centres),
      emulator,
      drain: () => feed.drain(),
      async addCentre(overrides: Partial<Centre> = {}) {
        const centre = aCentre(overrides);
        await store.runInTransaction(async (tx) => {
          tx.putCentre(centre);
        });
        const today = localToday(clock.now(), centre.timeZone);
        await publishSlots(
          deps,
          centre,
          today,
          addDays(today, deps.settings.slotHorizonDays),
          { role: 'system', id: 'test' },
          'test',
        );
        centres.invalidate();
        await feed.drain();
        return centre;
      },
      async addRule(rule: EligibilityRule = aBirthYearRule(1970)) {
        await store.runInTransaction(async (tx) => {
          tx.putEligibilityRule(rule);
        });
      },
      async tokenFor(principal: Principal) {
        // A centre member's session holds only while the store has them at its centre in that role.
        if (isCentrePrincipal(principal)) {
          await store.runInTransaction(async (tx) => {
            tx.putStaff({
              id: principal.staffId,
              name: principal.staffId,
              email: `${principal.staffId}@example.test`,
              centreId: principal.centreId,
              role: principal.role,
            });
          });
        }
        return (await identity.issueSession(principal)).token;
      },
      async countAppointments() {
        return (await store.firestore.collection(COLLECTIONS.appointments).count().get()).data().count;
      },
      async close() {
        await store.close();
        await emulator.stop();
        idpDb.close();
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}
