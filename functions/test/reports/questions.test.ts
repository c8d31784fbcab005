import { DatabaseSync } from 'node:sqlite';
import { TEST_ANALYTICS } from '@ereg/shared/testing';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { LocalWarehouse } from '../../src/reports/local-warehouse.ts';
import { QUESTIONS } from '../../src/reports/questions.ts';
import { simulateMonth } from './simulated-month.ts';

/** The README's questions on the simulated month, the first against a count of what happened. */
const { events, ledger } = simulateMonth();
const TODAY = '2021-03-24';
let db: DatabaseSync;
let warehouse: LocalWarehouse;

beforeAll(async () => {
  db = new DatabaseSync(':memory:');
  const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
  warehouse = new LocalWarehouse(db);
  warehouse.putCentres(ledger.centres);
  warehouse.putVaccines(ledger.vaccines);
  warehouse.putPopulation(ledger.population);
  for (const event of events) await sink.handle(event);
  warehouse.putSnapshots(ledger.snapshots);
  warehouse.refresh();
});

afterAll(() => db.close());

const ask = (n: number) => warehouse.query(QUESTIONS[n - 1]?.sql ?? '', { today: TODAY });

test('second doses given in Małopolska to people over 70 in the week before this one', () => {
  // 24 March 2021 is a Wednesday: last week ran from Monday 15 to Sunday 21 March.
  const expected = ledger.visits.filter(
    (v) =>
      v.outcome === 'completed' &&
      v.centre.voivodeship === '12' &&
      (v.doseGiven ?? v.dose) === 2 &&
      2021 - v.person.birthYear >= 70 &&
      v.day >= '2021-03-15' &&
      v.day <= '2021-03-21',
  ).length;
  expect(ask(1)).toEqual([{ second_doses: expected === 0 ? null : expected }]);
});

test('every question runs and answers rows', () => {
  for (let n = 1; n <= QUESTIONS.length; n++) expect({ n, rows: ask(n).length > 0 }).toEqual({ n, rows: true });
});

test('the powiats that waited longest come first', () => {
  const waits = ask(2).map((r) => r.days_to_first_free as number | null);
  const known = waits.filter((w): w is number => w !== null);
  expect(known).toEqual([...known].sort((a, b) => b - a));
});
