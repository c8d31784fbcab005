import type { Centre } from '../model.ts';
import type { Principal } from '../principal.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { bookAppointment } from './book-appointment.ts';
import {
  type AddBatchInput,
  addBatch,
  closeBatch,
  listBatches,
  logWastedDose,
  stockOutlook,
  takeDoseForVaccination,
} from './centre-stock.ts';

let system: MemorySystem;
let centre: Centre;
let manager: Principal;
let staff: Principal;

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
const TODAY = '2026-01-12';

beforeEach(async () => {
  system = createMemorySystem();
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  manager = { role: 'centre-manager', staffId: 'manager-1', centreId: centre.id };
  staff = { role: 'staff', staffId: 'staff-1', centreId: centre.id };
});

const delivery = (overrides: Partial<AddBatchInput> = {}): AddBatchInput => ({
  vaccineId: 'comirnaty',
  number: 'fk-1234',
  expiry: '2026-02-28',
  doses: 100,
  ...overrides,
});

const take = (batchId: string, overrides: { vaccineId?: string; localDate?: string } = {}) =>
  system.store.runInTransaction((tx) =>
    takeDoseForVaccination(system.deps, tx, {
      centreId: centre.id,
      batchId,
      vaccineId: overrides.vaccineId ?? 'comirnaty',
      localDate: overrides.localDate ?? TODAY,
      actor: { role: 'staff', id: 'staff-1' },
    }),
  );

describe('adding a batch', () => {
  test('the manager records a delivery: the lot number in capitals, all doses left, with an event', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery());

    expect(batch).toMatchObject({
      centreId: centre.id,
      number: 'FK-1234',
      doses: 100,
      remaining: 100,
      wasted: 0,
      status: 'active',
      expired: false,
      createdBy: { role: 'staff', id: 'manager-1' },
    });
    expect(system.store.eventsOfType('batch.added').map((e) => e.data)).toEqual([
      {
        batchId: batch.id,
        centreId: centre.id,
        vaccineId: 'comirnaty',
        number: 'FK-1234',
        expiry: '2026-02-28',
        doses: 100,
      },
    ]);
  });

  test('staff may not add batches, nor the manager of another centre', async () => {
    await expect(addBatch(system.deps, staff, centre.id, delivery())).rejects.toMatchObject({ code: 'MANAGER_ONLY' });
    const other = { role: 'centre-manager', staffId: 'manager-9', centreId: 'elsewhere' } as const;
    await expect(addBatch(system.deps, other, centre.id, delivery())).rejects.toMatchObject({
      code: 'CENTRE_FORBIDDEN',
    });
    expect(await system.store.listBatchesOfCentre(centre.id)).toEqual([]);
  });

  test.each([
    [{ vaccineId: 'aspirin' }, 'vaccineId', 'UNKNOWN_VACCINE'],
    [{ number: 'x' }, 'number', 'INVALID_LOT'],
    [{ number: 'FK 1234' }, 'number', 'INVALID_LOT'],
    [{ expiry: '2026-02-30' }, 'expiry', 'INVALID_DATE'],
    [{ expiry: '2026-01-11' }, 'expiry', 'EXPIRY_PASSED'],
    [{ doses: 0 }, 'doses', 'INVALID_DOSES'],
    [{ doses: 100_001 }, 'doses', 'INVALID_DOSES'],
    [{ doses: 2.5 }, 'doses', 'INVALID_DOSES'],
  ] as const)('refuses %j, naming %s', async (bad, field, code) => {
    await expect(addBatch(system.deps, manager, centre.id, delivery(bad))).rejects.toMatchObject({
      kind: 'invalid',
      code,
      field,
    });
    expect(system.store.eventsOfType('batch.added')).toEqual([]);
  });

  test('a batch may last until today, not until yesterday', async () => {
    await expect(addBatch(system.deps, manager, centre.id, delivery({ expiry: TODAY }))).resolves.toMatchObject({
      expiry: TODAY,
      expired: false,
    });
  });

  test('a lot number recorded for the product here is refused as BATCH_EXISTS, whatever its case', async () => {
    const first = await addBatch(system.deps, manager, centre.id, delivery());

    await expect(addBatch(system.deps, manager, centre.id, delivery({ number: 'FK-1234' }))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'BATCH_EXISTS',
      details: { batchId: first.id },
    });
    await expect(addBatch(system.deps, manager, centre.id, delivery({ vaccineId: 'spikevax' }))).resolves.toMatchObject(
      { number: 'FK-1234', vaccineId: 'spikevax' },
    );
  });
});

