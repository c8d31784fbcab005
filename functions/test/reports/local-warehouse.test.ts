import { DatabaseSync } from 'node:sqlite';
import { TEST_ANALYTICS } from '@ereg/shared/testing';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { LocalWarehouse } from '../../src/reports/local-warehouse.ts';
import { orderViews, parseViewFile, WAREHOUSE_TABLES } from '../../src/reports/view-files.ts';
import { type Channel, type Ledger, simulateMonth, type Visit } from './simulated-month.ts';

/**
 * Every view on the local warehouse against a simulated month, its figures computed here from the
 * simulation's ledger in plain TypeScript — what happened, not the events — so the SQL is checked by
 * an independent count.
 */

type Row = Record<string, unknown>;

const { events, ledger } = simulateMonth();

/** Rows sorted by every column, so two lists compare whatever order the engine gave. */
const sorted = (rows: Row[]) =>
  [...rows].sort((a, b) => JSON.stringify(Object.values(a)).localeCompare(JSON.stringify(Object.values(b))));

/** Sums `measure` of items into rows keyed by `key`, the key's fields first. */
function countBy<T>(items: readonly T[], key: (item: T) => Row | null, measures: (item: T) => Record<string, number>) {
  const rows = new Map<string, Row>();
  for (const item of items) {
    const k = key(item);
    if (!k) continue;
    const id = JSON.stringify(k);
    const row = rows.get(id) ?? { ...k };
    for (const [name, value] of Object.entries(measures(item))) row[name] = ((row[name] as number) ?? 0) + value;
    rows.set(id, row);
  }
  return [...rows.values()];
}

const CHANNEL_OF: Record<Channel, Channel> = {
  web: 'web',
  hotline: 'hotline',
  sms: 'sms',
  centre: 'centre',
  system: 'system',
};

function ageBand(birthYear: number, date: string): string {
  const age = Number(date.slice(0, 4)) - birthYear;
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age < 50) return '25-49';
  if (age < 60) return '50-59';
  if (age < 70) return '60-69';
  if (age < 80) return '70-79';
  return '80+';
}

const completed = (l: Ledger) => l.visits.filter((v) => v.outcome === 'completed');
const doseOf = (v: Visit) => v.doseGiven ?? v.dose;
const productDoses = new Map(ledger.vaccines.map((v) => [v.vaccine_id, v.doses]));

/** The Monday of a date's ISO week. */
function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

const suppress = (n: number) => (n < 10 ? null : n);
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/** A date's ISO week as YYYY-Www: the week's Thursday gives the year. */
function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** How ECDC's tracker counts a dose: first, second, beyond the primary course, or unknown. */
function ecdcKind(v: Visit): string {
  const dose = doseOf(v);
  const course = productDoses.get(v.vaccineId) as number;
  if (dose === 1) return 'first_dose';
  if (dose === 2 && course >= 2) return 'second_dose';
  if (dose === course + 1) return 'dose_additional_1';
  if (dose === course + 2) return 'dose_additional_2';
  return 'unknown_dose';
}
const ECDC_KINDS = ['first_dose', 'second_dose', 'dose_additional_1', 'dose_additional_2', 'unknown_dose'];

