import { DatabaseSync } from 'node:sqlite';
import { runStandbyStorm } from '@ereg/shared/testing';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { expectStormInOrder } from '../support/standby-storm-checks.ts';

// The standby storm of shared/src/testing on the embedded store: the same rounds and checks as in memory.

const SIZE = { people: 10_000, places: 1_000 };

test('a storm of 1,000 freed places for 10,000 people on SQLite: offered in joining order, held once, passed on in order', async () => {
  const report = await runStandbyStorm(async () => {
    const db = new DatabaseSync(':memory:');
    prepareDatabase(db);
    const store = new SqliteStore(db);
    return {
      store,
      close: async () => {
        await store.flush();
        db.close();
      },
    };
  }, SIZE);
  expectStormInOrder(report, SIZE);
}, 300_000);
