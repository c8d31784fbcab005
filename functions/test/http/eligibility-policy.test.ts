import type { Centre } from '@ereg/shared';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// The system stands on Monday 2026-01-12, 08:00 in Warsaw. Wednesday 20:00 in Warsaw is 19:00 UTC.
const WEDNESDAY_20_00 = '2026-01-14T19:00:00.000Z';
const WEDNESDAY_19_59 = '2026-01-14T18:59:00.000Z';
const BORN_1951 = 'born-1951-at-2026-01-14T1900Z';

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let warsaw: Centre;
let krakow: Centre;
let admin1: string;
let admin2: string;

/** An administrator's session as the development identity provider issues it (how they sign in locally). */
async function signIn(id: string): Promise<string> {
  const reply = await call('POST', '/dev-idp/token', { body: { role: 'admin', id } });
  expect(reply.status).toBe(200);
  return reply.body.token;
}

/** A new person born in a year tries to book the first free comirnaty slot of a centre on Friday. */
async function book(born: number, centre: Centre): Promise<{ status: number; code?: string }> {
  const { token } = await system.newPatient({ born });
  const slot = (await system.store.listSlotsOfCentreDay(centre.id, '2026-01-16')).find(
    (s) => s.vaccineId === 'comirnaty' && s.booked < s.capacity,
  );
  if (!slot) throw new Error(`no free slot at ${centre.id}`);
  const reply = await call('POST', '/api/booking/appointments', { token, body: { slotId: slot.id } });
  return { status: reply.status, code: reply.body?.error?.code };
}

async function propose(token: string, body: unknown) {
  const reply = await call('POST', '/api/admin/policy-changes', { token, body });
  expect(reply.status).toBe(201);
  return reply.body.change as { id: string; rules?: Array<{ id: string; from: string }> };
}

/** Moves the clock; the administrators sign in again, as they would days later. */
async function moveTo(at: string): Promise<void> {
  system.clock.set(at);
  admin1 = await signIn('admin-1');
  admin2 = await signIn('admin-2');
}

const policyAt = async (at: string) =>
  (await call('GET', `/api/admin/eligibility-policy?at=${encodeURIComponent(at)}`, { token: admin1 })).body;
const states = (policy: { rules: Array<{ id: string; state: string }> }) =>
  Object.fromEntries(policy.rules.map((r) => [r.id, r.state]));

beforeEach(async () => {
  // Openings here are let in at once: the waiting room in front of them is tested in waiting-room.test.ts.
  system = await createTestSystem({ settings: { queueHours: 0 } });
  warsaw = await system.addCentre();
  krakow = await system.addCentre({
    address: { street: 'ul. Floriańska 1', postalCode: '31-019', city: 'Kraków', voivodeship: 'malopolskie' },
    location: { lat: 50.0647, lon: 19.945 },
  });
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  admin1 = await signIn('admin-1');
  admin2 = await signIn('admin-2');
});

afterEach(async () => {
  await close?.();
  await system?.close();
});

