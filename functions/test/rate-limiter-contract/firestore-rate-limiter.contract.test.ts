import { createHmac } from 'node:crypto';
import type { LimitWindow } from '@ereg/shared';
import type { Firestore } from '@google-cloud/firestore';
import { FirestoreRateLimiter, RATE_LIMITS_COLLECTION } from '../../src/adapters/firestore/firestore-rate-limiter.ts';
import { FakeClock, TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';
import { describeRateLimiterContract } from './rate-limiter-contract.ts';

jest.setTimeout(120_000);

let emulator: Emulator | null = null;
const clients: Firestore[] = [];

function client(): Firestore {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have been started by the contract run');
  const firestore = firestoreForEmulator(host, `demo-ereg-limits-${Math.random().toString(36).slice(2, 10)}`);
  clients.push(firestore);
  return firestore;
}

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.terminate()));
  await emulator?.stop();
});

// Each instance has its own limiter (its own memory and queue) on one database, as function instances do.
// The timeout is generous: the emulator's lock waits are slow, and a fail-open here would hide a race.
describeRateLimiterContract(
  'Firestore (emulator)',
  async (clock) => {
    emulator = await startFirestoreEmulator();
    const firestore = client();
    return {
      instance: () => new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET, timeoutMs: 60_000 }),
      close: async () => {},
    };
  },
  { instances: 4, parallel: 10 },
);

describe('the Firestore rate limiter', () => {
  const limit: LimitWindow = { name: 'loginPerPerson', limit: 3, windowMs: 600_000 };
  const clock = new FakeClock('2026-01-12T07:03:00.000Z');
  let firestore: Firestore;
  beforeAll(() => {
    firestore = client();
  });

  test('names a window by the HMAC of the limit and key, and no document name or field holds the key', async () => {
    const limiter = new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET });
    const pesel = '44051401359';
    await limiter.take(limit, pesel);
    const docs = (await firestore.collection(RATE_LIMITS_COLLECTION).get()).docs;
    const hmac = createHmac('sha256', TEST_PESEL_SECRET).update(`loginPerPerson/600000\n${pesel}`).digest('hex');
    const windowIndex = Math.floor(Date.parse('2026-01-12T07:03:00.000Z') / 600_000);
    expect(docs.map((d) => d.id)).toEqual([`${hmac}_${windowIndex}`]);
    expect(JSON.stringify(docs.map((d) => [d.id, d.data()]))).not.toContain(pesel);
    // Kept an hour past the window's end (07:10), for the TTL policy on expireAt to delete.
    expect(docs[0]?.get('expireAt').toDate().toISOString()).toBe('2026-01-12T08:10:00.000Z');
    expect(docs[0]?.get('count')).toBe(1);
  });

  test('writes a window at most `limit` times; once full, the instance refuses without reading', async () => {
    const limiter = new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET });
    const decisions = [];
    for (let i = 0; i < 50; i++) decisions.push(await limiter.take(limit, 'patient:p-hammer'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    expect(limiter.stats).toMatchObject({ writes: 3, transactions: 3, refusedFromMemory: 47, failedOpen: 0 });
    const id = limiter.documentId(limit, 'patient:p-hammer', Math.floor(clock.now().getTime() / 600_000));
    expect((await firestore.collection(RATE_LIMITS_COLLECTION).doc(id).get()).get('count')).toBe(3);
  });

  test('another instance learns that a window is full with one read, and writes nothing', async () => {
    const first = new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET });
    for (let i = 0; i < 3; i++) await first.take(limit, 'agent:a-busy');
    const second = new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET });
    for (let i = 0; i < 20; i++) expect((await second.take(limit, 'agent:a-busy')).allowed).toBe(false);
    expect(second.stats).toMatchObject({ transactions: 1, writes: 0, refusedFromMemory: 19 });
  });

  test('a request of a key waits for the count of the same key in progress on its instance, without contending', async () => {
    const limiter = new FirestoreRateLimiter(firestore, { clock, keySecret: TEST_PESEL_SECRET, timeoutMs: 60_000 });
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.take(limit, 'staff:s-burst')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    // Three counts, one after the other; the one that filled the window told the five waiting behind it.
    expect(limiter.stats).toMatchObject({ transactions: 3, refusedContended: 0, refusedFromMemory: 5 });
  });

  test('refuses to name a window without the key secret, and refuses a short secret', async () => {
    const unkeyed = new FirestoreRateLimiter(firestore, { clock, keySecret: undefined });
    await expect(unkeyed.take(limit, '44051401359')).rejects.toThrow(/PESEL_HMAC_SECRET/);
    expect(() => new FirestoreRateLimiter(firestore, { clock, keySecret: 'short' })).toThrow(/32 characters/);
  });

  /** A Firestore whose transactions end as told: the failures this adapter must survive, on demand. */
  function failingFirestore(transaction: () => Promise<never>): Firestore {
    const stub = { collection: () => ({ doc: (id: string) => ({ id }) }), runTransaction: transaction };
    return stub as unknown as Firestore;
  }

  test('when Firestore does not answer in time, lets the request through uncounted and says so (fail open)', async () => {
    const reasons: unknown[] = [];
    const hanging = failingFirestore(() => new Promise<never>(() => {}));
    const limiter = new FirestoreRateLimiter(hanging, {
      clock,
      keySecret: TEST_PESEL_SECRET,
      timeoutMs: 100,
      onFailOpen: (reason) => reasons.push(reason),
    });
    const started = performance.now();
    const decisions = await Promise.all([limiter.take(limit, 'a'), limiter.take(limit, 'b')]);
    expect(decisions).toEqual([{ allowed: true }, { allowed: true }]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(limiter.stats).toMatchObject({ failedOpen: 2, writes: 0 });
    expect(String(reasons[0])).toMatch(/longer than 100 ms/);
  });

  test('when Firestore fails, lets the request through and says so; when the key stays contended, refuses it', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: no connection'), { code: 14 });
    const reasons: unknown[] = [];
    const failing = new FirestoreRateLimiter(
      failingFirestore(() => Promise.reject(unavailable)),
      { clock, keySecret: TEST_PESEL_SECRET, onFailOpen: (reason) => reasons.push(reason) },
    );
    expect(await failing.take(limit, 'a')).toEqual({ allowed: true });
    expect(reasons).toEqual([unavailable]);
    const aborted = Object.assign(new Error('10 ABORTED: too much contention'), { code: 10 });
    const contended = new FirestoreRateLimiter(
      failingFirestore(() => Promise.reject(aborted)),
      { clock, keySecret: TEST_PESEL_SECRET },
    );
    expect(await contended.take(limit, 'a')).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(contended.stats).toMatchObject({ refusedContended: 1, failedOpen: 0 });
  });
});
