import { DatabaseSync } from 'node:sqlite';
import { isBookingReference } from '@ereg/shared';
import { backfillBookingReferences, prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { scrambledReference } from '../../src/demo/generate-data-set.ts';

const AT = '2025-12-01T10:00:00.000Z';

/** A visit as stored before booking references existed: no `reference` in its record. */
function insertOldVisit(db: DatabaseSync, id: string, patientId: string, bookingId: string, dose: number): void {
  const start = `2026-01-${String(12 + dose * 3).padStart(2, '0')}T08:00:00.000Z`;
  const record = { id, patientId, centreId: 'c-1', slotId: `s-${id}`, bookingId, dose, start, createdAt: AT };
  db.prepare(
    `INSERT INTO appointments (id, patient_id, centre_id, slot_id, local_date, status, start, data)
     VALUES (?, ?, 'c-1', ?, ?, 'booked', ?, ?)`,
  ).run(id, patientId, `s-${id}`, start.slice(0, 10), start, JSON.stringify(record));
}

describe('booking references in the embedded store', () => {
  test('bookings stored before references get one each, shared by the visits booked together', async () => {
    const db = new DatabaseSync(':memory:');
    prepareDatabase(db);
    insertOldVisit(db, 'a-1', 'p-1', 'b-1', 1);
    insertOldVisit(db, 'a-2', 'p-1', 'b-1', 2);
    insertOldVisit(db, 'a-3', 'p-2', 'b-2', 1);

    backfillBookingReferences(db);
    const store = new SqliteStore(db);

    const [first, second, other] = await Promise.all(['a-1', 'a-2', 'a-3'].map((id) => store.getAppointment(id)));
    expect(isBookingReference(first?.reference ?? '')).toBe(true);
    expect(second?.reference).toBe(first?.reference);
    expect(isBookingReference(other?.reference ?? '')).toBe(true);
    expect(other?.reference).not.toBe(first?.reference);
    expect(await store.runInTransaction((tx) => tx.getBookingReference(first?.reference ?? ''))).toEqual({
      reference: first?.reference,
      bookingId: 'b-1',
      patientId: 'p-1',
      createdAt: AT,
    });
    expect((await store.listAppointmentsByReference(first?.reference ?? '')).map((a) => a.id)).toEqual(['a-1', 'a-2']);

    // Run again (a restart mid-way), it leaves the references given alone.
    backfillBookingReferences(db);
    expect((await store.getAppointment('a-1'))?.reference).toBe(first?.reference);
    await store.flush();
    db.close();
  });

  test('the generated data set’s references are distinct and well formed', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 100_000; n++) seen.add(scrambledReference(n));
    expect(seen.size).toBe(100_000);
    expect([...seen].every(isBookingReference)).toBe(true);
  });
});
