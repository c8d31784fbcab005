import type { Firestore } from '@google-cloud/firestore';
import {
  BOOKING_METERS_COLLECTION,
  FirestoreBookingMeter,
  SUMMARY_FRESH_MS,
} from '../../src/adapters/firestore/firestore-booking-meter.ts';
import { FirestoreLease } from '../../src/adapters/firestore/firestore-lease.ts';
import { FakeClock } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';

// The waiting room's admission on Google Cloud: what booking instances measure, shared through one
// document each, and the lease that lets one run of the tick at a time. On Google's Firestore emulator.

jest.setTimeout(120_000);

let emulator: Emulator;
const clients: Firestore[] = [];

const aProject = () => `demo-ereg-admission-${Math.random().toString(36).slice(2, 10)}`;

/** A client of a fresh database, or of a project's database another client uses too (another instance). */
function client(project: string = aProject()): Firestore {
  const firestore = firestoreForEmulator(emulator.host, project);
  clients.push(firestore);
  return firestore;
}

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.terminate()));
  await emulator?.stop();
});

const T0 = '2026-01-12T19:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms);

describe('the booking meter across instances', () => {
  let firestore: Firestore;
  let clock: FakeClock;
  const meters: FirestoreBookingMeter[] = [];
  const instance = (id: string, onWriteFailed?: (reason: unknown) => void) => {
    const meter = new FirestoreBookingMeter(firestore, {
      instanceId: id,
      clock,
      ...(onWriteFailed ? { onWriteFailed } : {}),
    });
    meters.push(meter);
    return meter;
  };

  beforeEach(() => {
    firestore = client();
    clock = new FakeClock(T0);
  });

  afterEach(() => {
    for (const meter of meters.splice(0)) meter.stop();
  });

  test('two instances write one summary each, and one measure adds them up', async () => {
    const a = instance('instance-a');
    const b = instance('instance-b');
    // a: 20 bookings in its ten seconds, none failed, 50…240 ms; b: 10 attempts, 8 booked, 2 failed, slower.
    for (let i = 0; i < 20; i++) a.record(at(i * 100), { booked: true, failed: false, ms: 50 + i * 10 });
    for (let i = 0; i < 10; i++) b.record(at(i * 100), { booked: i < 8, failed: i >= 8, ms: 400 });
    await Promise.all([a.settled(), b.settled()]);
    // The first record of each wrote at once; the rest wait for the five seconds: write again now.
    a.record(at(5_000), { booked: true, failed: false, ms: 60 });
    b.record(at(5_000), { booked: false, failed: false, ms: 100 });
    await Promise.all([a.settled(), b.settled()]);
    const docs = await firestore.collection(BOOKING_METERS_COLLECTION).get();
    expect(docs.docs.map((d) => d.id).sort()).toEqual(['instance-a', 'instance-b']);
    expect(docs.docs.find((d) => d.id === 'instance-a')?.data()).toMatchObject({
      windowMs: 10_000,
      booked: 21,
      failed: 0,
      count: 21,
      // The 20th of 21 latencies (50, 60, 60, 70, … 240).
      p95Ms: 230,
    });
    const expireAt = docs.docs
      .find((d) => d.id === 'instance-b')
      ?.get('expireAt')
      .toMillis();
    expect(expireAt).toBe(at(5_000).getTime() + 3_600_000);

    const measured = await a.measure(at(6_000));
    // 21/10 + 8/10 bookings a second; 2 failed of 32 requests; the slower instance's p95.
    expect(measured.bookingsPerSecond).toBeCloseTo(2.9, 10);
    expect(measured.errorRate).toBeCloseTo(2 / 32, 10);
    expect(measured.p95Ms).toBe(400);
    // Any instance reads the same.
    expect(await b.measure(at(6_000))).toEqual(measured);
  });

  test('an idle instance writes nothing, and a burst writes at most once every five seconds', async () => {
    const idle = instance('idle');
    const busy = instance('busy');
    const writes: number[] = [];
    const unsubscribe = firestore
      .collection(BOOKING_METERS_COLLECTION)
      .doc('busy')
      .onSnapshot((snap) => {
        if (snap.exists) writes.push(snap.get('at').toMillis());
      });
    for (let i = 0; i < 50; i++) busy.record(at(i * 90), { booked: true, failed: false, ms: 30 });
    await busy.settled();
    await idle.settled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    unsubscribe();
    expect((await firestore.collection(BOOKING_METERS_COLLECTION).doc('idle').get()).exists).toBe(false);
    // 50 records over 4.4 s and again at 4.5 s: the first at once, the one at 4.5 s is not yet due.
    expect(writes).toEqual([at(0).getTime()]);
    busy.record(at(5_000), { booked: true, failed: false, ms: 30 });
    await busy.settled();
    expect((await firestore.collection(BOOKING_METERS_COLLECTION).doc('busy').get()).get('count')).toBe(51);
  });

  test('the last bookings of a burst are written once the five seconds are up', async () => {
    const meter = instance('trailing');
    meter.record(at(4_900), { booked: true, failed: false, ms: 30 });
    clock.set(at(4_990).toISOString());
    meter.record(at(4_990), { booked: true, failed: false, ms: 30 });
    await meter.settled();
    const ref = firestore.collection(BOOKING_METERS_COLLECTION).doc('trailing');
    expect((await ref.get()).get('count')).toBe(1);
    // Within five seconds the pending write goes out, with both.
    const deadline = Date.now() + 10_000;
    while ((await ref.get()).get('count') !== 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await ref.get()).get('count')).toBe(2);
  });

  test('summaries written more than fifteen seconds ago are left out', async () => {
    const gone = instance('gone');
    const live = instance('live');
    gone.record(at(0), { booked: true, failed: true, ms: 900 });
    live.record(at(10_000), { booked: true, failed: false, ms: 70 });
    await Promise.all([gone.settled(), live.settled()]);
    const measured = await live.measure(at(SUMMARY_FRESH_MS + 1));
    expect(measured).toEqual({ bookingsPerSecond: 0.1, errorRate: 0, p95Ms: 70 });
    expect(await live.measure(at(10_000 + SUMMARY_FRESH_MS + 1))).toEqual({
      bookingsPerSecond: 0,
      errorRate: 0,
      p95Ms: null,
    });
  });

  test('a failed write is told once and never fails the booking that recorded it', async () => {
    const broken = client();
    await broken.terminate();
    const told: unknown[] = [];
    const meter = new FirestoreBookingMeter(broken, {
      instanceId: 'broken',
      clock,
      onWriteFailed: (r) => told.push(r),
    });
    meters.push(meter);
    expect(() => meter.record(at(0), { booked: true, failed: false, ms: 10 })).not.toThrow();
    meter.record(at(5_000), { booked: true, failed: false, ms: 10 });
    meter.record(at(10_000), { booked: true, failed: false, ms: 10 });
    await meter.settled();
    expect(told).toHaveLength(1);
    expect(String(told[0])).toMatch(/terminated/i);
  });
});

