import type { Centre } from '@ereg/shared';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// The clock stands on Monday 2026-01-12, 08:00 in Warsaw.
let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let centre: Centre;
let manager: string;
let staff: string;

beforeAll(async () => {
  system = await createTestSystem();
  centre = await system.addCentre({ id: 'c-stock' });
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-s', centreId: centre.id });
  staff = await system.tokenFor({ role: 'staff', staffId: 'staff-s', centreId: centre.id });
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

const batches = `/api/centres/c-stock/batches`;
const delivery = { vaccineId: 'comirnaty', number: 'ew-0001', expiry: '2026-03-31', doses: 30 };

describe('batches over HTTP', () => {
  test('a manager records a batch (201); staff list it, log waste and see the outlook; the manager closes it', async () => {
    const added = await call('POST', batches, { token: manager, body: delivery });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ number: 'EW-0001', remaining: 30, wasted: 0, status: 'active', expired: false });
    const batchId = added.body.id as string;

    const wasted = await call('POST', `${batches}/${batchId}/waste`, {
      token: staff,
      body: { count: 2, reason: 'other', note: 'Fiolka pękła' },
    });
    expect(wasted.status).toBe(200);
    expect(wasted.body).toMatchObject({ remaining: 28, wasted: 2 });

    const listed = await call('GET', batches, { token: staff });
    expect(listed.status).toBe(200);
    expect(listed.body.batches.map((b: { id: string; remaining: number }) => [b.id, b.remaining])).toEqual([
      [batchId, 28],
    ]);

    const outlook = await call('GET', '/api/centres/c-stock/stock-outlook', { token: staff });
    expect(outlook.status).toBe(200);
    expect(outlook.body).toMatchObject({ from: '2026-01-12', to: '2026-01-18' });
    expect(outlook.body.products).toContainEqual(
      expect.objectContaining({ vaccineId: 'comirnaty', onHand: 28, short: false, runsOutOn: null }),
    );

    const closed = await call('POST', `${batches}/${batchId}/close`, { token: manager });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'depleted', remaining: 0, wasted: 30 });
    const again = await call('POST', `${batches}/${batchId}/close`, { token: manager });
    expect([again.status, again.body.error.code]).toEqual([409, 'BATCH_DEPLETED']);
  });

  test('the same lot number of a product twice is a 409 BATCH_EXISTS', async () => {
    const body = { ...delivery, number: 'DUP-77' };
    expect((await call('POST', batches, { token: manager, body })).status).toBe(201);
    const second = await call('POST', batches, { token: manager, body: { ...body, number: 'dup-77' } });
    expect([second.status, second.body.error.code]).toEqual([409, 'BATCH_EXISTS']);
  });

  test.each([
    [{ ...delivery, vaccineId: 'aspirin' }, 'vaccineId'],
    [{ ...delivery, number: 'a b' }, 'number'],
    [{ ...delivery, expiry: '31.03.2026' }, 'expiry'],
    [{ ...delivery, expiry: '2026-01-11' }, 'expiry'],
    [{ ...delivery, doses: 0 }, 'doses'],
    [{ ...delivery, doses: 100_001 }, 'doses'],
    [{ ...delivery, extra: true }, undefined],
  ])('a bad batch %j is a 400 naming %s', async (body, field) => {
    const reply = await call('POST', batches, { token: manager, body });
    expect(reply.status).toBe(400);
    if (field) expect(reply.body.error.field).toBe(field);
  });

  test.each([
    [{ count: 0, reason: 'broken' }, 'count'],
    [{ count: 51, reason: 'broken' }, 'count'],
    [{ count: 1, reason: 'lost' }, 'reason'],
    [{ count: 1, reason: 'other' }, 'note'],
  ])('bad waste %j is a 400 naming %s', async (body, field) => {
    const added = await call('POST', batches, {
      token: manager,
      body: { ...delivery, number: `W-${Math.random().toString(36).slice(2, 8)}` },
    });
    const reply = await call('POST', `${batches}/${added.body.id}/waste`, { token: staff, body });
    expect([reply.status, reply.body.error.field]).toEqual([400, field]);
  });

  test('waste beyond the stock is a 409 OUT_OF_STOCK; an unknown batch a 404', async () => {
    const added = await call('POST', batches, { token: manager, body: { ...delivery, number: 'SMALL-1', doses: 3 } });
    const reply = await call('POST', `${batches}/${added.body.id}/waste`, {
      token: staff,
      body: { count: 4, reason: 'broken' },
    });
    expect([reply.status, reply.body.error.code]).toEqual([409, 'OUT_OF_STOCK']);
    const missing = await call('POST', `${batches}/bat-none/waste`, {
      token: staff,
      body: { count: 1, reason: 'broken' },
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'BATCH_NOT_FOUND']);
  });
});
