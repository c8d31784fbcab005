import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { checkInvariants } from '../../bench/invariants.ts';
import { runLoad } from '../../bench/load.ts';
import { evaluateTargets, type ScenarioReport, scenarioReport } from '../../bench/report.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';

const BEFORE = '2026-01-01T00:00:00.000Z';
const SINCE = '2026-01-10T00:00:00.000Z';
const DURING = '2026-01-10T00:00:05.000Z';

function store(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  prepareDatabase(db);
  return db;
}

function addSlot(db: DatabaseSync, id: string, capacity: number, booked: number): void {
  db.prepare(
    `INSERT INTO slots (id, centre_id, vaccine_id, start, end, local_date, capacity, booked)
     VALUES (?, 'c-1', 'comirnaty', '2026-02-01T08:00:00.000Z', '2026-02-01T08:20:00.000Z', '2026-02-01', ?, ?)`,
  ).run(id, capacity, booked);
}

function addAppointment(
  db: DatabaseSync,
  a: {
    id: string;
    patientId: string;
    slotId: string;
    dose?: number;
    status?: string;
    createdAt: string;
    bookingId?: string;
  },
): void {
  const data = { dose: 1, bookingId: `b-${a.id}`, ...a, status: a.status ?? 'booked' };
  db.prepare(
    `INSERT INTO appointments (id, patient_id, centre_id, slot_id, local_date, status, start, data)
     VALUES (?, ?, 'c-1', ?, '2026-02-01', ?, '2026-02-01T08:00:00.000Z', ?)`,
  ).run(a.id, a.patientId, a.slotId, data.status, JSON.stringify(data));
}

describe('the store checks after a run', () => {
  it('find nothing wrong when counters match appointments and each person holds one visit per dose', () => {
    const db = store();
    addSlot(db, 's-1', 2, 2);
    addSlot(db, 's-2', 2, 1);
    addAppointment(db, { id: 'a-1', patientId: 'p-1', slotId: 's-1', createdAt: DURING });
    addAppointment(db, { id: 'a-2', patientId: 'p-2', slotId: 's-1', createdAt: DURING });
    addAppointment(db, { id: 'a-3', patientId: 'p-3', slotId: 's-2', createdAt: BEFORE });
    addAppointment(db, { id: 'a-4', patientId: 'p-4', slotId: 's-2', status: 'cancelled', createdAt: DURING });

    const report = checkInvariants(db, SINCE, ['s-2'], 2);

    expect(report.violations).toBe(0);
    expect(report.appointmentsCreated).toBe(3);
    expect(report.slotsChecked).toBe(2);
  });

  it('report a slot whose counter differs from its active appointments', () => {
    const db = store();
    addSlot(db, 's-1', 3, 2);
    addAppointment(db, { id: 'a-1', patientId: 'p-1', slotId: 's-1', createdAt: DURING });

    const report = checkInvariants(db, SINCE, [], 1);

    expect(report.counterMismatches).toEqual([{ slotId: 's-1', booked: 2, appointments: 1 }]);
    expect(report.violations).toBe(1);
  });

  it('report a contended slot that was not booked during the run but is out of step', () => {
    const db = store();
    addSlot(db, 's-9', 5, 4);

    expect(checkInvariants(db, SINCE, ['s-9'], 0).counterMismatches).toHaveLength(1);
  });

  it('report a person holding two active appointments for the same dose', () => {
    const db = store();
    addSlot(db, 's-1', 2, 1);
    addSlot(db, 's-2', 2, 1);
    addAppointment(db, { id: 'a-1', patientId: 'p-1', slotId: 's-1', createdAt: BEFORE });
    addAppointment(db, { id: 'a-2', patientId: 'p-1', slotId: 's-2', createdAt: DURING });

    const report = checkInvariants(db, SINCE, [], 1);

    expect(report.doubleBookings).toEqual([{ patientId: 'p-1', dose: 1, active: 2 }]);
    expect(report.violations).toBe(1);
  });

  it('report acknowledged bookings that the store does not hold', () => {
    const db = store();
    addSlot(db, 's-1', 2, 1);
    addAppointment(db, { id: 'a-1', patientId: 'p-1', slotId: 's-1', createdAt: DURING });

    const report = checkInvariants(db, SINCE, [], 3);

    expect(report.lostBookings).toBe(2);
    expect(report.violations).toBe(1);
  });
});

const load = (ok: number, expected: Record<string, number>, p99 = 10) => ({
  durationSeconds: 10,
  responses: ok + Object.values(expected).reduce((a, b) => a + b, 0),
  generatorCpuSeconds: 5,
  ok,
  expected,
  unexpected: {},
  socketErrors: 0,
  timeouts: 0,
  latencyMs: { average: 5, p50: 4, p90: 8, p97_5: p99, p99, max: 20 },
  inputs: { prepared: 100, reused: 0, exhausted: 0 },
});

