import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Centre, Slot } from '@ereg/shared';
import { aBirthYearRule, aSchedule } from '../support/builders.ts';
import { type Call, client, type Reply } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

jest.setTimeout(120_000);

const NOW = '2026-01-12T07:00:00.000Z';

/** One centre, one product, a place for 20 people in every slot. */
const bigSlots = () =>
  aSchedule({
    capacity: { comirnaty: 20 },
    days: {
      mon: [{ from: '08:00', to: '16:00' }],
      tue: [{ from: '08:00', to: '16:00' }],
      wed: [{ from: '08:00', to: '16:00' }],
      thu: [{ from: '08:00', to: '16:00' }],
      fri: [{ from: '08:00', to: '16:00' }],
    },
  });

async function prepare(system: TestSystem): Promise<{ centre: Centre; slots: Slot[] }> {
  await system.addRule(aBirthYearRule(1970));
  const centre = await system.addCentre({ schedule: bigSlots() });
  const slots = [
    ...(await system.store.listSlotsOfCentreDay(centre.id, '2026-01-13')),
    ...(await system.store.listSlotsOfCentreDay(centre.id, '2026-01-14')),
    ...(await system.store.listSlotsOfCentreDay(centre.id, '2026-01-15')),
  ];
  expect(slots.length).toBeGreaterThan(70);
  return { centre, slots };
}

async function patients(system: TestSystem, count: number) {
  const list = [];
  for (let i = 0; i < count; i++) list.push(await system.newPatient());
  return list;
}

function activeInSlot(system: TestSystem, slotId: string): number {
  return (
    system.db
      .prepare("SELECT count(*) AS n FROM appointments WHERE slot_id = ? AND status <> 'cancelled'")
      .get(slotId) as {
      n: number;
    }
  ).n;
}

function codes(replies: Reply[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status === 201 ? '201' : `${r.status} ${r.body?.error?.code}`;
    counted[key] = (counted[key] ?? 0) + 1;
  }
  return counted;
}

/** The three storms, against any set of servers sharing one database (requests alternate between them). */
function defineStorms(
  name: string,
  setup: () => Promise<{ system: TestSystem; calls: Call[]; teardown: () => Promise<void> }>,
) {
  describe(name, () => {
    let system: TestSystem;
    let calls: Call[];
    let teardown: () => Promise<void>;
    let slots: Slot[];

    beforeAll(async () => {
      ({ system, calls, teardown } = await setup());
      ({ slots } = await prepare(system));
    });
    afterAll(async () => teardown());

    const via = (i: number) => calls[i % calls.length] as Call;

    test('1,000 people racing for one slot of 20 places: exactly 20 get it, the rest are told it is full', async () => {
      const slot = slots[0] as Slot;
      const people = await patients(system, 1000);
      const replies = await Promise.all(
        people.map((p, i) =>
          via(i)('POST', '/api/booking/appointments', { token: p.token, body: { slotId: slot.id } }),
        ),
      );
      expect(codes(replies)).toEqual({ '201': 20, '409 SLOT_FULL': 980 });
      expect((await system.store.getSlot(slot.id))?.booked).toBe(20);
      expect(activeInSlot(system, slot.id)).toBe(20);
      const full = replies.find((r) => r.status === 409);
      expect(full?.body.error.details.alternatives.length).toBeGreaterThan(0);
    });

    test('one person firing 50 bookings at once with different keys gets exactly one', async () => {
      const [person] = await patients(system, 1);
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          via(i)('POST', '/api/booking/appointments', {
            token: person?.token,
            body: { slotId: (slots[1 + i] as Slot).id },
            headers: { 'idempotency-key': `storm-key-${i}` },
          }),
        ),
      );
      expect(codes(replies)).toEqual({ '201': 1, '409 ALREADY_BOOKED': 49 });
      const mine = await system.store.listAppointmentsOfPatient(person?.patientId as string);
      expect(mine.filter((a) => a.dose === 1 && a.status === 'booked')).toHaveLength(1);
    });

    test('50 retries of one request with one Idempotency-Key book once and answer the same', async () => {
      const [person] = await patients(system, 1);
      const slot = slots[60] as Slot;
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          via(i)('POST', '/api/booking/appointments', {
            token: person?.token,
            body: { slotId: slot.id },
            headers: { 'idempotency-key': 'the-same-key' },
          }),
        ),
      );
      expect(codes(replies)).toEqual({ '201': 50 });
      const bodies = new Set(replies.map((r) => JSON.stringify(r.body)));
      expect(bodies.size).toBe(1);
      const mine = await system.store.listAppointmentsOfPatient(person?.patientId as string);
      expect(mine).toHaveLength(2);
      expect(activeInSlot(system, slot.id)).toBe(1);
    });

    test('afterwards every slot counter equals its appointments and none is over capacity', () => {
      const mismatched = system.db
        .prepare(
          `SELECT s.id FROM slots s LEFT JOIN appointments a ON a.slot_id = s.id AND a.status <> 'cancelled'
           GROUP BY s.id HAVING count(a.id) <> s.booked OR s.booked > s.capacity`,
        )
        .all();
      expect(mismatched).toEqual([]);
    });
  });
}

defineStorms('one server process', async () => {
  const system = await createTestSystem({ now: NOW });
  const http = await serve(system);
  return {
    system,
    calls: [client(http.url)],
    teardown: async () => {
      await http.close();
      await system.close();
    },
  };
});

function startProcess(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--conditions=source', join(__dirname, '../support/server-process.ts')], {
    env: { ...process.env, DB_PATH: dbPath, FAKE_NOW: NOW },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve({ child, url: line.slice('LISTENING '.length) });
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

defineStorms('two server processes sharing one database file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ereg-storm-'));
  const dbPath = join(dir, 'ereg.sqlite');
  const system = await createTestSystem({ now: NOW, dbPath });
  const processes = await Promise.all([startProcess(dbPath), startProcess(dbPath)]);
  return {
    system,
    calls: processes.map((p) => client(p.url)),
    teardown: async () => {
      await Promise.all(
        processes.map(
          (p) =>
            new Promise<void>((resolve) => {
              p.child.removeAllListeners('exit');
              p.child.once('exit', () => resolve());
              p.child.kill('SIGTERM');
            }),
        ),
      );
      await system.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