describe('listing batches', () => {
  test('staff see active batches first, each with what is left, wasted and whether it is expired', async () => {
    await addBatch(system.deps, manager, centre.id, delivery({ number: 'OLD-1', expiry: '2026-01-13' }));
    const fresh = await addBatch(system.deps, manager, centre.id, delivery({ number: 'NEW-1', doses: 10 }));
    await closeBatch(system.deps, manager, centre.id, fresh.id);
    const later = await addBatch(system.deps, manager, centre.id, delivery({ number: 'NEW-2', doses: 5 }));
    await logWastedDose(system.deps, staff, centre.id, { batchId: later.id, count: 2, reason: 'broken' });
    system.clock.set('2026-01-14T07:00:00.000Z');

    const listed = await listBatches(system.deps, staff, centre.id);

    expect(listed.map((b) => [b.number, b.status, b.remaining, b.wasted, b.expired])).toEqual([
      ['OLD-1', 'active', 100, 0, true],
      ['NEW-2', 'active', 3, 2, false],
      ['NEW-1', 'depleted', 0, 10, false],
    ]);
  });

  test('staff of another centre see nothing', async () => {
    const stranger = { role: 'staff', staffId: 'staff-9', centreId: 'elsewhere' } as const;
    await expect(listBatches(system.deps, stranger, centre.id)).rejects.toMatchObject({ code: 'CENTRE_FORBIDDEN' });
  });
});

describe('closing a batch and wasting doses', () => {
  test('closing marks the batch depleted and logs the doses left as wasted (closed)', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery({ doses: 12 }));
    await take(batch.id);

    const closed = await closeBatch(system.deps, manager, centre.id, batch.id);

    expect(closed).toMatchObject({ status: 'depleted', remaining: 0, wasted: 11, depletedAt: expect.any(String) });
    expect(system.store.eventsOfType('dose.wasted').map((e) => e.data)).toEqual([
      expect.objectContaining({ batchId: batch.id, count: 11, reasonCode: 'closed' }),
    ]);
    expect(system.store.eventsOfType('batch.depleted').map((e) => e.data.cause)).toEqual(['closed']);
    await expect(closeBatch(system.deps, manager, centre.id, batch.id)).rejects.toMatchObject({
      code: 'BATCH_DEPLETED',
    });
    await expect(closeBatch(system.deps, staff, centre.id, batch.id)).rejects.toMatchObject({ code: 'MANAGER_ONLY' });
  });

  test('wasted doses count the stock down, and the last one depletes the batch', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery({ doses: 3 }));

    await logWastedDose(system.deps, staff, centre.id, {
      batchId: batch.id,
      count: 1,
      reason: 'other',
      note: 'Vial dropped',
    });
    await expect(
      logWastedDose(system.deps, staff, centre.id, { batchId: batch.id, count: 3, reason: 'broken' }),
    ).rejects.toMatchObject({ code: 'OUT_OF_STOCK', details: { batchId: batch.id, available: 2 } });
    const emptied = await logWastedDose(system.deps, manager, centre.id, {
      batchId: batch.id,
      count: 2,
      reason: 'temperature',
    });

    expect(emptied).toMatchObject({ status: 'depleted', remaining: 0, wasted: 3 });
    expect(system.store.eventsOfType('dose.wasted').map((e) => [e.data.count, e.data.reasonCode, e.data.note])).toEqual(
      [
        [1, 'other', 'Vial dropped'],
        [2, 'temperature', undefined],
      ],
    );
    expect(system.store.eventsOfType('batch.depleted').map((e) => e.data.cause)).toEqual(['used_up']);
  });

  test.each([
    [{ count: 0 }, 'count', 'INVALID_COUNT'],
    [{ count: 51 }, 'count', 'INVALID_COUNT'],
    [{ reason: 'lost' }, 'reason', 'INVALID_REASON'],
    [{ reason: 'closed' }, 'reason', 'INVALID_REASON'],
    [{ reason: 'other' }, 'note', 'NOTE_REQUIRED'],
  ] as const)('refuses waste %j, naming %s', async (bad, field, code) => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery());
    const input = { batchId: batch.id, count: 1, reason: 'broken', ...bad } as Parameters<typeof logWastedDose>[3];
    await expect(logWastedDose(system.deps, staff, centre.id, input)).rejects.toMatchObject({ code, field });
  });

  test("another centre's batch answers as one not found", async () => {
    const other = await system.addCentre({ id: 'centre-2' });
    const theirs = await addBatch(
      system.deps,
      { role: 'centre-manager', staffId: 'manager-2', centreId: other.id },
      other.id,
      delivery(),
    );
    await expect(
      logWastedDose(system.deps, staff, centre.id, { batchId: theirs.id, count: 1, reason: 'broken' }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'BATCH_NOT_FOUND', field: 'batchId' });
  });
});