const expected: Record<string, () => Row[]> = {
  registrations_by_birth_year: () =>
    countBy(
      ledger.people,
      (p) => ({ day: p.registeredOn, birth_year: p.birthYear }),
      () => ({ people: 1 }),
    ),
  group_members: () =>
    countBy(
      ledger.people.filter((p) => p.groups.length > 0),
      (p) => ({ birth_year: p.birthYear, groups: JSON.stringify(p.groups) }),
      () => ({ people: 1 }),
    ),
  people: () =>
    ledger.people.map((p, i) => ({
      subject_id: `ps(${p.id})`,
      birth_year: p.birthYear,
      sex: i % 4 === 0 ? 'female' : 'male',
    })),
  doses_daily: () =>
    countBy(
      completed(ledger),
      (v) => ({
        day: v.day,
        voivodeship: v.centre.voivodeship,
        age_band: ageBand(v.person.birthYear, v.day),
        vaccine_id: v.vaccineId,
        dose: doseOf(v),
        completes_course: doseOf(v) === productDoses.get(v.vaccineId) ? 1 : 0,
      }),
      () => ({ doses: 1 }),
    ),
  bookings_daily: () => {
    const acts: Array<{ date: string; channel: Channel; v: Visit; kind: 'bookings' | 'moves' | 'cancellations' }> = [];
    for (const v of ledger.visits) {
      acts.push({ date: v.bookedOn, channel: v.channel, v, kind: 'bookings' });
      if (v.movedOn) acts.push({ date: v.movedOn.date, channel: v.movedOn.channel, v, kind: 'moves' });
      if (v.cancelledOn)
        acts.push({ date: v.cancelledOn.date, channel: v.cancelledOn.channel, v, kind: 'cancellations' });
    }
    return countBy(
      acts,
      (a) => ({ day: a.date, channel: CHANNEL_OF[a.channel], vaccine_id: a.v.vaccineId, dose: a.v.dose }),
      (a) => ({
        bookings: a.kind === 'bookings' ? 1 : 0,
        later_doses: a.kind === 'bookings' && a.v.autoBooked ? 1 : 0,
        moves: a.kind === 'moves' ? 1 : 0,
        cancellations: a.kind === 'cancellations' ? 1 : 0,
      }),
    );
  },
  lead_times_daily: () =>
    countBy(
      ledger.visits,
      (v) => ({
        day: v.bookedOn,
        channel: v.channel,
        dose: v.dose,
        lead_days: (Date.parse(v.firstDay) - Date.parse(v.bookedOn)) / 86_400_000,
      }),
      () => ({ bookings: 1 }),
    ),
  visit_outcomes_daily: () => {
    const rows = new Map<string, Row>();
    for (const [key, places] of ledger.places) {
      const [centreId, day] = key.split('|') as [string, string];
      const centre = ledger.centres.find((c) => c.centre_id === centreId);
      rows.set(key, {
        day,
        centre_id: centreId,
        voivodeship: centre?.voivodeship,
        powiat: centre?.powiat,
        places_published: places,
        completed: 0,
        no_shows: 0,
        not_given: 0,
      });
    }
    for (const v of ledger.visits) {
      if (!v.outcome) continue;
      const row = rows.get(`${v.centre.id}|${v.day}`) as Row;
      const column = v.outcome === 'completed' ? 'completed' : v.outcome === 'no_show' ? 'no_shows' : 'not_given';
      row[column] = (row[column] as number) + 1;
    }
    return [...rows.values()];
  },
  hotline_lookups_daily: () =>
    countBy(
      ledger.lookups,
      (l) => ({ day: l.date, reason: l.reason, looked_up_by: l.by }),
      (l) => ({ lookups: 1, found_none: l.found === 0 ? 1 : 0 }),
    ),
  batches_daily: () => {
    const movements = [
      ...ledger.batches.map((b) => ({ ...b, received: b.doses, given: 0, wasted: 0 })),
      ...completed(ledger)
        .filter((v) => v.batchId)
        .map((v) => ({
          date: v.day,
          centre: v.centre,
          vaccineId: v.vaccineId,
          batchId: v.batchId as string,
          received: 0,
          given: 1,
          wasted: 0,
        })),
      ...ledger.wasted.map((w) => ({ ...w, received: 0, given: 0, wasted: w.count })),
    ];
    return countBy(
      movements,
      (m) => ({ day: m.date, centre_id: m.centre.id, vaccine_id: m.vaccineId, batch_id: m.batchId }),
      (m) => ({ doses_received: m.received, doses_given: m.given, doses_wasted: m.wasted }),
    );
  },
  waiting_times_daily: () =>
    ledger.snapshots.map((s) => {
      const centre = ledger.centres.find((c) => c.centre_id === s.centre_id);
      return {
        day: s.snapshot_date,
        centre_id: s.centre_id,
        voivodeship: centre?.voivodeship,
        powiat: centre?.powiat,
        vaccine_id: s.vaccine_id,
        days_to_first_free: s.first_free_date
          ? (Date.parse(s.first_free_date) - Date.parse(s.snapshot_date)) / 86_400_000
          : null,
        places_published: s.places_published,
        places_free: s.places_free,
      };
    }),
  waiting_times_by_powiat: () => {
    const rows = countBy(
      expected.waiting_times_daily?.() ?? [],
      (r) => ({ day: r.day, voivodeship: r.voivodeship, powiat: r.powiat }),
      (r) => ({ places_free: r.places_free as number }),
    );
    for (const row of rows) {
      const of = (expected.waiting_times_daily?.() ?? []).filter(
        (r) => r.day === row.day && r.voivodeship === row.voivodeship && r.powiat === row.powiat,
      );
      const firsts = of.map((r) => r.days_to_first_free).filter((d): d is number => d !== null);
      Object.assign(row, {
        centres: new Set(of.map((r) => r.centre_id)).size,
        days_to_first_free: firsts.length ? Math.min(...firsts) : null,
      });
    }
    return rows;
  },
  public_doses_daily: () =>
    countBy(
      expected.doses_daily?.() ?? [],
      (r) => ({ day: r.day, voivodeship: r.voivodeship, age_band: r.age_band, vaccine_id: r.vaccine_id, dose: r.dose }),
      (r) => ({ doses: r.doses as number }),
    ).map((r) => ({ ...r, doses: suppress(r.doses as number) })),
  public_uptake: () =>
    countBy(
      completed(ledger),
      (v) => ({ voivodeship: v.centre.voivodeship, age_band: ageBand(v.person.birthYear, v.day) }),
      (v) => ({
        vaccinated: doseOf(v) === 1 ? 1 : 0,
        full: doseOf(v) === productDoses.get(v.vaccineId) ? 1 : 0,
      }),
    ).map(({ voivodeship, age_band, vaccinated, full }) => {
      const population = ledger.population.find((p) => p.voivodeship === voivodeship && p.age_band === age_band)
        ?.people as number;
      const v = vaccinated as number;
      const f = full as number;
      return {
        voivodeship,
        age_band,
        population,
        people_vaccinated: suppress(v),
        people_fully_vaccinated: suppress(f),
        vaccinated_per_100: v < 10 ? null : round((100 * v) / population, 1),
        fully_vaccinated_per_100: f < 10 ? null : round((100 * f) / population, 1),
      };
    }),
  public_ecdc_weekly: () => {
    const places = completed(ledger).flatMap((v) => {
      const band = ageBand(v.person.birthYear, v.day);
      return [
        [v.centre.voivodeship, band],
        [v.centre.voivodeship, 'all'],
        ['all', band],
        ['all', 'all'],
      ].map(([voivodeship, age_band]) => ({ v, voivodeship, age_band }));
    });
    const inhabitants = (voivodeship: unknown, band: unknown) => {
      const of = ledger.population.filter(
        (p) => (voivodeship === 'all' || p.voivodeship === voivodeship) && (band === 'all' || p.age_band === band),
      );
      return of.length === 0 ? null : of.reduce((n, p) => n + p.people, 0);
    };
    return countBy(
      places,
      (p) => ({
        year_week: isoWeek(p.v.day),
        voivodeship: p.voivodeship,
        age_band: p.age_band,
        vaccine_id: p.v.vaccineId,
      }),
      (p) => Object.fromEntries(ECDC_KINDS.map((kind) => [kind, ecdcKind(p.v) === kind ? 1 : 0])),
    ).map((r) => ({
      ...r,
      ...Object.fromEntries(ECDC_KINDS.map((kind) => [kind, suppress(r[kind] as number)])),
      population: inhabitants(r.voivodeship, r.age_band),
    }));
  },
  public_owid_daily: () => {
    const days = countBy(
      completed(ledger),
      (v) => ({ day: v.day }),
      (v) => ({
        doses: 1,
        first: doseOf(v) === 1 ? 1 : 0,
        full: doseOf(v) === productDoses.get(v.vaccineId) ? 1 : 0,
      }),
    ).sort((a, b) => String(a.day).localeCompare(String(b.day)));
    let total = 0;
    let first = 0;
    let full = 0;
    return days.map((d) => {
      total += d.doses as number;
      first += d.first as number;
      full += d.full as number;
      return {
        day: d.day,
        doses: suppress(d.doses as number),
        total_vaccinations: suppress(total),
        people_vaccinated: suppress(first),
        people_fully_vaccinated: suppress(full),
      };
    });
  },
  no_shows_weekly: () => {
    const rows = countBy(
      expected.visit_outcomes_daily?.() ?? [],
      (r) => ({
        week: mondayOf(r.day as string),
        centre_id: r.centre_id,
        voivodeship: r.voivodeship,
        powiat: r.powiat,
      }),
      (r) => ({
        visits: (r.completed as number) + (r.no_shows as number) + (r.not_given as number),
        no_shows: r.no_shows as number,
      }),
    );
    return rows.map((r) => ({
      ...r,
      no_show_rate: (r.visits as number) === 0 ? null : (r.no_shows as number) / (r.visits as number),
    }));
  },
  public_no_shows_weekly: () =>
    countBy(
      expected.no_shows_weekly?.() ?? [],
      (r) => ({ week: r.week, voivodeship: r.voivodeship, powiat: r.powiat }),
      (r) => ({ visits: r.visits as number, no_shows: r.no_shows as number }),
    ).map((r) => {
      const visits = r.visits as number;
      const noShows = r.no_shows as number;
      return {
        ...r,
        visits: suppress(visits),
        no_shows: visits < 10 || noShows < 10 ? null : noShows,
        no_show_rate: visits < 10 ? null : round(noShows / visits, 3),
      };
    }),
  slot_utilisation_daily: () =>
    (expected.visit_outcomes_daily?.() ?? []).map((r) => {
      const booked = (r.completed as number) + (r.no_shows as number) + (r.not_given as number);
      const places = r.places_published as number;
      return {
        day: r.day,
        centre_id: r.centre_id,
        voivodeship: r.voivodeship,
        powiat: r.powiat,
        places_published: places,
        booked,
        given: r.completed,
        booked_share: places === 0 ? null : booked / places,
        given_share: places === 0 ? null : (r.completed as number) / places,
      };
    }),
  sms_daily: () => {
    const reached = ledger.messages.flatMap((m) => [
      ...(m.sentOn ? [{ day: m.sentOn, purpose: m.purpose, status: 'sent' }] : []),
      ...(m.report ? [{ day: m.report.on, purpose: m.purpose, status: m.report.status }] : []),
      ...(m.rejectedOn ? [{ day: m.rejectedOn, purpose: m.purpose, status: 'rejected' }] : []),
      ...(m.skippedOn ? [{ day: m.skippedOn, purpose: m.purpose, status: 'skipped' }] : []),
    ]);
    const statuses = ['sent', 'delivered', 'undelivered', 'failed', 'rejected', 'skipped'];
    return countBy(
      reached,
      (r) => ({ day: r.day, purpose: r.purpose }),
      (r) => Object.fromEntries(statuses.map((status) => [status, r.status === status ? 1 : 0])),
    );
  },
};

