import { runStandbyStorm } from '@ereg/shared/testing';
import { expectStormInOrder } from '../support/standby-storm-checks.ts';
import { sqliteStorm } from '../support/storm-stores.ts';

// The standby storm of shared/src/testing on the embedded store: the same rounds and checks as in memory.

const SIZE = { people: 10_000, places: 1_000 };

test('a storm of 1,000 freed places for 10,000 people on SQLite: offered in joining order, held once, passed on in order', async () => {
  const report = await runStandbyStorm(sqliteStorm, SIZE);
  expectStormInOrder(report, SIZE);
}, 300_000);
