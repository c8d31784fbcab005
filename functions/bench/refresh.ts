/**
 * How long the reports' refresh takes when the day is big, as on the day an age group opens:
 *
 *   npm run bench:refresh -- [--day-events 200000] [--history-days 30] [--history-events 20000] [--new 1000] [--explain]
 *
 * Builds a warehouse in a new file under /tmp (never the national data set): `--history-days` days of
 * `--history-events` events each, then one day of `--day-events`, refreshes every view once, adds
 * `--new` events to that day and times each view's refresh of them. `--explain` prints the plan of
 * each view's refresh statements.
 */
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { SqliteAnalytics } from '../src/adapters/sqlite/sqlite-analytics.ts';
import { LocalWarehouse } from '../src/reports/local-warehouse.ts';

const { values } = parseArgs({
  options: {
    'day-events': { type: 'string', default: '200000' },
    'history-days': { type: 'string', default: '30' },
    'history-events': { type: 'string', default: '20000' },
    new: { type: 'string', default: '1000' },
    explain: { type: 'boolean', default: false },
    file: { type: 'string', default: '/tmp/ereg-refresh-bench.sqlite' },
  },
});
const dayEvents = Number(values['day-events']);
const historyDays = Number(values['history-days']);
const historyEvents = Number(values['history-events']);
const newEvents = Number(values.new);
const BIG_DAY = '2021-05-10';
const CENTRES = 600;
const VACCINES = ['comirnaty', 'spikevax', 'vaxzevria', 'jcovden'];
const ROLES = ['patient', 'patient', 'patient', 'agent', 'sms', 'staff', 'system'];

const dayOf = (offset: number) =>
  new Date(Date.parse(`${BIG_DAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

for (const suffix of ['', '-wal', '-shm']) rmSync(`${values.file}${suffix}`, { force: true });
const db = new DatabaseSync(values.file);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
new SqliteAnalytics(db, {
  timeZone: 'Europe/Warsaw',
  pseudonym: (id) => `ps(${id})`,
  clock: { now: () => new Date() },
});
const warehouse = new LocalWarehouse(db);
warehouse.putCentres(
  Array.from({ length: CENTRES }, (_, i) => ({
    centre_id: `ctr-${i}`,
    name: `Centre ${i}`,
    town: 'Town',
    postal_code: '00-001',
    voivodeship: String(2 + 2 * (i % 16)).padStart(2, '0'),
    powiat: null,
    gmina: null,
    latitude: 52,
    longitude: 21,
    time_zone: 'Europe/Warsaw',
    updated_at: '2021-01-01T00:00:00Z',
  })),
);
warehouse.putVaccines(
  VACCINES.map((id, i) => ({
    vaccine_id: id,
    name: id,
    manufacturer: id,
    doses: i === 3 ? 1 : 2,
    min_interval_days: 21,
    recommended_interval_days: 28,
    max_interval_days: 42,
    min_age: 18,
    updated_at: '2021-01-01T00:00:00Z',
  })),
);

const insert = db.prepare(`INSERT INTO report_events (event_id, type, occurred_at, occurred_on, subject_id, centre_id,
  vaccine_id, dose, visit_date, actor_role, data, schema_version, received_at, person_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?, ?)`);
let serial = 0;
let people = 0;

/** One event of an opening's mix on a day: registrations, bookings, text messages, visits, places. */
function writeEvent(day: string): void {
  const n = serial++;
  const pick = n % 100;
  const person = `ps(p${n % 3 === 0 || people === 0 ? people++ : n % people})`;
  const centre = `ctr-${n % CENTRES}`;
  const vaccine = VACCINES[n % VACCINES.length] as string;
  const at = `${day}T${String(6 + (n % 16)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00.000Z`;
  const role = ROLES[n % ROLES.length] as string;
  const visit = dayOf(Math.round((Date.parse(day) - Date.parse(BIG_DAY)) / 86_400_000) + (n % 28));
  const row = (type: string, data: object, fields: { centre?: string; visit?: string; dose?: number } = {}) =>
    insert.run(
      `ev-${n}`,
      type,
      at,
      day,
      type.startsWith('patient.') ? person : `ps(a${n})`,
      fields.centre ?? null,
      fields.centre ? vaccine : null,
      fields.dose ?? null,
      fields.visit ?? null,
      role,
      JSON.stringify(data),
      at,
      person,
    );
  if (pick < 15) row('patient.registered.v2', { birthYear: 1940 + (n % 60), sex: n % 2 ? 'male' : 'female' });
  else if (pick < 50) row('appointment.booked', { autoBooked: n % 4 === 0 }, { centre, visit, dose: 1 + (n % 2) });
  else if (pick < 53) row('appointment.cancelled', {}, { centre, visit, dose: 1 });
  else if (pick < 56) row('appointment.rescheduled', {}, { centre, visit, dose: 1 });
  else if (pick < 80)
    row('sms.status_changed', { purpose: n % 3 ? 'booked' : 'reminder', status: n % 5 ? 'sent' : 'delivered' });
  else if (pick < 88) row('appointment.completed', { batchId: `b-${n % 50}` }, { centre, visit: day, dose: 1 });
  else if (pick < 90) row('appointment.no_show', {}, { centre, visit: day, dose: 1 });
  else if (pick < 95) row('slots.published', { capacity: 100 + (n % 50) }, { centre, visit });
  else if (pick < 98) row('hotline.looked_up', { reasonCode: 'booking', by: 'pesel', found: n % 7 ? 1 : 0 });
  else if (pick < 99) row('batch.added', { batchId: `b-${n % 50}`, doses: 600 }, { centre });
  else row('dose.wasted', { batchId: `b-${n % 50}`, count: 1 }, { centre });
}

function write(day: string, count: number): void {
  db.exec('BEGIN');
  for (let i = 0; i < count; i++) writeEvent(day);
  db.exec('COMMIT');
}

let started = performance.now();
for (let d = historyDays; d >= 1; d--) write(dayOf(-d), historyEvents);
write(BIG_DAY, dayEvents);
console.log(
  `${serial.toLocaleString('en')} events written (${historyDays} days of ${historyEvents.toLocaleString('en')}, ` +
    `then ${dayEvents.toLocaleString('en')} on ${BIG_DAY}) in ${Math.round(performance.now() - started)} ms`,
);
started = performance.now();
warehouse.refresh();
console.log(`first refresh (every view built whole): ${Math.round(performance.now() - started)} ms`);

write(BIG_DAY, newEvents);
started = performance.now();
const refreshed = warehouse.refresh();
const total = Math.round(performance.now() - started);
console.log(`refresh after ${newEvents.toLocaleString('en')} new events on the big day: ${total} ms`);
console.log('| view | days recomputed | ms |\n| --- | ---: | ---: |');
for (const r of refreshed) console.log(`| ${r.view} | ${r.rebuilt} | ${r.ms} |`);

if (values.explain) {
  for (const view of warehouse.keptAsTables) {
    const { remove, insert } = warehouse.keyStatements(view);
    console.log(`\n${view.name}:`);
    for (const sql of [remove, insert]) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ keys: JSON.stringify([BIG_DAY]) }) as Array<{
        detail: string;
      }>;
      for (const step of plan) console.log(`  ${step.detail}`);
    }
  }
}
db.close();
