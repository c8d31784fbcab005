import { DatabaseSync } from 'node:sqlite';
import { type Role, VACCINES } from '@ereg/shared';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { DevIdentity, loadOrCreateDevKeys, readDevKeys } from '../../src/dev/dev-identity.ts';
import { aBirthYearRule, aCitizen, FakeClock } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve } from '../support/test-system.ts';
import type { World } from './fuzz-requests.ts';

const bearer = (token: string) => `Bearer ${token}`;

/** A token's payload replaced, its signature kept: what someone raising their own role would send. */
function withPayload(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify(change(claims))).toString('base64url'), signature].join('.');
}

async function loginPatient(call: Call, phone: string) {
  const citizen = aCitizen({ born: 1950 });
  const issued = await call('POST', '/dev-idp/assertion', { body: { pesel: citizen.pesel, phone } });
  const session = await call('POST', '/api/login', { body: { assertion: issued.body.assertion } });
  if (session.status !== 200) throw new Error(`login failed: ${JSON.stringify(session.body)}`);
  return { token: session.body.token as string, patientId: session.body.patient.id as string, pesel: citizen.pesel };
}

async function book(call: Call, token: string, postalCode: string, centreId: string) {
  const found = await call('GET', `/api/search?postalCode=${postalCode}&vaccineId=comirnaty&limit=10`);
  const result = found.body.results.find((r: { centre: { id: string } }) => r.centre.id === centreId);
  const booked = await call('POST', '/api/booking/appointments', {
    token,
    body: { slotId: result.slots[0].slotId },
    headers: { 'idempotency-key': `fuzz-setup-${centreId}` },
  });
  if (booked.status !== 201) throw new Error(`booking failed: ${JSON.stringify(booked.body)}`);
  return booked.body.appointments as Array<{ id: string; slotId: string; localDate: string }>;
}

/**
 * A small system on a database file for the fuzz to run against, prepared through its own HTTP API and
 * identity provider: two centres with staff, two patients with visits (one looked up by an agent), a
 * session of every role, fresh identity-provider assertions, sent text messages, and tokens that must
 * fail (expired, tampered, foreign, malformed). Answers what the fuzz needs to know (`sms.host` is
 * filled in once the fuzzed server listens).
 */
