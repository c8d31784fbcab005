import {
  FirestoreStore,
  firestoreForEmulator,
  MAX_TRANSACTION_ATTEMPTS,
  type QueryShape,
} from '../../src/adapters/firestore/firestore-store.ts';
import { TEST_PESEL_SECRET } from '../support/builders.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';
import { describeShape, findIndex, loadIndexes } from './index-check.ts';
import { describeStoreContract } from './store-contract.ts';

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

describe('firestore.indexes.json', () => {
  test('declares a composite index for every query the adapter issued', () => {
    const indexes = loadIndexes();
    expect(issued.size).toBeGreaterThan(5);
    const missing = [...issued.values()].filter((q) => findIndex(q, indexes) === null).map(describeShape);
    expect(missing).toEqual([]);
  });

  test('the check fails a query without its index', () => {
    const shape: QueryShape = {
      collection: 'appointments',
      filters: [
        { field: 'centreId', op: '==' },
        { field: 'start', op: '>=' },
      ],
      orderBy: ['start'],
    };
    expect(findIndex(shape, loadIndexes())).toBeNull();
    expect(findIndex({ collection: 'slots', filters: [{ field: 'centreId', op: '==' }], orderBy: [] }, [])).toBe(
      'none',
    );
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
