import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  type Appointment,
  addDays,
  analyticsPseudonyms,
  type Centre,
  type EligibilityRule,
  generateSlots,
  type LocalDate,
  localToday,
  REFERRAL_VALID_DAYS,
  type Referral,
  referenceFrom,
  VACCINES,
} from '@ereg/shared';
import { rebuildAvailability } from '../adapters/sqlite/availability-projector.ts';
import { prepareDatabase } from '../adapters/sqlite/schema.ts';
import { SqliteAnalytics } from '../adapters/sqlite/sqlite-analytics.ts';
import { loadOrCreateDevKeys } from '../dev/dev-identity.ts';
import { LocalWarehouse } from '../reports/local-warehouse.ts';
import { centreRows, populationRows, snapshotRow, vaccineRows } from '../reports/warehouse-rows.ts';
import { buildDemoCentres, buildDemoStaff, createRandom, generateDemoCitizens, patientOf } from './demo-data.ts';
import { reportHistory, reportHistorySnapshots } from './report-history.ts';

export interface DataSetSize {
  centres: number;
  citizens: number;
  /** Days of published slots, from today. */
  days: number;
  /** Share of adult citizens who already hold a booking (their first dose). */
  bookedShare: number;
  /** The reports' history: days before today, and visits a centre has on an average day of it. */
  history: { days: number; visitsPerCentreDay: number };
}

/** Named sizes: `small` for trying and smoke tests, `national` for benchmarks. */
export const DATA_SET_SIZES: Record<string, DataSetSize> = {
  tiny: { centres: 16, citizens: 2_000, days: 14, bookedShare: 0.3, history: { days: 14, visitsPerCentreDay: 3 } },
  small: { centres: 300, citizens: 50_000, days: 42, bookedShare: 0.3, history: { days: 28, visitsPerCentreDay: 5 } },
  // A month of some 60,000 visits a day, as the reports' benchmark needs.
  national: {
    centres: 6_000,
    citizens: 1_000_000,
    days: 42,
    bookedShare: 0.3,
    history: { days: 30, visitsPerCentreDay: 10 },
  },
};