const server = { rssBytes: null, cpuSeconds: null };

describe('the targets', () => {
  const scenarios = (bookingOk: number, searchOk: number, searchP99: number, reportsP975 = 200): ScenarioReport[] => [
    scenarioReport('hello', '', 50, load(100_000, {}), null, server),
    scenarioReport('login', '', 50, load(20_000, {}), 10_000, server),
    scenarioReport('search', '', 50, load(searchOk, {}, searchP99), 10_000, server),
    scenarioReport('booking', '', 50, load(bookingOk, { SLOT_FULL: 1_000 }), 10_000, server),
    scenarioReport('reports', '', 50, load(5_000, {}, reportsP975), 10_000, server),
  ];

  it('pass at exactly their limits, counting expected 409 answers as served', () => {
    const targets = evaluateTargets(scenarios(29_000, 50_000, 50, 200), 5000, 1024 ** 3, 0);
    expect(targets.filter((t) => t.pass !== true).map((t) => t.id)).toEqual([]);
  });

  it('miss just past their limits', () => {
    const targets = evaluateTargets(scenarios(8_000, 19_000, 51, 201), 5001, 1024 ** 3 + 1, 1);
    expect(Object.fromEntries(targets.map((t) => [t.id, t.pass]))).toEqual({
      'booking-ratio': false,
      'booking-rate': false,
      'search-ratio': false,
      'search-rate': false,
      'search-p99': false,
      'login-rate': true,
      'reports-p95': false,
      'peak-rss': false,
      startup: false,
      invariants: false,
    });
  });

  it('are not applicable when their scenario was not run', () => {
    const targets = evaluateTargets([], 100, null, 0);
    expect(targets.find((t) => t.id === 'search-p99')?.pass).toBeNull();
    expect(targets.find((t) => t.id === 'peak-rss')?.pass).toBeNull();
  });
});

describe('the load generator', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ token: string; key: string; slotId: string }> = [];

  beforeAll(async () => {
    const booked = new Set<string>();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const token = String(req.headers.authorization);
        const { slotId } = JSON.parse(body) as { slotId: string };
        seen.push({ token, key: String(req.headers['idempotency-key']), slotId });
        // The first booking of each patient succeeds, unless the slot is slot-z (always full); a second
        // booking by the same patient would be the load generator's mistake. Answers take 10 ms.
        let status = 201;
        let code = '';
        if (booked.has(token)) [status, code] = [409, 'ALREADY_BOOKED'];
        else if (slotId === 'slot-z') [status, code] = [409, 'SLOT_FULL'];
        else booked.add(token);
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(code ? { error: { code, message: code } } : { bookingId: 'b' }));
        }, 10);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives every request its own key and patient, never resends one who booked, and sorts the answers', async () => {
    const patients = Array.from({ length: 200 }, (_, i) => ({ id: `p-${i}`, token: `t-${i}` }));
    const result = await runLoad({
      url,
      connections: 4,
      durationSeconds: 1,
      timeoutSeconds: 5,
      plan: { kind: 'booking', patients, slots: ['slot-a', 'slot-z', 'slot-z', 'slot-z'], keyPrefix: 'run' },
    });

    expect(seen.length).toBeGreaterThan(100);
    expect(new Set(seen.map((s) => s.key)).size).toBe(seen.length);
    expect(new Set(seen.slice(0, 100).map((s) => s.token)).size).toBe(100);
    expect(result.unexpected).toEqual({});
    expect(result.ok).toBeGreaterThan(0);
    expect(result.expected.SLOT_FULL).toBeGreaterThan(0);
    expect(result.inputs.prepared).toBe(200);
  });

  it('counts requests sent after every prepared patient has booked apart from the answers', async () => {
    seen.length = 0;
    const patients = Array.from({ length: 3 }, (_, i) => ({ id: `q-${i}`, token: `u-${i}` }));
    const result = await runLoad({
      url,
      connections: 2,
      durationSeconds: 1,
      timeoutSeconds: 5,
      plan: { kind: 'booking', patients, slots: ['slot-a'], keyPrefix: 'again' },
    });

    expect(result.ok).toBe(3);
    expect(result.unexpected).toEqual({});
    // Requests still in flight when the time is up are seen by the server but never answered.
    expect(result.inputs.exhausted).toBeGreaterThan(0);
    expect(result.inputs.exhausted).toBeLessThanOrEqual(seen.length - 3);
  });
});
