import { createHash, createHmac } from 'node:crypto';
import {
  COLLECTIONS,
  FirestoreStore,
  MAX_TRANSACTION_ATTEMPTS,
  type QueryShape,
} from '../../src/adapters/firestore/firestore-store.ts';
import { TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';
import { describeAdministrationStoreContract } from './administration-contract.ts';
import { describeHotlineStoreContract } from './hotline-contract.ts';
import { describeShape, findIndex, loadExemptions, loadIndexes } from './index-check.ts';
// The standby list
import { describeStandbyStoreContract } from './standby-contract.ts';
import { describeStoreContract } from './store-contract.ts';
// The waiting room
import { describeWaitingRoomStoreContract } from './waiting-room-contract.ts';

jest.setTimeout(120_000);

/** Every query the adapter issued during this file, for the index check at the end. */
const issued = new Map<string, QueryShape>();
let emulator: Emulator | null = null;

afterAll(async () => {
  await emulator?.stop();
});

describeStoreContract(
  `Firestore (emulator, maxAttempts ${MAX_TRANSACTION_ATTEMPTS})`,
  async () => {
    emulator = await startFirestoreEmulator();
    const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(emulator.host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      onQuery: (shape) => issued.set(describeShape(shape), shape),
    });
    return {
      store,
      refreshAvailability: async (centreId, date) => {
        await store.refreshAvailability(centreId, date);
      },
      stats: () => ({ ...store.stats }),
      close: () => store.close(),
    };
  },
  { stormSize: 200, parallel: 20 },
);

describeHotlineStoreContract('Firestore (emulator)', async () => {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have been started by the first contract run');
  const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
  const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
    peselSecret: TEST_PESEL_SECRET,
    onQuery: (shape) => issued.set(describeShape(shape), shape),
  });
  return { store, close: () => store.close() };
});

describeAdministrationStoreContract('Firestore (emulator)', async () => {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have been started by the first contract run');
  const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
  const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
    peselSecret: TEST_PESEL_SECRET,
    onQuery: (shape) => issued.set(describeShape(shape), shape),
  });
  return { store, close: () => store.close() };
});

// The waiting room
describeWaitingRoomStoreContract('Firestore (emulator)', async () => {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have been started by the first contract run');
  const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
  const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
    peselSecret: TEST_PESEL_SECRET,
    onQuery: (shape) => issued.set(describeShape(shape), shape),
  });
  return { store, close: () => store.close() };
});

// The standby list, with the local queue off: transactions meet the emulator's locks all at once, as
// those of different instances do, so the holds show what Firestore's own isolation keeps.
describeStandbyStoreContract(
  'Firestore (emulator, no local queue)',
  async () => {
    const host = emulator?.host;
    if (!host) throw new Error('the emulator should have been started by the first contract run');
    const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      localQueue: false,
      onQuery: (shape) => issued.set(describeShape(shape), shape),
    });
    return { store, close: () => store.close() };
  },
  { joins: 50, holds: 200 },
);

describe('SMS document ids', () => {
  let store: FirestoreStore;
  beforeAll(() => {
    const host = emulator?.host;
    if (!host) throw new Error('the emulator should have been started by the first contract run');
    const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
    store = new FirestoreStore(firestoreForEmulator(host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      onQuery: (shape) => issued.set(describeShape(shape), shape),
    });
  });
  afterAll(() => store?.close());

  test('a session is named by the HMAC of its phone number, and no document name holds the number', async () => {
    const phone = '+48600100299';
    await store.runInTransaction(async (tx) =>
      tx.putSmsSession({
        phone,
        language: 'pl',
        pesel: '44051401359',
        postalCode: '00-950',
        offeredSlotId: null,
        declinedSlotIds: [],
        expiresAt: '2026-01-12T07:30:00.000Z',
        updatedAt: '2026-01-12T07:00:00.000Z',
      }),
    );
    const ids = (await store.firestore.collection(COLLECTIONS.smsSessions).get()).docs.map((d) => d.id);
    expect(ids).toEqual([createHmac('sha256', TEST_PESEL_SECRET).update(phone).digest('hex')]);
    expect(ids.some((id) => id.includes(phone.slice(1)))).toBe(false);
    const otherKey = new FirestoreStore(store.firestore, { peselSecret: `${TEST_PESEL_SECRET}-other` });
    expect(await otherKey.runInTransaction((tx) => tx.getSmsSession(phone))).toBeNull();
    expect((await store.runInTransaction((tx) => tx.getSmsSession(phone)))?.pesel).toBe('44051401359');
  });

  test('a ledger entry is named by the SHA-256 of its key, and holds the key for ordering', async () => {
    const key = `reply:+48600100299:${'x/'.repeat(400)}`;
    await store.runInTransaction(async (tx) =>
      tx.putSmsMessage({
        key,
        purpose: 'reply',
        to: '+48600100299',
        body: 'OK',
        language: 'pl',
        patientId: null,
        validWhile: [],
        quietZone: null,
        sendAt: '2026-01-12T07:00:00.000Z',
        status: 'pending',
        attempts: 0,
        providerId: null,
        error: null,
        createdAt: '2026-01-12T07:00:00.000Z',
        updatedAt: '2026-01-12T07:00:00.000Z',
        sentAt: null,
      }),
    );
    const doc = await store.firestore
      .collection(COLLECTIONS.smsMessages)
      .doc(createHash('sha256').update(key).digest('hex'))
      .get();
    expect([doc.get('key'), doc.get('createdAt')]).toEqual([key, '2026-01-12T07:00:00.000Z']);
    expect((await store.listSmsMessages({ limit: 5 })).map((r) => r.key)).toEqual([key]);
  });
});