test('a birth year opens at 20:00 only once a second administrator approves it, and a pause stops booking at once', async () => {
  const change = await propose(admin1, {
    action: 'open',
    rules: [{ kind: 'birthYear', bornInOrBefore: 1951, opensAt: '2026-01-14T20:00:00+01:00' }],
    note: 'The next birth year',
  });
  expect(change.rules).toEqual([expect.objectContaining({ id: BORN_1951, from: '2026-01-14' })]);
  expect((await call('GET', '/api/admin/policy-changes?status=pending', { token: admin2 })).body.changes).toEqual([
    expect.objectContaining({ id: change.id, status: 'pending', proposedBy: 'admin-1' }),
  ]);
  expect(await book(1951, warsaw)).toEqual({ status: 403, code: 'NOT_ELIGIBLE' });

  const own = await call('POST', `/api/admin/policy-changes/${change.id}/approve`, { token: admin1, body: {} });
  expect([own.status, own.body.error.code]).toEqual([403, 'SAME_ADMIN']);
  expect(await system.store.listEligibilityRules()).toEqual([]);

  const approved = await call('POST', `/api/admin/policy-changes/${change.id}/approve`, { token: admin2, body: {} });
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({
    change: { status: 'approved', decidedBy: 'admin-2', version: 1 },
    version: 1,
    openedAtOnce: [],
  });
  const again = await call('POST', `/api/admin/policy-changes/${change.id}/approve`, { token: admin2, body: {} });
  expect([again.status, again.body.error.code]).toEqual([409, 'CHANGE_NOT_PENDING']);

  await moveTo(WEDNESDAY_19_59);
  expect(await book(1951, warsaw)).toEqual({ status: 403, code: 'NOT_YET_ELIGIBLE' });
  await moveTo(WEDNESDAY_20_00);
  expect(await book(1951, warsaw)).toEqual({ status: 201, code: undefined });

  await moveTo('2026-01-14T20:00:00.000Z');
  const paused = await call('POST', `/api/admin/eligibility-rules/${BORN_1951}/pause`, {
    token: admin1,
    body: { reason: 'Centres report no doses left' },
  });
  expect(paused.status).toBe(200);
  expect(paused.body).toMatchObject({ rule: { id: BORN_1951, pausedAt: '2026-01-14T20:00:00.000Z' }, version: 2 });
  expect(await book(1951, warsaw)).toEqual({ status: 403, code: 'NOT_YET_ELIGIBLE' });

  expect(await policyAt('2026-01-12T06:00:00Z')).toEqual({ version: 0, at: '2026-01-12T06:00:00.000Z', rules: [] });
  expect(await policyAt(WEDNESDAY_19_59)).toMatchObject({ version: 1 });
  expect(states(await policyAt(WEDNESDAY_19_59))).toEqual({ [BORN_1951]: 'planned' });
  expect(states(await policyAt('2026-01-14T19:30:00Z'))).toEqual({ [BORN_1951]: 'open' });
  expect(await policyAt('2026-01-14T20:30:00Z')).toMatchObject({ version: 2 });
  expect(states(await policyAt('2026-01-14T20:30:00Z'))).toEqual({ [BORN_1951]: 'paused' });

  // Resuming lets people in again: it waits for a second administrator.
  await moveTo('2026-01-14T20:10:00.000Z');
  const resume = await propose(admin2, { action: 'resume', ruleId: BORN_1951 });
  expect(await book(1951, warsaw)).toEqual({ status: 403, code: 'NOT_YET_ELIGIBLE' });
  const resumed = await call('POST', `/api/admin/policy-changes/${resume.id}/approve`, { token: admin1, body: {} });
  expect(resumed.body.version).toBe(3);
  expect(await book(1951, warsaw)).toEqual({ status: 201, code: undefined });

  expect((await system.store.listPolicyVersions()).map((v) => [v.version, v.changeId, v.by])).toEqual([
    [0, null, 'system'],
    [1, change.id, 'admin-2'],
    [2, null, 'admin-1'],
    [3, resume.id, 'admin-1'],
  ]);
  const actions = (system.db.prepare('SELECT action FROM audit ORDER BY at, id').all() as Array<{ action: string }>)
    .map((a) => a.action)
    .filter((a) => a.startsWith('policy-'));
  expect(actions).toEqual(['policy-propose', 'policy-approve', 'policy-pause', 'policy-propose', 'policy-approve']);
  const types = (system.db.prepare('SELECT type FROM outbox ORDER BY seq').all() as Array<{ type: string }>)
    .map((e) => e.type)
    .filter((t) => t.startsWith('policy.') || t.startsWith('eligibility.'));
  expect(types).toEqual([
    'policy.change_proposed',
    'policy.change_approved',
    'eligibility.rule_added',
    'eligibility.rule_paused',
    'policy.change_proposed',
    'policy.change_approved',
    'eligibility.rule_resumed',
  ]);
});