describe('the admission lease', () => {
  test('of two runs taking it at once exactly one holds it; the other is told who and until when', async () => {
    const project = aProject();
    const firestore = client(project);
    // Two instances, each with its own client of the one database.
    const first = new FirestoreLease(firestore);
    const second = new FirestoreLease(client(project));
    const until = at(60_000);
    const outcomes = await Promise.all([first.take('run-1', until, at(0)), second.take('run-2', until, at(0))]);
    expect(outcomes.filter((o) => o.taken)).toHaveLength(1);
    const refused = outcomes.find((o) => !o.taken);
    expect(refused).toEqual({ taken: false, holder: outcomes[0]?.taken ? 'run-1' : 'run-2', until });
    const doc = await firestore.doc('queueAdmitter/lease').get();
    expect(doc.get('holder')).toBe(outcomes[0]?.taken ? 'run-1' : 'run-2');
  });

  test('a lease whose time is up is taken over, and a holder releases only its own', async () => {
    const firestore = client();
    const lease = new FirestoreLease(firestore);
    expect(await lease.take('crashed-run', at(60_000), at(0))).toEqual({ taken: true });
    expect(await lease.take('next-run', at(120_000), at(59_000))).toMatchObject({
      taken: false,
      holder: 'crashed-run',
    });
    expect(await lease.take('next-run', at(120_000), at(60_001))).toEqual({ taken: true });
    // The crashed run, come back, does not release the lease it lost.
    await lease.release('crashed-run');
    expect((await firestore.doc('queueAdmitter/lease').get()).get('holder')).toBe('next-run');
    await lease.release('next-run');
    expect((await firestore.doc('queueAdmitter/lease').get()).exists).toBe(false);
    expect(await lease.take('third-run', at(180_000), at(61_000))).toEqual({ taken: true });
  });
});