export async function prepareWorld(dbPath: string, now: string): Promise<World> {
  const system = await createTestSystem({ now, dbPath });
  const http = await serve(system);
  try {
    const call = client(http.url);
    await system.addRule(aBirthYearRule(1970));
    const one = await system.addCentre({ id: 'c-one' });
    const two = await system.addCentre({
      id: 'c-two',
      address: { street: 'ul. Floriańska 3', postalCode: '31-019', city: 'Kraków', voivodeship: 'małopolskie' },
      location: { lat: 50.0647, lon: 19.945 },
    });
    await system.tokenFor({ role: 'staff', staffId: 'staff-1', centreId: one.id });
    await system.tokenFor({ role: 'staff', staffId: 'staff-2', centreId: two.id });
    await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId: one.id });
    const a = await loginPatient(call, '+48600100201');
    const b = await loginPatient(call, '+48600100202');
    // Patients with no visit yet, so that plausible bookings can succeed.
    const fresh = [];
    for (let i = 0; i < 6; i++) fresh.push(await loginPatient(call, `+4860010030${i}`));
    const visitsA = await book(call, a.token, '00-950', one.id);
    const visitsB = await book(call, b.token, '31-019', two.id);

    const token = async (role: string, id: string) => {
      const reply = await call('POST', '/dev-idp/token', { body: { role, id } });
      if (reply.status !== 200) throw new Error(`no ${role} token: ${JSON.stringify(reply.body)}`);
      return reply.body.token as string;
    };
    const agent1 = await token('agent', 'agent-1');
    const lookup = await call('POST', '/api/booking/patients/lookup', {
      token: agent1,
      body: { pesel: a.pesel, reason: 'caller on the line' },
    });
    if (lookup.status !== 200) throw new Error(`look-up failed: ${JSON.stringify(lookup.body)}`);
    const sessions: Record<Role, string[]> = {
      patient: [a.token, b.token, ...fresh.map((p) => p.token)].map(bearer),
      agent: [agent1, await token('agent', 'agent-2')].map(bearer),
      staff: [await token('staff', 'staff-1'), await token('staff', 'staff-2')].map(bearer),
      'centre-manager': [await token('staff', 'manager-1')].map(bearer),
      admin: [await token('admin', 'admin-1')].map(bearer),
      supervisor: [await token('supervisor', 'supervisor-1')].map(bearer),
      analyst: [await token('analyst', 'analyst-1')].map(bearer),
      registry: [await token('registry', 'registry-p1')].map(bearer),
    };

    // Each assertion is good for one login: a pool of fresh ones, and later logins get refused.
    const assertions: string[] = [];
    for (let i = 0; i < 20; i++) {
      const issued = await call('POST', '/dev-idp/assertion', { body: { pesel: aCitizen({ born: 1950 + i }).pesel } });
      assertions.push(issued.body.assertion);
    }

    // Text messages sent for the two bookings: their keys are what delivery reports name.
    await system.dispatcher.drain();
    await system.sms.runner.runDue();
    const messageKeys = (await system.store.listSmsMessages({ limit: 20 })).map((m) => m.key);

    const keys = readDevKeys(system.db);
    if (!keys) throw new Error('no identity keys');
    const yesterday = new FakeClock(new Date(Date.parse(now) - 2 * 86_400_000).toISOString());
    const expired = await new DevIdentity(keys, yesterday).issueSession({ role: 'patient', patientId: a.patientId });
    const foreignDb = new DatabaseSync(':memory:');
    prepareDatabase(foreignDb);
    const foreign = await new DevIdentity(loadOrCreateDevKeys(foreignDb), new FakeClock(now)).issueSession({
      role: 'admin',
      adminId: 'admin-1',
    });
    foreignDb.close();
    const admin = sessions.admin[0]?.slice('Bearer '.length) ?? '';
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const adminClaims = admin.split('.')[1];
    const badAuth: Array<string | null> = [
      null,
      bearer(expired.token),
      bearer(foreign.token),
      bearer(`${admin.slice(0, -2)}${admin.endsWith('AA') ? 'BB' : 'AA'}`),
      bearer(withPayload(a.token, (c) => ({ ...c, role: 'admin', sub: 'admin-1' }))),
      bearer(withPayload(a.token, (c) => ({ ...c, exp: (c.exp as number) + 86_400 * 365 }))),
      bearer(`${header}.${adminClaims}.`),
      bearer(assertions[0] as string),
      bearer('a.b.c'),
      bearer('x'.repeat(8_000)),
      'Bearer',
      'Bearer ',
      `Bearer  ${a.token}`,
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      `Token ${a.token}`,
      a.token,
    ];

    const slotIds = [
      ...(await system.store.listSlotsOfCentreDay(one.id, visitsA[0]?.localDate ?? '')).map((s) => s.id),
      ...(await system.store.listSlotsOfCentreDay(two.id, visitsB[0]?.localDate ?? '')).map((s) => s.id),
    ];
    const today = now.slice(0, 10);
    return {
      today,
      sessions,
      badAuth,
      sms: { authToken: system.sms.authToken, host: '' },
      hints: {
        slotId: [...slotIds.slice(0, 30), 'slot-unknown'],
        patientId: [a.patientId, b.patientId, ...fresh.map((p) => p.patientId), 'p-unknown'],
        appointmentId: [...visitsA, ...visitsB].map((v) => v.id).concat('apt-unknown'),
        centreId: [one.id, two.id, 'c-unknown'],
        vaccineId: [...VACCINES.map((v) => v.id), 'no-such-vaccine'],
        pesel: [a.pesel, b.pesel, aCitizen({ born: 1990 }).pesel, '44051401358', '44051401359', '12345678901'],
        date: [...visitsA, ...visitsB].map((v) => v.localDate).concat(today),
        postalCode: ['00-950', '00950', '31-019', '99-999', '0'],
        reason: ['caller on the line', 'patient asked'],
        phone: ['+48600100200', '600100200', '+48221234567', null],
        language: ['pl', 'en', 'uk'],
        assertion: assertions,
        group: ['medical', 'teachers'],
        timeZone: ['Europe/Warsaw', 'UTC', 'Mars/Olympus', 'Etc/GMT-14', 'America/Argentina/ComodRivadavia', ''],
        slotMinutes: [5, 10, 15, 20, 30, 60, 0, -15, 7, 1440, 100_000],
        bornInOrBefore: [1950, 1970, 2030, 1800, -5],
        lot: ['LOT-1'],
        at: ['2026-01-12T08:00:00.000Z', '2026-02-30T08:00:00Z', 'yesterday', '1970-01-01T00:00:00Z'],
        name: ['Punkt Szczepień Fuzz', 'Ab'],
        street: ['ul. Prosta 1'],
        city: ['Gdańsk'],
        voivodeship: ['pomorskie', 'nowhere'],
        messageKey: messageKeys,
        days: [
          { mon: [{ from: '08:00', to: '12:00' }], wed: [{ from: '13:00', to: '17:30' }] },
          { sat: [{ from: '09:00', to: '11:00' }], sun: [{ from: '22:00', to: '23:59' }] },
          {},
        ],
        capacity: [{ comirnaty: 3 }, { comirnaty: 2, vaxzevria: 1 }, { spikevax: 1 }, {}],
        staff: [[{ name: 'Anna Nowak', email: 'anna.nowak@example.pl', role: 'centre-manager' }]],
        email: ['anna.nowak@example.pl'],
        address: [{ street: 'ul. Prosta 1', postalCode: '80-001', city: 'Gdańsk', voivodeship: 'pomorskie' }],
        location: [{ lat: 54.35, lon: 18.65 }],
        closedDates: [[], [today], ['2026-03-29', '2026-10-25']],
        extraHours: [[], [{ date: '2026-01-17', from: '09:00', to: '12:00' }]],
      },
    };
  } finally {
    await http.close();
    await system.close();
  }
}
