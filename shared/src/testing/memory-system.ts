import { referenceFrom } from '../booking-reference.ts';
import { LiveStaffAccounts, LiveSubjectIdentity } from '../live-subjects.ts';
import type { Appointment, Centre, EligibilityRule, Slot } from '../model.ts';
import type { Identity, Ids, VerifiedIdentity } from '../ports.ts';
import type { CentrePrincipal, CentreRole, Principal } from '../principal.ts';
import { sha256Hex } from '../sha256.ts';
import { addDays, localToday, toInstant } from '../time-zone.ts';
import { ActorPseudonyms } from '../use-cases/actor-pseudonyms.ts';
import { bookAppointment } from '../use-cases/book-appointment.ts';
import { addBatch } from '../use-cases/centre-stock.ts';
import { DEFAULT_SETTINGS, type Deps, type Settings } from '../use-cases/deps.ts';
import { login } from '../use-cases/login.ts';
import { publishSlots } from '../use-cases/publish-slots.ts';
import { VaccineCatalogue } from '../vaccine-catalogue.ts';
import { VACCINES } from '../vaccines.ts';
import type { WaitingRoomDeps } from '../waiting-room.ts';
import { aBirthYearRule, aCentre, aCitizen, FakeClock } from './builders.ts';
import { InMemoryStore } from './in-memory-store.ts';

/** Monday 2026-01-12, 08:00 in Warsaw: where every test system stands until told otherwise. */
export const A_MONDAY_MORNING = '2026-01-12T07:00:00.000Z';

let plainAssertions = 0;

/**
 * An identity provider that is not under test: an assertion is the person's identity as JSON (with
 * `jti` and `expiresAt` when a test cares which assertion it is; otherwise each use is a new one), a
 * session token the principal as JSON.
 */
export const plainIdentity: Identity = {
  verifyAssertion: async (assertion) => {
    const { jti, expiresAt, ...person } = JSON.parse(assertion) as VerifiedIdentity & {
      jti?: string;
      expiresAt?: string;
    };
    return {
      person,
      id: jti ?? `plain-${++plainAssertions}`,
      expiresAt: expiresAt ?? '2099-01-01T00:00:00.000Z',
    };
  },
  issueSession: async (principal) => ({
    token: JSON.stringify(principal),
    expiresAt: '2099-01-01T00:00:00.000Z',
    kind: 'bearer',
  }),
  verifySession: async (token) => JSON.parse(token) as Principal,
};

/** Identifiers that sort in the order they were made, as the time-ordered ids of the embedded store do. */
export function sequentialIds(): Ids {
  let n = 0;
  let references = 0;
  return {
    next: (prefix) => `${prefix}_${String(++n).padStart(8, '0')}`,
    // The count in base 32, most significant first: AAAAAAAB, AAAAAAAC, …
    reference: () => {
      references++;
      return referenceFrom(Array.from({ length: 8 }, (_, i) => Math.floor(references / 32 ** (7 - i))));
    },
  };
}

export interface MemorySystem {
  store: InMemoryStore;
  clock: FakeClock;
  deps: Deps;
  /** Adds a centre and publishes its slots from today to the horizon. */
  addCentre(overrides?: Partial<Centre>): Promise<Centre>;
  addRule(rule?: EligibilityRule): Promise<void>;
  /** Logs a new citizen in: the patient's id, PESEL and principal. */
  newPatient(
    options?: Parameters<typeof aCitizen>[0],
  ): Promise<{ patientId: string; pesel: string; principal: Principal }>;
  /** The centre's slot of a product starting at a local date and time. */
  slotAt(centre: Centre, date: string, time: string, vaccineId?: string): Promise<Slot>;
  /** A member of a centre's staff (kept in the store, as sessions and recordings need), as a principal. */
  addStaff(centre: Centre, id: string, role?: CentreRole): Promise<CentrePrincipal>;
  /** Moves the clock to a wall-clock time at a centre. */
  standAt(centre: Centre, date: string, time: string): void;
  /** An appointment as stored now (throws when there is none). */
  stored(appointmentId: string): Promise<Appointment>;
  /** A delivery of a product at a centre, recorded by its manager; answers the batch's id. */
  addBatch(
    centre: Centre,
    vaccineId: string,
    batch?: { number?: string; doses?: number; expiry?: string },
  ): Promise<string>;
  /** A new patient books a centre's slot of a product; answers the course's two visits as stored. */
  bookCourse(centre: Centre, date: string, time: string, vaccineId?: string): Promise<[Appointment, Appointment]>;
}

