import { DatabaseSync } from 'node:sqlite';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';

let db: DatabaseSync;
let store: SqliteStore;

beforeEach(() => {
  db = new DatabaseSync(':memory:');
  prepareDatabase(db);
  store = new SqliteStore(db);
});

afterEach(async () => {
  await store.flush();
  db.close();
});

const use = (id: string, usedAt: string, expiresAt: string) =>
  store.runInTransaction(async (tx) => tx.putUsedAssertion({ id, usedAt, expiresAt }));

const kept = () =>
  (db.prepare('SELECT id FROM used_assertions ORDER BY id').all() as Array<{ id: string }>).map((row) => row.id);

describe('the used assertions table', () => {
  test('keeps an assertion’s use until it expires; the next use after that purges it', async () => {
    await use('a-1', '2026-01-12T07:00:00.000Z', '2026-01-12T07:05:00.000Z');
    await use('a-2', '2026-01-12T07:03:00.000Z', '2026-01-12T07:08:00.000Z');
    await use('a-3', '2026-01-12T07:04:59.000Z', '2026-01-12T07:09:59.000Z');
    expect(kept()).toEqual(['a-1', 'a-2', 'a-3']);

    await use('a-4', '2026-01-12T07:05:00.000Z', '2026-01-12T07:10:00.000Z');

    expect(kept()).toEqual(['a-2', 'a-3', 'a-4']);
    expect(await store.runInTransaction((tx) => tx.getUsedAssertion('a-1'))).toBeNull();
    expect(await store.runInTransaction((tx) => tx.getUsedAssertion('a-2'))).toMatchObject({ id: 'a-2' });
  });

  test('the purge is a seek on the expiry index, not a scan of the table', () => {
    const plan = db
      .prepare('EXPLAIN QUERY PLAN DELETE FROM used_assertions WHERE expires_at <= ?')
      .all('2026-01-12T07:05:00.000Z') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join(' ')).toMatch(
      /SEARCH used_assertions USING (COVERING )?INDEX used_assertions_by_expiry/,
    );
  });
});
