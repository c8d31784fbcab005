import { runStandbyStorm } from '@ereg/shared/testing';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.ts';
import { expectStormInOrder } from '../support/standby-storm-checks.ts';
import { firestoreStorm } from '../support/storm-stores.ts';

// The standby storm of shared/src/testing on Google's Firestore emulator, with the local queue off:
// the two matcher runs and the expiry runs meet the emulator's locks as separate instances would.
// A tenth of the full size, which fits a CI run; `npm run bench:standby-storm -- --store firestore` runs
// the full size and prints where the time goes (docs/standby.md, "Measured").

jest.setTimeout(600_000);

const SIZE = { people: 1_000, places: 100 };

let emulator: Emulator | null = null;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
});

afterAll(async () => {
  await emulator?.stop();
});

test('a storm of 100 freed places for 1,000 people on Firestore: offered in joining order, held once, passed on in order', async () => {
  const host = emulator?.host;
  if (!host) throw new Error('the emulator should have started');
  const report = await runStandbyStorm(firestoreStorm(host), SIZE);
  expectStormInOrder(report, SIZE);
});
