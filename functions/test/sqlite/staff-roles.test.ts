import { DatabaseSync } from 'node:sqlite';
import { backfillStaffRoles, prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';

/** A staff member as stored before centre roles existed: no `role` in the record. */
function insertOldStaff(db: DatabaseSync, id: string, centreId: string): void {
  const record = { id, name: id, email: `${id}@example.test`, centreId };
  db.prepare('INSERT INTO staff (id, centre_id, data) VALUES (?, ?, ?)').run(id, centreId, JSON.stringify(record));
}

describe('centre roles in the embedded store', () => {
  test('each centre’s first member kept before roles becomes its manager, the others staff', async () => {
    const db = new DatabaseSync(':memory:');
    prepareDatabase(db);
    insertOldStaff(db, 's-0002-1', 'c-0002');
    insertOldStaff(db, 's-0001-2', 'c-0001');
    insertOldStaff(db, 's-0001-1', 'c-0001');
    insertOldStaff(db, 's-0001-3', 'c-0001');

    backfillStaffRoles(db);
    const store = new SqliteStore(db);

    expect((await store.listStaffOfCentre('c-0001')).map((s) => [s.id, s.role])).toEqual([
      ['s-0001-1', 'centre-manager'],
      ['s-0001-2', 'staff'],
      ['s-0001-3', 'staff'],
    ]);
    expect((await store.getStaff('s-0002-1'))?.role).toBe('centre-manager');
    await store.flush();
    db.close();
  });

  test('a role already kept is left as it is', async () => {
    const db = new DatabaseSync(':memory:');
    prepareDatabase(db);
    const record = { id: 's-9', name: 'A', email: 'a@example.test', centreId: 'c-9', role: 'staff' };
    db.prepare('INSERT INTO staff (id, centre_id, data) VALUES (?, ?, ?)').run('s-9', 'c-9', JSON.stringify(record));

    backfillStaffRoles(db);

    expect((await new SqliteStore(db).getStaff('s-9'))?.role).toBe('staff');
    db.close();
  });
});