describe('firestore.indexes.json', () => {
  test('declares a composite index for every query the adapter issued', () => {
    const indexes = loadIndexes();
    expect(issued.size).toBeGreaterThan(5);
    const exemptions = loadExemptions();
    const missing = [...issued.values()].filter((q) => findIndex(q, indexes, exemptions) === null).map(describeShape);
    expect(missing).toEqual([]);
  });

  test('the check fails a query without its index', () => {
    const shape: QueryShape = {
      collection: 'appointments',
      filters: [
        { field: 'centreId', op: '==' },
        { field: 'start', op: '>=' },
      ],
      orderBy: [{ field: 'start', direction: 'asc' }],
    };
    expect(findIndex(shape, loadIndexes())).toBeNull();
    expect(findIndex({ collection: 'slots', filters: [{ field: 'centreId', op: '==' }], orderBy: [] }, [])).toBe(
      'none',
    );
  });

  test('the check tells the directions of an ordering apart', () => {
    const newest: QueryShape = {
      collection: 'smsMessages',
      filters: [{ field: 'to', op: '==' }],
      orderBy: [
        { field: 'createdAt', direction: 'desc' },
        { field: 'key', direction: 'desc' },
      ],
    };
    expect(findIndex(newest, loadIndexes())).not.toBeNull();
    const oldest: QueryShape = {
      ...newest,
      orderBy: newest.orderBy.map((o) => ({ ...o, direction: 'asc' as const })),
    };
    expect(findIndex(oldest, loadIndexes())).toBeNull();
  });

  test('the check fails a query that needs the single-field index of an exempted field', () => {
    const exemptions = loadExemptions();
    expect(exemptions.has('smsMessages.body')).toBe(true);
    const byBody: QueryShape = { collection: 'smsMessages', filters: [{ field: 'body', op: '==' }], orderBy: [] };
    expect(findIndex(byBody, loadIndexes(), exemptions)).toBeNull();
    const byPurpose: QueryShape = { ...byBody, filters: [{ field: 'purpose', op: '==' }] };
    expect(findIndex(byPurpose, loadIndexes(), exemptions)).toBe('none');
  });
});

// The same contract with the local queue off: transactions meet Firestore's locks all at once, as
// those of different instances do. Smaller storms (15 people for 5 places): every lost round costs the emulator's 2 s lock timeout
// plus the client's backoff (1 s, ×1.5 per retry), so 30 people for 20 places take ~56 s and up to 8 attempts.
describeStoreContract(
  'Firestore (emulator, no local queue)',
  async () => {
    const host = emulator?.host;
    if (!host) throw new Error('the emulator should have been started by the first contract run');
    const projectId = `demo-ereg-contract-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      localQueue: false,
      onQuery: (shape) => issued.set(describeShape(shape), shape),
    });
    return {
      store,
      refreshAvailability: async (centreId, date) => {
        await store.refreshAvailability(centreId, date);
      },
      stats: () => ({ ...store.stats }),
      close: () => store.close(),
    };
  },
  { stormSize: 15, stormCapacity: 5, parallel: 5 },
);