describe('taking a dose for a vaccination', () => {
  test('takes one dose; the last one depletes the batch with its event', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery({ doses: 2 }));

    expect(await take(batch.id)).toMatchObject({ emptied: false, batch: { status: 'active' } });
    expect(await take(batch.id)).toMatchObject({ emptied: true, batch: { status: 'depleted' } });
    await expect(take(batch.id)).rejects.toMatchObject({ code: 'BATCH_DEPLETED' });
    expect(await system.store.getBatchStock(batch.id)).toEqual({ batchId: batch.id, remaining: 0, wasted: 0 });
    expect(system.store.eventsOfType('batch.depleted').map((e) => e.data)).toEqual([
      { batchId: batch.id, centreId: centre.id, vaccineId: 'comirnaty', cause: 'used_up' },
    ]);
  });

  test('refuses a batch of another product, one expired on the visit day, or one not at the centre', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery({ expiry: '2026-01-13' }));

    await expect(take(batch.id, { vaccineId: 'spikevax' })).rejects.toMatchObject({
      kind: 'invalid',
      code: 'BATCH_PRODUCT_MISMATCH',
      field: 'batchId',
    });
    await expect(take(batch.id, { localDate: '2026-01-14' })).rejects.toMatchObject({ code: 'BATCH_EXPIRED' });
    await expect(take('bat_missing')).rejects.toMatchObject({ kind: 'not_found', code: 'BATCH_NOT_FOUND' });
    expect(await system.store.getBatchStock(batch.id)).toMatchObject({ remaining: 100 });
  });

  test('many vaccinations at once take no more doses than the batch holds', async () => {
    const batch = await addBatch(system.deps, manager, centre.id, delivery({ doses: 5 }));
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => take(batch.id)));
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(5);
    expect(codes.filter((c) => c !== 'ok').every((c) => c === 'BATCH_DEPLETED' || c === 'OUT_OF_STOCK')).toBe(true);
    expect(system.store.eventsOfType('batch.depleted')).toHaveLength(1);
  });
});

describe('the stock outlook', () => {
  async function bookVisits(date: string, time: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const { patientId, principal } = await system.newPatient();
      const slotId = (await system.slotAt(centre, date, time)).id;
      await bookAppointment(system.deps, principal, { patientId, slotId, idempotencyKey: null });
    }
  }

  test('warns when the visits booked outrun the doses usable, naming the first day short', async () => {
    await addBatch(system.deps, manager, centre.id, delivery({ number: 'SOON', doses: 2, expiry: '2026-01-13' }));
    await addBatch(system.deps, manager, centre.id, delivery({ number: 'LATER', doses: 1 }));
    await bookVisits('2026-01-13', '09:00', 2);
    await bookVisits('2026-01-14', '09:00', 2);

    const outlook = await stockOutlook(system.deps, staff, centre.id);

    expect(outlook).toMatchObject({ centreId: centre.id, from: TODAY, to: '2026-01-18' });
    const comirnaty = outlook.products.find((p) => p.vaccineId === 'comirnaty');
    expect(comirnaty).toMatchObject({ onHand: 3, booked: 4, short: true, runsOutOn: '2026-01-14' });
    expect(comirnaty?.days.slice(0, 3)).toEqual([
      { date: TODAY, booked: 0, available: 3 },
      { date: '2026-01-13', booked: 2, available: 3 },
      { date: '2026-01-14', booked: 2, available: 1 },
    ]);
  });

  test('is not short when the doses cover the visits', async () => {
    await addBatch(system.deps, manager, centre.id, delivery({ doses: 50 }));
    await bookVisits('2026-01-13', '09:00', 2);

    const [product] = (await stockOutlook(system.deps, staff, centre.id)).products;

    expect(product).toMatchObject({ vaccineId: 'comirnaty', onHand: 50, booked: 2, short: false, runsOutOn: null });
  });
});
