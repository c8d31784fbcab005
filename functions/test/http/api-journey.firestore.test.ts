import { createFirestoreTestSystem } from '../support/firestore-test-system.ts';
import { describeApiSuite, overHttp } from './api-suite.ts';

// The emulator takes 5–15 s to start, and a centre's slots go in one transaction per day.
jest.setTimeout(120_000);

// 50 days instead of 70 saves ~15 s of slot writes; it still holds the whole 21–42-day interval of
// a second dose booked with the first.
const settings = { slotHorizonDays: 50 };

describeApiSuite('the API on the Firestore store (emulator)', async () =>
  overHttp(await createFirestoreTestSystem({ settings })),
);