test('a regional rule lets people book in its voivodeship’s centres and nowhere else; approved late, it opens at once', async () => {
  const change = await propose(admin2, {
    action: 'open',
    rules: [{ kind: 'birthYear', bornInOrBefore: 1990, opensAt: '2026-01-12T07:00:00Z', region: 'malopolskie' }],
  });
  await moveTo('2026-01-12T09:00:00.000Z');
  const approved = await call('POST', `/api/admin/policy-changes/${change.id}/approve`, { token: admin1, body: {} });
  expect(approved.body.openedAtOnce).toEqual(['born-1990-in-malopolskie-at-2026-01-12T0700Z']);

  expect(await book(1990, krakow)).toEqual({ status: 201, code: undefined });
  expect(await book(1990, warsaw)).toEqual({ status: 403, code: 'NOT_ELIGIBLE' });
});

test('only the proposer withdraws a change, any other administrator rejects one, and bad input names its field', async () => {
  const first = await propose(admin1, {
    action: 'open',
    rules: [{ kind: 'group', group: 'teachers', opensAt: WEDNESDAY_20_00 }],
  });
  const notMine = await call('POST', `/api/admin/policy-changes/${first.id}/withdraw`, { token: admin2, body: {} });
  expect([notMine.status, notMine.body.error.code]).toEqual([403, 'NOT_PROPOSER']);
  const withdrawn = await call('POST', `/api/admin/policy-changes/${first.id}/withdraw`, { token: admin1, body: {} });
  expect(withdrawn.body.change.status).toBe('withdrawn');

  const second = await propose(admin1, {
    action: 'open',
    rules: [{ kind: 'group', group: 'teachers', opensAt: WEDNESDAY_20_00 }],
  });
  const rejected = await call('POST', `/api/admin/policy-changes/${second.id}/reject`, {
    token: admin2,
    body: { note: 'Wait for the vaccine delivery' },
  });
  expect(rejected.body.change).toMatchObject({ status: 'rejected', decisionNote: 'Wait for the vaccine delivery' });
  expect(await system.store.listEligibilityRules()).toEqual([]);
  const listed = await call('GET', '/api/admin/policy-changes', { token: admin1 });
  expect(listed.body.changes.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
    [second.id, 'rejected'],
    [first.id, 'withdrawn'],
  ]);

  for (const [body, field] of [
    [{ action: 'open', rules: [{ kind: 'birthYear', bornInOrBefore: 1951, opensAt: 'Wednesday' }] }, 'rules.0.opensAt'],
    [
      { action: 'open', rules: [{ kind: 'birthYear', bornInOrBefore: 1899, opensAt: WEDNESDAY_20_00 }] },
      'rules.0.bornInOrBefore',
    ],
    [
      { action: 'open', rules: [{ kind: 'ageOnDate', minAge: 121, onDate: '2026-06-30', opensAt: WEDNESDAY_20_00 }] },
      'rules.0.minAge',
    ],
    [
      { action: 'open', rules: [{ kind: 'group', group: 'teachers', opensAt: WEDNESDAY_20_00, region: 'bavaria' }] },
      'rules.0.region',
    ],
    [{ action: 'open', rules: [] }, 'rules'],
  ] as const) {
    const reply = await call('POST', '/api/admin/policy-changes', { token: admin1, body });
    expect([reply.status, reply.body.error.field]).toEqual([400, field]);
  }
  const unknown = await call('POST', '/api/admin/eligibility-rules/born-1800/pause', {
    token: admin1,
    body: { reason: 'typo' },
  });
  expect([unknown.status, unknown.body.error.code]).toEqual([404, 'RULE_NOT_FOUND']);
  const noReason = await call('POST', `/api/admin/eligibility-rules/${BORN_1951}/pause`, { token: admin1, body: {} });
  expect([noReason.status, noReason.body.error.field]).toEqual([400, 'reason']);
  const badAt = await call('GET', '/api/admin/eligibility-policy?at=yesterday', { token: admin1 });
  expect([badAt.status, badAt.body.error.field]).toEqual([400, 'at']);
});