/** The view's rows with the columns the expectation names (people's registration day is checked apart). */
const actual = (warehouse: LocalWarehouse, name: string): Row[] => {
  const rows = warehouse.rows(name);
  if (name !== 'people') return rows;
  return rows.map(({ registered_on: _, ...rest }) => rest);
};

function openWarehouse(): { db: DatabaseSync; warehouse: LocalWarehouse; sink: SqliteAnalytics } {
  const db = new DatabaseSync(':memory:');
  const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
  const warehouse = new LocalWarehouse(db);
  warehouse.putCentres(ledger.centres);
  warehouse.putVaccines(ledger.vaccines);
  warehouse.putPopulation(ledger.population);
  return { db, warehouse, sink };
}

describe('the views on the local warehouse, against a simulated month', () => {
  let warehouse: LocalWarehouse;
  let db: DatabaseSync;

  beforeAll(async () => {
    const opened = openWarehouse();
    ({ warehouse, db } = opened);
    for (const event of events) await opened.sink.handle(event);
    warehouse.putSnapshots(ledger.snapshots);
    warehouse.refresh();
  });

  afterAll(() => db.close());

  test('the month is a real one: every channel, outcome, move, cancellation and suppressed cell occurs', () => {
    expect(new Set(ledger.visits.map((v) => v.channel))).toEqual(new Set(['web', 'hotline', 'sms', 'centre']));
    expect(new Set(ledger.visits.map((v) => v.outcome))).toEqual(new Set(['completed', 'no_show', 'not_given', null]));
    expect(ledger.visits.filter((v) => v.movedOn).length).toBeGreaterThan(3);
    expect(ledger.visits.filter((v) => v.cancelledOn).length).toBeGreaterThan(3);
    expect(ledger.visits.filter((v) => v.doseGiven).length).toBeGreaterThan(0);
    const uptake = expected.public_uptake?.() ?? [];
    expect(uptake.some((r) => r.people_vaccinated === null)).toBe(true);
    expect(uptake.some((r) => r.people_vaccinated !== null)).toBe(true);
    expect(events.length).toBeGreaterThan(500);
    // Bookings just after midnight in Warsaw, still the day before in UTC: counted on Warsaw's day.
    const booked = events.filter((e) => e.type === 'appointment.booked');
    expect(booked.some((e) => e.occurredAt.slice(11, 13) === '23')).toBe(true);
  });

  test('the month’s priority groups: people in one group and in two, some moved to another set, some taken out of every group', () => {
    const changes = events.filter((e) => e.type === 'patient.groups_changed');
    const changedTwice = new Set(changes.map((e) => e.subjectId).filter((id, i, all) => all.indexOf(id) !== i));
    expect(changedTwice.size).toBeGreaterThan(2);
    expect(ledger.people.some((p) => changedTwice.has(p.id) && p.groups.length === 0)).toBe(true);
    expect(new Set(ledger.people.map((p) => p.groups.length))).toEqual(new Set([0, 1, 2]));
  });

  test('the month’s text messages reach every status, of every purpose, some reported only the next day', () => {
    const { messages } = ledger;
    expect(new Set(messages.map((m) => m.purpose))).toEqual(
      new Set(['booked', 'reminder', 'moved', 'cancelled', 'reply', 'booked_by_text']),
    );
    expect(new Set(messages.map((m) => m.report?.status))).toEqual(
      new Set(['delivered', 'undelivered', 'failed', undefined]),
    );
    expect(messages.filter((m) => m.rejectedOn).length).toBeGreaterThan(0);
    expect(messages.filter((m) => m.skippedOn).length).toBeGreaterThan(0);
    expect(messages.filter((m) => m.report && m.sentOn && m.report.on > m.sentOn).length).toBeGreaterThan(0);
  });

  test.each(Object.keys(expected))('%s gives the figures counted from what happened', (name) => {
    const want = expected[name]?.() ?? [];
    expect(want.length).toBeGreaterThan(0);
    expect(sorted(actual(warehouse, name))).toEqual(sorted(want));
  });

  test('every view file has its expected figures here', () => {
    expect(warehouse.views.map((v) => v.name).sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('keeping the views up to date', () => {
  test('refreshing as events arrive, late ones included, gives what one build of the whole month gives', async () => {
    const step = openWarehouse();
    step.warehouse.putSnapshots(ledger.snapshots);
    // The events in five deliveries; the third also brings a few from its first days, late.
    const late = events.filter((_, i) => i % 37 === 0);
    const onTime = events.filter((_, i) => i % 37 !== 0);
    const parts = [0, 1, 2, 3, 4].map((k) => onTime.filter((_, i) => i % 5 === k));
    for (const [k, part] of parts.entries()) {
      for (const event of part) await step.sink.handle(event);
      if (k === 2) for (const event of late) await step.sink.handle(event);
      const refreshed = step.warehouse.refresh();
      if (k === 0) expect(refreshed.every((r) => r.rebuilt === 'all')).toBe(true);
      else expect(refreshed.some((r) => typeof r.rebuilt === 'number' && r.rebuilt > 0)).toBe(true);
    }
    // Nothing new: nothing recomputed.
    expect(step.warehouse.refresh().every((r) => r.rebuilt === 0)).toBe(true);

    for (const name of Object.keys(expected)) {
      expect({ name, rows: sorted(actual(step.warehouse, name)) }).toEqual({
        name,
        rows: sorted(expected[name]?.() ?? []),
      });
    }
    step.db.close();
  });

  test('a centre given its powiat later is counted there once the views are rebuilt', async () => {
    const { db, warehouse, sink } = openWarehouse();
    for (const event of events) await sink.handle(event);
    warehouse.refresh();
    const wro = (rows: Row[]) => rows.filter((r) => r.centre_id === 'ctr-wro').map((r) => r.powiat);
    expect(new Set(wro(warehouse.rows('visit_outcomes_daily')))).toEqual(new Set([null]));

    warehouse.putCentres(ledger.centres.map((c) => (c.centre_id === 'ctr-wro' ? { ...c, powiat: '0264' } : c)));
    warehouse.rebuildAtNextRefresh();
    warehouse.refresh();
    expect(new Set(wro(warehouse.rows('visit_outcomes_daily')))).toEqual(new Set(['0264']));
    db.close();
  });

  test('refreshing in turns lets a timer and a unit of work queued meanwhile run between two views, and makes what one refresh makes', async () => {
    const { db, warehouse, sink } = openWarehouse();
    prepareDatabase(db);
    const store = new SqliteStore(db);
    for (const event of events) await sink.handle(event);
    warehouse.putSnapshots(ledger.snapshots);
    const order: string[] = [];
    const refreshing = warehouse.refreshInTurns((work) =>
      store.exclusive(() => {
        const refreshed = work();
        order.push(refreshed.view);
        return refreshed;
      }),
    );
    // Both come while the first view is being made: neither must wait for all the others.
    setTimeout(() => order.push('timer'), 0);
    const unit = store.runInTransaction(async (tx) => {
      order.push('unit of work');
      return tx.getPatient('nobody');
    });
    const refreshed = await refreshing;
    await unit;

    const views = warehouse.keptAsTables.map((v) => v.name);
    expect(views.length).toBeGreaterThan(2);
    expect(refreshed.map((r) => r.view)).toEqual(views);
    expect(order.indexOf('unit of work')).toBeGreaterThan(0);
    expect(order.indexOf('unit of work')).toBeLessThan(order.length - 1);
    expect(order.indexOf('timer')).toBeGreaterThan(0);
    expect(order.indexOf('timer')).toBeLessThan(order.length - 1);
    for (const name of Object.keys(expected)) {
      expect({ name, rows: sorted(actual(warehouse, name)) }).toEqual({ name, rows: sorted(expected[name]?.() ?? []) });
    }
    await store.flush();
    db.close();
  });

  test('registrations that arrive after people were refreshed, before the doses were, count by age at the next refresh', async () => {
    const { db, warehouse, sink } = openWarehouse();
    warehouse.putSnapshots(ledger.snapshots);
    const registration = (e: (typeof events)[number]) => e.type.startsWith('patient.registered');
    for (const event of events.filter((e) => !registration(e))) await sink.handle(event);
    await warehouse.refreshInTurns(async (work) => {
      const refreshed = work();
      if (refreshed.view === 'people') for (const event of events.filter(registration)) sink.write(event);
      return refreshed;
    });
    warehouse.refresh();

    expect(warehouse.rows('doses_daily').some((r) => r.age_band === 'unknown')).toBe(false);
    for (const name of Object.keys(expected)) {
      expect({ name, rows: sorted(actual(warehouse, name)) }).toEqual({ name, rows: sorted(expected[name]?.() ?? []) });
    }
    db.close();
  });

  test('a view brought up to date by adding new rows’ counts holds what a full rebuild of it makes', async () => {
    const { db, warehouse, sink } = openWarehouse();
    warehouse.putSnapshots(ledger.snapshots);
    // Ten deliveries, each of every tenth event: every day is added to many times, out of order.
    for (let k = 0; k < 10; k++) {
      for (const event of events.filter((_, i) => i % 10 === k)) await sink.handle(event);
      warehouse.refresh();
    }
    const kept = warehouse.keptAsTables.map((v) => v.name);
    const stepwise = Object.fromEntries(kept.map((name) => [name, sorted(warehouse.rows(name))]));
    warehouse.rebuildAtNextRefresh();
    expect(warehouse.refresh().every((r) => r.rebuilt === 'all')).toBe(true);
    for (const name of kept)
      expect({ name, rows: stepwise[name] }).toEqual({ name, rows: sorted(warehouse.rows(name)) });
    db.close();
  });

  test('a view that drops small groups has every day of the new events made again, not only those it shows', async () => {
    const busyDays = parseViewFile(
      'busy_days.sql',
      [
        '-- Days with many events',
        '-- day: the day',
        '-- events: the events of the day',
        '-- refreshed by: events.occurred_on',
        'SELECT occurred_on AS day, COUNT(*) AS events FROM `ereg.events` GROUP BY day HAVING COUNT(*) >= 20',
      ].join('\n'),
    );
    const db = new DatabaseSync(':memory:');
    const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
    const warehouse = new LocalWarehouse(db, orderViews([busyDays], WAREHOUSE_TABLES));
    // Each delivery holds a tenth of each day: too few for a day to show from its events alone.
    for (let k = 0; k < 10; k++) {
      for (const event of events.filter((_, i) => i % 10 === k)) await sink.handle(event);
      warehouse.refresh();
    }
    const stepwise = sorted(warehouse.rows('busy_days'));
    warehouse.rebuildAtNextRefresh();
    warehouse.refresh();
    expect(stepwise.length).toBeGreaterThan(5);
    expect(stepwise).toEqual(sorted(warehouse.rows('busy_days')));
    db.close();
  });
});
