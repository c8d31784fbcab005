import type { DatabaseSync } from 'node:sqlite';

export interface InvariantReport {
  /** Appointments created since the run started (generated ones carry the generation time). */
  appointmentsCreated: number;
  /** Distinct bookings among them (a two-dose booking creates two appointments). */
  bookingsStored: number;
  /** Bookings the server acknowledged with 201 during the run. */
  bookingsAcknowledged: number;
  /** Slots over capacity anywhere in the store (one scan of the table, about a second for 15 million). */
  overCapacityAnywhere: number;
  slotsChecked: number;
  patientsChecked: number;
  /** Slots holding more people than their capacity. */
  overCapacity: Array<{ slotId: string; capacity: number; booked: number }>;
  /** Slots whose counter differs from their non-cancelled appointments. */
  counterMismatches: Array<{ slotId: string; booked: number; appointments: number }>;
  /** Patients with more than one active appointment for one dose. */
  doubleBookings: Array<{ patientId: string; dose: number; active: number }>;
  /** Acknowledged bookings that are not in the store (a 201 must never be lost). */
  lostBookings: number;
  violations: number;
}

const LIST_LIMIT = 20;

/**
 * Checks the store after a run. No slot anywhere holds more than its capacity; and over what the run
 * touched (counting the appointments of 15 million slots would take far longer than the run): every slot referenced by an appointment created since `since`, plus
 * `extraSlotIds`, holds no more than its capacity and its counter equals its non-cancelled
 * appointments; no patient of those appointments holds two active ones for one dose; and every
 * acknowledged booking is stored.
 */
export function checkInvariants(
  db: DatabaseSync,
  since: string,
  extraSlotIds: readonly string[],
  bookingsAcknowledged: number,
): InvariantReport {
  const created = db
    .prepare(
      `SELECT count(*) AS appointments, count(DISTINCT json_extract(data, '$.bookingId')) AS bookings
       FROM appointments WHERE json_extract(data, '$.createdAt') >= ?`,
    )
    .get(since) as { appointments: number; bookings: number };
  const touched = new Set(
    (
      db
        .prepare("SELECT DISTINCT slot_id FROM appointments WHERE json_extract(data, '$.createdAt') >= ?")
        .all(since) as Array<{ slot_id: string }>
    ).map((row) => row.slot_id),
  );
  for (const id of extraSlotIds) touched.add(id);

  const slot = db.prepare('SELECT capacity, booked FROM slots WHERE id = ?');
  const active = db.prepare("SELECT count(*) AS n FROM appointments WHERE slot_id = ? AND status <> 'cancelled'");
  const overCapacity: InvariantReport['overCapacity'] = [];
  const counterMismatches: InvariantReport['counterMismatches'] = [];
  for (const slotId of touched) {
    const row = slot.get(slotId) as { capacity: number; booked: number } | undefined;
    const appointments = (active.get(slotId) as { n: number }).n;
    const booked = row?.booked ?? 0;
    if (row && row.booked > row.capacity) overCapacity.push({ slotId, capacity: row.capacity, booked: row.booked });
    if (booked !== appointments) counterMismatches.push({ slotId, booked, appointments });
  }

  const patientsChecked = (
    db
      .prepare("SELECT count(DISTINCT patient_id) AS n FROM appointments WHERE json_extract(data, '$.createdAt') >= ?")
      .get(since) as { n: number }
  ).n;
  const doubleBookings = (
    db
      .prepare(
        `SELECT patient_id AS patientId, json_extract(data, '$.dose') AS dose, count(*) AS active
         FROM appointments
         WHERE status = 'booked'
           AND patient_id IN (SELECT patient_id FROM appointments WHERE json_extract(data, '$.createdAt') >= ?)
         GROUP BY patient_id, dose HAVING count(*) > 1`,
      )
      .all(since) as Array<{ patientId: string; dose: number; active: number }>
  ).map((row) => ({ ...row }));

  const overCapacityAnywhere = (
    db.prepare('SELECT count(*) AS n FROM slots WHERE booked > capacity').get() as { n: number }
  ).n;
  const lostBookings = Math.max(0, bookingsAcknowledged - created.bookings);
  return {
    appointmentsCreated: created.appointments,
    bookingsStored: created.bookings,
    bookingsAcknowledged,
    overCapacityAnywhere,
    slotsChecked: touched.size,
    patientsChecked,
    overCapacity: overCapacity.slice(0, LIST_LIMIT),
    counterMismatches: counterMismatches.slice(0, LIST_LIMIT),
    doubleBookings: doubleBookings.slice(0, LIST_LIMIT),
    lostBookings,
    violations:
      Math.max(overCapacity.length, overCapacityAnywhere) +
      counterMismatches.length +
      doubleBookings.length +
      (lostBookings > 0 ? 1 : 0),
  };
}