export interface GenerateOptions {
  dataDir: string;
  size: DataSetSize;
  seed: number;
  now: Date;
  /** Replace an existing data set. */
  force?: boolean;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

export interface DataSetSummary {
  dbPath: string;
  seed: number;
  today: LocalDate;
  centres: number;
  staff: number;
  citizens: number;
  patients: number;
  slots: number;
  places: number;
  appointments: number;
  bookedPlaces: number;
  seconds: number;
}

/** Patient ids are positional so that a data set is reproducible and benchmarks can address people directly. */
export const patientIdAt = (index: number) => `pat_${String(index).padStart(8, '0')}`;

const REFERENCE_BITS = 2n ** 40n;

/**
 * The booking reference of the data set's n-th booking: n through an affine map with an odd factor,
 * which is one-to-one modulo 2⁴⁰, so references are distinct without a look-up yet look random.
 */
export function scrambledReference(n: number): string {
  let x = (BigInt(n) * 0x5deece66dn + 0xbn) % REFERENCE_BITS;
  const numbers: number[] = [];
  for (let i = 0; i < 8; i++) {
    numbers.unshift(Number(x & 31n));
    x >>= 5n;
  }
  return referenceFrom(numbers);
}

/**
 * Builds a country-sized data set straight into a new SQLite file, in a few large transactions:
 * centres spread like the population with six weeks of slots, a million registered citizens with valid
 * PESELs, and a share of them already booked. The same seed gives the same data.
 */
export function generateDataSet(options: GenerateOptions): DataSetSummary {
  const started = performance.now();
  const { size, seed, now } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const dbPath = join(options.dataDir, 'ereg.sqlite');
  if (existsSync(dbPath)) {
    if (!options.force) throw new Error(`${dbPath} already exists; pass --force to replace it.`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  }
  const db = new DatabaseSync(dbPath);
  prepareDatabase(db);
  // A fresh file that nobody else uses yet: durability per statement is not needed while loading.
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -200000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS dev_idp_people (pesel TEXT PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL)',
  );
  db.exec('CREATE INDEX IF NOT EXISTS dev_idp_people_by_position ON dev_idp_people (position)');
  const progress = options.onProgress ?? (() => {});
  const today = localToday(now, 'Europe/Warsaw');
  const at = now.toISOString();
  const random = createRandom(seed ^ 0x5eed);

  const centres = buildDemoCentres({ seed, count: size.centres, now });
  const staff = buildDemoStaff(centres);
  const adultYear = Number(today.slice(0, 4)) - 18;
  const rules: EligibilityRule[] = [
    {
      id: `born-${adultYear}`,
      kind: 'birthYear',
      bornInOrBefore: adultYear,
      from: addDays(today, -30),
      description: `people born in ${adultYear} or earlier`,
    },
    { id: 'group-medical', kind: 'group', group: 'medical', from: addDays(today, -90), description: 'medical staff' },
  ];

  const insert = {
    meta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    centre: db.prepare('INSERT INTO centres (id, lat, lon, published_through, data) VALUES (?, ?, ?, ?, ?)'),
    staff: db.prepare('INSERT INTO staff (id, centre_id, data) VALUES (?, ?, ?)'),
    rule: db.prepare('INSERT INTO eligibility_rules (id, data) VALUES (?, ?)'),
    person: db.prepare('INSERT INTO dev_idp_people (pesel, position, data) VALUES (?, ?, ?)'),
    patient: db.prepare('INSERT INTO patients (id, pesel, data) VALUES (?, ?, ?)'),
    referral: db.prepare('INSERT INTO referrals (patient_id, data) VALUES (?, ?)'),
    slot: db.prepare(
      'INSERT INTO slots (id, centre_id, vaccine_id, start, end, local_date, capacity, booked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    appointment: db.prepare(
      'INSERT INTO appointments (id, patient_id, centre_id, slot_id, local_date, status, start, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    reference: db.prepare(
      'INSERT INTO booking_references (reference, booking_id, patient_id, created_at) VALUES (?, ?, ?, ?)',
    ),
  };
  const inTransaction = (fn: () => void) => {
    db.exec('BEGIN');
    try {
      fn();
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const lastDay = addDays(today, size.days - 1);
  inTransaction(() => {
    for (const centre of centres) {
      insert.centre.run(centre.id, centre.location.lat, centre.location.lon, lastDay, JSON.stringify(centre));
    }
    for (const member of staff) insert.staff.run(member.id, member.centreId, JSON.stringify(member));
    for (const rule of rules) insert.rule.run(rule.id, JSON.stringify(rule));
    insert.meta.run('settings.slotHorizonDays', String(size.days - 1));
    insert.meta.run('demo.loaded', at);
    insert.meta.run('data-set', JSON.stringify({ seed, size, today }));
  });

  // Citizens: every one is known to the identity provider and registered as a patient; adults are
  // queued to receive the bookings below.
  const adults: number[] = [];
  const referralUntil = new Date(now.getTime() + REFERRAL_VALID_DAYS * 86_400_000).toISOString();
  let citizens = 0;
  const batch = 50_000;
  let pending: Array<() => void> = [];
  const flush = () => {
    const work = pending;
    pending = [];
    inTransaction(() => {
      for (const write of work) write();
    });
  };
  for (const citizen of generateDemoCitizens({ seed, count: size.citizens, today })) {
    const index = citizens++;
    const patient = patientOf(citizen, patientIdAt(index), at);
    const adult = Number(citizen.birthDate.slice(0, 4)) <= adultYear;
    if (adult) adults.push(index);
    pending.push(() => {
      insert.person.run(citizen.pesel, index, JSON.stringify(citizen));
      insert.patient.run(patient.id, patient.pesel, JSON.stringify(patient));
      // Registered adults logged in once already, which issued their referral.
      if (adult) {
        const referral: Referral = {
          id: `ref_g${String(index).padStart(8, '0')}`,
          patientId: patient.id,
          ruleId: (rules[0] as EligibilityRule).id,
          issuedAt: at,
          validUntil: referralUntil,
        };
        insert.referral.run(patient.id, JSON.stringify(referral));
      }
    });
    if (pending.length >= batch) {
      flush();
      progress({ phase: 'citizens', done: citizens, total: size.citizens });
    }
  }
  flush();
  progress({ phase: 'citizens', done: citizens, total: size.citizens });

  // Bookings go to the first adults in a shuffled order, spread over centres by their capacity and
  // over the first three weeks, sooner days fuller — as after an age group has just opened.
  for (let i = adults.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [adults[i], adults[j]] = [adults[j] as number, adults[i] as number];
  }
  const toBook = Math.floor(adults.length * size.bookedShare);
  let nextBooker = 0;
  let slots = 0;
  let places = 0;
  let appointments = 0;
  const bookingDays = Math.min(21, size.days);
  const totalWeight = centres.reduce(
    (sum, c) => sum + Object.values(c.schedule.weekly.capacity).reduce((a, b) => a + b, 0),
    0,
  );
  let owed = 0;

  centres.forEach((centre, centreIndex) => {
    const planned = generateSlots(centre, today, lastDay).filter((s) => s.start > at);
    const weight = Object.values(centre.schedule.weekly.capacity).reduce((a, b) => a + b, 0);
    owed += (toBook * weight) / totalWeight;
    let quota = Math.floor(owed);
    owed -= quota;
    const booked = new Map<number, number>();
    const early = planned
      .map((slot, i) => ({ slot, i }))
      .filter(({ slot }) => slot.localDate < addDays(today, bookingDays));
    let attempts = quota * 4;
    while (quota > 0 && early.length > 0 && attempts-- > 0 && nextBooker < adults.length) {
      // Squaring a uniform draw favours the first days.
      const pick = early[Math.floor(random() ** 2 * early.length)] as { slot: (typeof planned)[number]; i: number };
      const already = booked.get(pick.i) ?? 0;
      if (already >= pick.slot.capacity) continue;
      booked.set(pick.i, already + 1);
      quota--;
    }
    inTransaction(() => {
      planned.forEach((slot, i) => {
        const count = Math.min(booked.get(i) ?? 0, adults.length - nextBooker);
        insert.slot.run(
          slot.id,
          slot.centreId,
          slot.vaccineId,
          slot.start,
          slot.end,
          slot.localDate,
          slot.capacity,
          count,
        );
        slots++;
        places += slot.capacity;
        for (let k = 0; k < count; k++) {
          const patientId = patientIdAt(adults[nextBooker++] as number);
          const bookingId = `bkg_g${String(appointments).padStart(9, '0')}`;
          const reference = scrambledReference(appointments);
          insert.reference.run(reference, bookingId, patientId, at);
          const appointment: Appointment = {
            id: `apt_g${String(appointments).padStart(9, '0')}`,
            patientId,
            centreId: centre.id,
            slotId: slot.id,
            vaccineId: slot.vaccineId,
            dose: 1,
            bookingId,
            reference,
            status: 'booked',
            start: slot.start,
            localDate: slot.localDate,
            version: 1,
            bookedBy: { role: 'patient', id: patientId },
            createdAt: at,
            updatedAt: at,
            checkedInAt: null,
            cancellation: null,
            completion: null,
          };
          insert.appointment.run(
            appointment.id,
            patientId,
            centre.id,
            slot.id,
            slot.localDate,
            'booked',
            slot.start,
            JSON.stringify(appointment),
          );
          appointments++;
        }
      });
    });
    if ((centreIndex + 1) % 50 === 0 || centreIndex === centres.length - 1) {
      progress({ phase: 'centres and slots', done: centreIndex + 1, total: centres.length });
    }
  });

  progress({ phase: 'availability read model', done: 0, total: 1 });
  inTransaction(() => rebuildAvailability(db));
  progress({ phase: 'availability read model', done: 1, total: 1 });
  writeReportHistory(db, { seed, today, at, now, centres, size }, progress);

  progress({ phase: 'finishing (analyze, checkpoint)', done: 0, total: 1 });
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('ANALYZE');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
  progress({ phase: 'finishing (analyze, checkpoint)', done: 1, total: 1 });
  return {
    dbPath,
    seed,
    today,
    centres: centres.length,
    staff: staff.length,
    citizens,
    patients: citizens,
    slots,
    places,
    appointments,
    bookedPlaces: appointments,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/**
 * The reports' past (report-history.ts): a month of visits before today written to the warehouse, its
 * dimensions and snapshots, and every view built — so that a server started on the data set answers
 * reports from aggregates already made, as one running for a month would.
 */
function writeReportHistory(
  db: DatabaseSync,
  given: { seed: number; today: LocalDate; at: string; now: Date; centres: Centre[]; size: DataSetSize },
  progress: (progress: { phase: string; done: number; total: number }) => void,
): void {
  const { days, visitsPerCentreDay } = given.size.history;
  const analytics = new SqliteAnalytics(db, {
    timeZone: 'Europe/Warsaw',
    pseudonym: analyticsPseudonyms(loadOrCreateDevKeys(db).sessionSecret),
    clock: { now: () => given.now },
  });
  const warehouse = new LocalWarehouse(db);
  warehouse.putCentres(centreRows(given.centres, given.at));
  warehouse.putVaccines(vaccineRows(VACCINES, given.at));
  warehouse.putPopulation(populationRows());
  const options = {
    seed: given.seed,
    days,
    visitsPerCentreDay,
    today: given.today,
    centres: given.centres,
    vaccines: VACCINES,
  };
  const phase = `reports: ${days} days of vaccinations`;
  let day = '';
  let done = 0;
  db.exec('BEGIN');
  for (const event of reportHistory(options)) {
    analytics.write(event);
    if (event.occurredAt.slice(0, 10) !== day) {
      day = event.occurredAt.slice(0, 10);
      db.exec('COMMIT');
      db.exec('BEGIN');
      progress({ phase, done: Math.min(done++, days), total: days });
    }
  }
  db.exec('COMMIT');
  warehouse.putSnapshots(reportHistorySnapshots(options).map(snapshotRow));
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('demo.history', ?)").run(given.at);
  progress({ phase, done: days, total: days });
  progress({ phase: 'reports: views', done: 0, total: 1 });
  warehouse.refresh();
  progress({ phase: 'reports: views', done: 1, total: 1 });
}
