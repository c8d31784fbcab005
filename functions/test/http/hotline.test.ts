import { ROUTES, sampleLookupsForReview } from '@ereg/shared';
import { aCitizen } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

let system: TestSystem;
let url: string;
let close: () => Promise<void>;
let call: Call;
let agent: string;
let supervisor: string;

beforeAll(async () => {
  system = await createTestSystem({ settings: { lookupBudgetPerHour: 8 } });
  await system.addRule();
  const served = await serve(system);
  url = served.url;
  close = served.close;
  call = client(url);
  agent = await system.tokenFor({ role: 'agent', agentId: 'agent-1' });
  supervisor = await system.tokenFor({ role: 'supervisor', supervisorId: 'supervisor-1' });
});

afterAll(async () => {
  await close?.();
  await system?.close();
});

const lookUp = (token: string, body: Record<string, unknown>) =>
  call('POST', '/api/booking/hotline/lookups', { token, body });

test('an agent registers a caller with a landline, looks them up by phone, and reveals the number (audited)', async () => {
  const { pesel } = aCitizen({ born: 1941 });
  const registered = await call('POST', '/api/booking/hotline/callers', {
    token: agent,
    body: {
      pesel,
      givenName: 'Zofia',
      familyName: 'Stacjonarna',
      landline: '(22) 621 15 15',
      reason: 'caller-booking',
      checked: true,
    },
  });
  expect(registered.status).toBe(201);
  const caller = registered.body.caller;
  expect(caller).toMatchObject({ givenName: 'Zofia', birthDate: '1941-03-15', phone: null, registeredByPhone: true });
  expect(JSON.stringify(caller)).not.toContain('6211515');

  const byPhone = await lookUp(agent, { by: 'phone', value: '+48 22 621 15 15', reason: 'caller-asking' });
  expect(byPhone.status).toBe(200);
  expect(byPhone.body.callers.map((c: { patientId: string }) => c.patientId)).toEqual([caller.patientId]);

  const shown = await call('POST', `/api/booking/hotline/patients/${caller.patientId}/reveal`, {
    token: agent,
    body: { field: 'landline' },
  });
  expect(shown.body).toEqual({ patientId: caller.patientId, field: 'landline', value: '+48226211515' });

  const other = await lookUp(agent, { by: 'phone', value: 'not a phone', reason: 'caller-asking' });
  expect([other.status, other.body.error.field]).toEqual([400, 'value']);
  const noNote = await lookUp(agent, { by: 'pesel', value: pesel, reason: 'other' });
  expect([noNote.status, noNote.body.error.code, noNote.body.error.field]).toEqual([
    400,
    'REASON_NOTE_REQUIRED',
    'note',
  ]);

  const log = await call('GET', `/api/admin/hotline/audit?patientId=${caller.patientId}`, { token: supervisor });
  expect(log.body.records.map((r: { action: string }) => r.action)).toEqual(['reveal', 'lookup', 'register-caller']);
  expect(log.body.records[0]).toMatchObject({ field: 'landline', actor: { role: 'agent', id: 'agent-1' } });
  const forAgent = await call('GET', '/api/admin/hotline/audit', { token: agent });
  expect([forAgent.status, forAgent.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
});

test('a household of three is booked in one request with one key, and the same request again books nothing more', async () => {
  const centre = await system.addCentre();
  const people = [];
  for (let i = 0; i < 3; i++) people.push(await system.newPatient({ born: 1950 + i }));
  for (const p of people) {
    expect((await lookUp(agent, { by: 'pesel', value: p.pesel, reason: 'relative-booking' })).status).toBe(200);
  }
  const free = await call('GET', `/api/centres/${centre.id}/slots?vaccineId=comirnaty&from=2026-01-14&to=2026-01-14`);
  const body = { slotId: free.body.slots[0].slotId, patientIds: people.map((p) => p.patientId), reason: 'son books' };
  const headers = { 'Idempotency-Key': 'household-http-1' };
  const before = await system.countAppointments();
  const booked = await call('POST', '/api/booking/hotline/households', { token: agent, body, headers });
  expect(booked.status).toBe(201);
  expect(booked.body.bookings).toHaveLength(3);
  expect(await system.countAppointments()).toBe(before + 6);
  const again = await call('POST', '/api/booking/hotline/households', { token: agent, body, headers });
  expect(again.body).toEqual(booked.body);
  expect(await system.countAppointments()).toBe(before + 6);

  // The confirmation again, by text to the first person's mobile.
  const first = booked.body.bookings[0].appointments[0];
  const resent = await call('POST', `/api/booking/appointments/${first.id}/resend-confirmation`, {
    token: agent,
    body: { reason: 'caller lost the message' },
  });
  expect(resent.body).toEqual({ bookingId: first.bookingId, sentTo: '+48 *** *** 200' });
  await system.dispatcher.drain();
  const keys = (await system.store.listSmsMessages({ limit: 100 })).map((m) => m.key);
  expect(keys.filter((k) => k.startsWith(`resent:${first.bookingId}:`))).toHaveLength(1);
  expect(keys).toContain(`booked:${first.bookingId}`);
});

test('an agent reads a looked-up person’s eligibility (audited) and nobody else’s; a patient reads their own', async () => {
  // An agent of its own: the hour's look-up budget of this file's agent is counted by the other tests.
  const agent = await system.tokenFor({ role: 'agent', agentId: 'agent-eligibility' });
  const older = await system.newPatient({ born: 1950 });
  const younger = await system.newPatient({ born: 1990 });
  const path = (id: string) => `/api/booking/patients/${id}/eligibility`;

  const before = await call('GET', `${path(older.patientId)}?reason=caller-booking`, { token: agent });
  expect(before.status).toBe(403);
  expect(before.body.error.code).toBe('LOOKUP_REQUIRED');

  for (const p of [older, younger]) {
    expect((await lookUp(agent, { by: 'pesel', value: p.pesel, reason: 'caller-booking' })).status).toBe(200);
  }
  const withoutReason = await call('GET', path(older.patientId), { token: agent });
  expect(withoutReason.status).toBe(400);
  expect(withoutReason.body.error).toMatchObject({ code: 'REASON_REQUIRED', field: 'reason' });

  const eligible = await call('GET', `${path(older.patientId)}?reason=caller-booking`, { token: agent });
  expect(eligible.status).toBe(200);
  expect(eligible.body.eligibility).toMatchObject({
    eligible: true,
    rule: { kind: 'birthYear', bornInOrBefore: 1970 },
  });
  const notYet = await call('GET', `${path(younger.patientId)}?reason=caller-booking`, { token: agent });
  expect(notYet.body.eligibility).toMatchObject({ eligible: false, code: 'NOT_ELIGIBLE', eligibleFrom: null });

  const audited = await call('GET', `/api/admin/hotline/audit?patientId=${older.patientId}`, { token: supervisor });
  expect(audited.body.records.map((r: { action: string }) => r.action)).toContain('read-eligibility');

  const own = await call('GET', path(younger.patientId), { token: younger.token });
  expect(own.body).toEqual(notYet.body);
  expect((await call('GET', path(older.patientId), { token: younger.token })).status).toBe(403);
});

test('past the budget a look-up answers 429 with Retry-After and the supervisor sees one alert to acknowledge', async () => {
  const token = await system.tokenFor({ role: 'agent', agentId: 'agent-busy' });
  const { pesel } = await system.newPatient();
  for (let i = 0; i < 8; i++) {
    expect((await lookUp(token, { by: 'pesel', value: pesel, reason: 'caller-asking' })).status).toBe(200);
  }
  const refused = await fetch(`${url}/api/booking/hotline/lookups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ by: 'pesel', value: pesel, reason: 'caller-asking' }),
  });
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('LOOKUP_BUDGET_EXCEEDED');
  expect(Number(refused.headers.get('retry-after'))).toBe(3600);

  const alerts = await call('GET', '/api/admin/hotline/alerts?open=true', { token: supervisor });
  const mine = alerts.body.alerts.filter((a: { agentId: string }) => a.agentId === 'agent-busy');
  expect(mine.map((a: { kind: string }) => a.kind)).toEqual(['lookup_budget']);
  const ack = await call('POST', `/api/admin/hotline/alerts/${mine[0].id}/acknowledge`, {
    token: supervisor,
    body: { note: 'talked to the agent' },
  });
  expect(ack.body.acknowledged).toMatchObject({ note: 'talked to the agent' });
});

test('a watched PESEL alerts the supervisors; the watch list is theirs and the administrator’s to keep', async () => {
  const { pesel, patientId } = await system.newPatient();
  const admin = await system.tokenFor({ role: 'admin', adminId: 'admin-1' });
  const added = await call('POST', '/api/admin/hotline/watch-list', {
    token: admin,
    body: { pesel, note: 'minister' },
  });
  expect(added.status).toBe(201);
  // The list shows each PESEL masked; whoever added it knows it.
  expect(added.body.pesel).toBe(`*******${pesel.slice(-4)}`);
  const listed = await call('GET', '/api/admin/hotline/watch-list', { token: supervisor });
  expect(listed.body.entries).toEqual([
    expect.objectContaining({ id: added.body.id, pesel: `*******${pesel.slice(-4)}` }),
  ]);
  expect(JSON.stringify(listed.body)).not.toContain(pesel);
  await lookUp(agent, { by: 'pesel', value: pesel, reason: 'caller-asking' });
  const alerts = await call('GET', '/api/admin/hotline/alerts', { token: supervisor });
  expect(
    alerts.body.alerts.some(
      (a: { kind: string; patientId: string }) => a.kind === 'watch_list' && a.patientId === patientId,
    ),
  ).toBe(true);
  const unsaid = await call('POST', '/api/admin/hotline/watch-list/remove', { token: supervisor, body: {} });
  expect(unsaid.body.error).toMatchObject({ code: 'ENTRY_REQUIRED', field: 'entryId' });
  const removed = await call('POST', '/api/admin/hotline/watch-list/remove', {
    token: supervisor,
    body: { entryId: added.body.id },
  });
  expect(removed.body).toEqual({ removed: added.body.id });
  const again = await call('POST', '/api/admin/hotline/watch-list/remove', { token: supervisor, body: { pesel } });
  expect(again.status).toBe(404);
});

test('the daily sample is queued for review and gets a verdict; the patient sees the look-ups under a pseudonym', async () => {
  const { pesel, patientId, token } = await system.newPatient();
  await lookUp(agent, { by: 'pesel', value: pesel, reason: 'caller-changing' });
  // The nightly job draws a day's sample; here, today's so far (the sessions stay fresh).
  const sampled = await sampleLookupsForReview(system.deps, '2026-01-12');
  expect(sampled.queued).toBeGreaterThan(0);
  const reviews = await call('GET', '/api/admin/hotline/reviews?pending=true', { token: supervisor });
  const review = reviews.body.reviews[0];
  const verdict = await call('POST', `/api/admin/hotline/reviews/${review.id}/verdict`, {
    token: supervisor,
    body: { outcome: 'unclear', note: 'ask the agent' },
  });
  expect(verdict.body.verdict).toMatchObject({ outcome: 'unclear', by: { role: 'supervisor', id: 'supervisor-1' } });

  const log = await call('GET', `/api/booking/patients/${patientId}/access-log`, { token });
  expect(log.body.entries).toEqual([
    {
      at: expect.any(String),
      role: 'agent',
      who: expect.stringMatching(/^A-[0-9a-f]{12}$/),
      action: 'lookup',
      reason: 'caller-changing',
      field: null,
    },
  ]);
  expect(JSON.stringify(log.body)).not.toContain('agent-1');
  const asAgent = await call('GET', `/api/booking/patients/${patientId}/access-log`, { token: agent });
  expect(asAgent.status).toBe(403);
});

test('no route changes or deletes audit records: the audit is only read', () => {
  const auditRoutes = Object.values(ROUTES).filter((r) => /audit/i.test(r.path));
  expect(auditRoutes.map((r) => r.method)).toEqual(['GET']);
});