/** The use cases on an in-memory store, a fake clock and plain identities: a whole system in microseconds. */
export function createMemorySystem(options: { now?: string; settings?: Partial<Settings> } = {}): MemorySystem {
  const store = new InMemoryStore();
  const clock = new FakeClock(options.now ?? A_MONDAY_MORNING);
  // As in both runtimes: a staff session holds only while the store has the member at its centre.
  const identity = new LiveSubjectIdentity(plainIdentity, store, clock);
  // The stored catalogue, read again after each save (no timer: tests move the clock by hand).
  const catalogue = new VaccineCatalogue(store, VACCINES, 0);
  const deps: Deps = {
    store,
    clock,
    ids: sequentialIds(),
    identity,
    staffAccounts: new LiveStaffAccounts(identity),
    vaccines: catalogue.vaccines,
    catalogue,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    pseudonyms: new ActorPseudonyms('memory-system-pseudonyms'),
    // The waiting room: a keyed digest and a seeded draw, so a test's shuffle can be replayed.
    queue: testWaitingRoom('memory-system-queue'),
  };
  return {
    store,
    clock,
    deps,
    async addCentre(overrides = {}) {
      const centre = aCentre(overrides);
      await store.runInTransaction(async (tx) => tx.putCentre(centre));
      const today = localToday(clock.now(), centre.timeZone);
      await publishSlots(
        deps,
        centre,
        today,
        addDays(today, deps.settings.slotHorizonDays),
        { role: 'system', id: 'test' },
        'test',
      );
      return centre;
    },
    async addRule(rule = aBirthYearRule(1970)) {
      await store.runInTransaction(async (tx) => tx.putEligibilityRule(rule));
    },
    async newPatient(citizenOptions = {}) {
      const citizen = aCitizen(citizenOptions);
      const result = await login(deps, JSON.stringify(citizen));
      const patientId = result.patient.id;
      return { patientId, pesel: citizen.pesel, principal: { role: 'patient', patientId } };
    },
    async slotAt(centre, date, time, vaccineId = 'comirnaty') {
      const start = toInstant(date, time, centre.timeZone)?.toISOString();
      const slot = (await store.listSlotsOfCentreDay(centre.id, date)).find(
        (s) => s.start === start && s.vaccineId === vaccineId,
      );
      if (!slot) throw new Error(`no ${vaccineId} slot at ${date} ${time}`);
      return slot;
    },
    standAt(centre, date, time) {
      const instant = toInstant(date, time, centre.timeZone);
      if (!instant) throw new Error(`${date} ${time} does not exist in ${centre.timeZone}`);
      clock.set(instant.toISOString());
    },
    async stored(appointmentId) {
      const appointment = await store.getAppointment(appointmentId);
      if (!appointment) throw new Error(`appointment ${appointmentId} is gone`);
      return appointment;
    },
    async addBatch(centre, vaccineId, batch = {}) {
      const manager = await this.addStaff(centre, `manager-${centre.id}`, 'centre-manager');
      const added = await addBatch(deps, manager, centre.id, {
        vaccineId,
        number: batch.number ?? `${vaccineId.slice(0, 2).toUpperCase()}-${centre.id}`,
        doses: batch.doses ?? 100,
        expiry: batch.expiry ?? '2026-12-31',
      });
      return added.id;
    },
    async bookCourse(centre, date, time, vaccineId = 'comirnaty') {
      const { patientId, principal } = await this.newPatient();
      const slotId = (await this.slotAt(centre, date, time, vaccineId)).id;
      const result = await bookAppointment(deps, principal, { patientId, slotId, idempotencyKey: null });
      const [first, second] = result.appointments;
      if (!first || !second) throw new Error('a course of one dose');
      return [await this.stored(first.id), await this.stored(second.id)];
    },
    async addStaff(centre, id, role = 'staff') {
      await store.runInTransaction(async (tx) =>
        tx.putStaff({ id, name: `Staff ${id}`, email: `${id}@example.test`, centreId: centre.id, role }),
      );
      return { role, staffId: id, centreId: centre.id };
    },
  };
}

// The waiting room
/** A ticket signer keyed by a digest of key and text (tests only: the runtimes use HMAC) and a seeded draw. */
export function testWaitingRoom(key: string, seed = 1): WaitingRoomDeps {
  let state = seed;
  const sign = (text: string) => sha256Hex(`${key}:${text}`).slice(0, 43);
  return {
    signer: { sign, verify: (text, signature) => sign(text) === signature },
    random: () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    },
  };
}
