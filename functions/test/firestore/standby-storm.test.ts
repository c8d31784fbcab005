import { runStandbyStorm } from '@ereg/shared/testing';
import { FirestoreStore } from '../../src/adapters/firestore/firestore-store.ts';
import { TEST_PESEL_SECRET } from '../support/builders.ts';
import { firestoreForEmulator } from '../support/emulator-clients.ts';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';
import { expectStormInOrder } from '../support/standby-storm-checks.ts';

// The standby storm of shared/src/testing on Google's Firestore emulator, with the local queue off:
// the two matcher runs and the expiry runs meet the emulator's locks as separate instances would.
// Smaller than in memory: each join is a round trip to the emulator.

jest.setTimeout(600_000);

const SIZE = { people: 400, places: 40 };

let emulator: Emulator | null = null;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
});

afterAll(async () => {
  await emulator?.stop();
});

test('a storm of 40 freed places for 400 people on Firestore: offered in joining order, held once, passed on in order', async () => {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have started');
  const report = await runStandbyStorm(async () => {
    const projectId = `demo-ereg-storm-${Math.random().toString(36).slice(2, 10)}`;
    const store = new FirestoreStore(firestoreForEmulator(host, projectId), {
      peselSecret: TEST_PESEL_SECRET,
      localQueue: false,
    });
    return { store, close: () => store.close() };
  }, SIZE);
  expectStormInOrder(report, SIZE);
});
