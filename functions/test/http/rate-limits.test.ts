import { DEFAULT_RATE_LIMITS, type RateLimitName, type RateLimitPolicy } from '@ereg/shared';
import { aBirthYearRule, aCitizen } from '../support/builders.ts';
import { postTwilioForm } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * The rate limits through the real local server: small limits, windows of a minute on the system's
 * clock (stepped by the tests, never slept). Every request comes from 127.0.0.1 unless a trusted
 * proxy names another address.
 */

const small = (limits: Partial<Record<RateLimitName, number>>): RateLimitPolicy =>
  Object.fromEntries(
    Object.entries(limits).map(([name, limit]) => [
      name,
      { ...DEFAULT_RATE_LIMITS[name as RateLimitName], limit, windowSeconds: 60 },
    ]),
  );

const POLICY = small({
  loginPerPerson: 2,
  loginPerNetwork: 5,
  searchPerNetwork: 3,
  bookingPerCaller: 3,
  bookingPerNetwork: 6,
  lookupPerAgent: 2,
  lookupPerNetwork: 3,
  textsPerPhone: 2,
  searchPerPerson: 4,
});

/* At an opening: per person tight, per address well above a household's use (docs/security.md, "Limits"). */
const OPENING = {
  ...small({ bookingPerCaller: 3, bookingPerNetwork: 100, searchPerNetwork: 1000 }),
  bookingPerCallerHourly: { ...DEFAULT_RATE_LIMITS.bookingPerCallerHourly, limit: 4 },
  bookingPerNetworkHourly: { ...DEFAULT_RATE_LIMITS.bookingPerNetworkHourly, limit: 20 },
};

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let proxied: Awaited<ReturnType<typeof serve>>;

interface Answer {
  status: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; forwardedFor?: string; base?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  const reply = await fetch(`${options.base ?? http.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await reply.text();
  return { status: reply.status, retryAfter: reply.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
}

const logIn = async (pesel: string, base?: string) =>
  call('POST', '/api/login', {
    body: { assertion: await system.identity.issueAssertion({ ...aCitizen(), pesel }) },
    ...(base ? { base } : {}),
  });

const count = (table: string) => (system.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function expectRefused(answer: Answer, retryAfter: string): void {
  expect(answer).toMatchObject({
    status: 429,
    retryAfter,
    body: {
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/try again/), correlationId: expect.any(String) },
    },
  });
}

beforeAll(async () => {
  system = await createTestSystem({ now: '2026-01-12T07:00:00.000Z', rateLimits: POLICY });
  await system.addRule(aBirthYearRule(1970));
  await system.addCentre();
  http = await serve(system);
  proxied = await serve(system, { trustedProxies: 1 });
});

afterAll(async () => {
  await http?.close();
  await proxied?.close();
  await system?.close();
});

// Every test starts in a fresh window of every limit: a minute later, 10 s into it.
beforeEach(() => {
  const now = system.clock.now().getTime();
  system.clock.set(new Date((Math.floor(now / 60_000) + 1) * 60_000 + 10_000).toISOString());
});

describe('login', () => {
  test('the third login of one person in a minute is refused; others on the network are served up to its limit', async () => {
    const [ada, ben, cy] = [aCitizen(), aCitizen(), aCitizen()];
    expect((await logIn(ada.pesel)).status).toBe(200);
    expect((await logIn(ada.pesel)).status).toBe(200);
    expectRefused(await logIn(ada.pesel), '50');
    // Ada's three requests count against the network's five.
    expect((await logIn(ben.pesel)).status).toBe(200);
    expect((await logIn(ben.pesel)).status).toBe(200);
    const patients = count('patients');
    expectRefused(await logIn(cy.pesel), '50');
    // The refused first login registered no one.
    expect(count('patients')).toBe(patients);
    expect(await system.store.runInTransaction((tx) => tx.getPatientByPesel(cy.pesel))).toBeNull();
    expect(system.rateLimits.refusals.of('loginPerPerson')).toBe(1);
    expect(system.rateLimits.refusals.of('loginPerNetwork')).toBe(1);
  });

  test('the limits start again with the next window', async () => {
    const ada = aCitizen();
    await logIn(ada.pesel);
    await logIn(ada.pesel);
    expect((await logIn(ada.pesel)).status).toBe(429);
    system.clock.advanceMinutes(1);
    expect((await logIn(ada.pesel)).status).toBe(200);
  });
});

describe('search', () => {
  test('the fourth search from one address in a minute is refused until the minute ends', async () => {
    const search = () => call('GET', '/api/search?postalCode=00-950');
    for (let i = 0; i < 3; i++) expect((await search()).status).toBe(200);
    expectRefused(await search(), '50');
    system.clock.advanceMinutes(1);
    expect((await search()).status).toBe(200);
  });

  test('behind a trusted proxy each client is counted by the address the proxy names; without one the header is ignored', async () => {
    const search = (forwardedFor: string, base = http.url) =>
      call('GET', '/api/search?postalCode=00-950', { forwardedFor, base });
    for (let i = 0; i < 3; i++) expect((await search(`198.51.100.${i}`)).status).toBe(200);
    expect((await search('198.51.100.99')).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await search(`10.9.9.9, 203.0.113.7`, proxied.url)).status).toBe(200);
    expect((await search(`10.9.9.9, 203.0.113.7`, proxied.url)).status).toBe(429);
    // A client cannot pick its address by writing its own entry further left.
    expect((await search(`203.0.113.8, 203.0.113.7`, proxied.url)).status).toBe(429);
    expect((await search('203.0.113.8', proxied.url)).status).toBe(200);
  });
});

describe('searches per signed-in person', () => {
  test('a person’s fifth search in a minute is refused; others on the network, signed in or not, are served', async () => {
    const ada = await system.newPatient({ born: 1950 });
    const ben = await system.newPatient({ born: 1951 });
    const search = (token?: string, forwardedFor = '198.51.100.40') =>
      call('GET', '/api/search?postalCode=00-950', { base: proxied.url, forwardedFor, ...(token ? { token } : {}) });
    const before = system.rateLimits.refusals.of('searchPerPerson');
    // Each from another address: the limit follows the person.
    for (let i = 0; i < 4; i++) expect((await search(ada.token, `198.51.100.${40 + i}`)).status).toBe(200);
    expectRefused(await search(ada.token, '198.51.100.44'), '50');
    expect(system.rateLimits.refusals.of('searchPerPerson')).toBe(before + 1);
    expect((await search(ben.token, '198.51.100.44')).status).toBe(200);
    expect((await search(undefined, '198.51.100.44')).status).toBe(200);
  });
});

describe('booking', () => {
  async function slots(count: number): Promise<string[]> {
    const found = await call('GET', '/api/search?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=5', {
      forwardedFor: `192.0.2.${Math.floor(Math.random() * 250)}`,
      base: proxied.url,
    });
    expect(found.status).toBe(200);
    return found.body.results[0].slots.slice(0, count).map((s: { slotId: string }) => s.slotId);
  }

  test('booking, cancelling and rescheduling share one limit per caller; a refused change changes nothing', async () => {
    const [first, second, third] = await slots(3);
    const patient = await system.newPatient({ born: 1950 });
    const token = patient.token;
    const booked = await call('POST', '/api/booking/appointments', { token, body: { slotId: first } });
    expect(booked.status).toBe(201);
    const visit = booked.body.appointments[0].id;
    expect((await call('POST', `/api/booking/appointments/${visit}/cancel`, { token, body: {} })).status).toBe(200);
    const again = await call('POST', '/api/booking/appointments', { token, body: { slotId: second } });
    expect(again.status).toBe(201);
    const rebooked = again.body.appointments[0].id;
    const appointments = count('appointments');
    const before = await system.store.getAppointment(rebooked);
    const moved = await call('POST', `/api/booking/appointments/${rebooked}/reschedule`, {
      token,
      body: { slotId: third },
    });
    expectRefused(moved, '50');
    expect(count('appointments')).toBe(appointments);
    expect(await system.store.getAppointment(rebooked)).toEqual(before);
    // Another patient on the same network is still served, up to the network's six.
    const other = await system.newPatient({ born: 1951 });
    const booking = (slotId: string | undefined) =>
      call('POST', '/api/booking/appointments', { token: other.token, body: { slotId } });
    expect((await booking(third)).status).toBe(201);
    // Its second request is refused by the booking rules (already booked), and counted all the same.
    expect((await booking(first)).status).toBe(409);
    expectRefused(await booking(second), '50');
  });
});

describe('the hotline look-up', () => {
  test('an agent’s third look-up in a minute is refused and audited nowhere; another agent is served up to the network’s limit', async () => {
    const { pesel } = await system.newPatient({ born: 1950 });
    const lookUp = (agentId: string) =>
      system
        .tokenFor({ role: 'agent', agentId })
        .then((token) =>
          call('POST', '/api/booking/patients/lookup', { token, body: { pesel, reason: 'caller on the line' } }),
        );
    expect((await lookUp('agent-1')).status).toBe(200);
    expect((await lookUp('agent-1')).status).toBe(200);
    const audited = count('audit');
    expectRefused(await lookUp('agent-1'), '50');
    expect(count('audit')).toBe(audited);
    // The refused look-up counted against the network's three: the other agent is served once.
    expectRefused(await lookUp('agent-2'), '50');
    system.clock.advanceMinutes(1);
    expect((await lookUp('agent-2')).status).toBe(200);
  });
});

describe('texts received', () => {
  let sid = 0;
  async function text(from: string, body: string) {
    sid += 1;
    const messageSid = `SM${String(sid).padStart(32, '0')}`;
    const form = { MessageSid: messageSid, From: from, To: '+48800100200', Body: body };
    const url = `${http.url}/api/sms/inbound`;
    const reply = await postTwilioForm(url, system.sms.authToken, form);
    const answer = { status: reply.status, body: await reply.text() };
    await system.dispatcher.drain();
    await system.sms.runner.runDue();
    const replied = await system.store.runInTransaction((tx) => tx.getSmsMessage(`reply:${messageSid}`));
    return { ...answer, replied: replied !== null };
  }

  test('past its limit a phone’s text is answered to Twilio as taken, but starts nothing and gets no reply', async () => {
    const phone = '+48601999001';
    const citizen = aCitizen({ born: 1950 });
    expect(await text(phone, `szczepienie ${citizen.pesel} 00-950`)).toMatchObject({ status: 200, replied: true });
    expect(await text(phone, 'nie')).toMatchObject({ status: 200, replied: true });
    const session = await system.store.runInTransaction((tx) => tx.getSmsSession(phone));
    const appointments = count('appointments');
    const refusals = system.rateLimits.refusals.of('textsPerPhone');
    const refused = await text(phone, 'TAK');
    expect(refused.status).toBe(200);
    expect(refused.body).toContain('<Response></Response>');
    expect(refused.replied).toBe(false);
    expect(count('appointments')).toBe(appointments);
    expect(await system.store.runInTransaction((tx) => tx.getSmsSession(phone))).toEqual(session);
    expect(system.rateLimits.refusals.of('textsPerPhone')).toBe(refusals + 1);
    // Another phone is served; the first one again in the next window.
    expect(await text('+48601999002', 'pomoc')).toMatchObject({ status: 200, replied: true });
    system.clock.advanceMinutes(1);
    expect(await text(phone, 'pomoc')).toMatchObject({ status: 200, replied: true });
  });
});

describe('bookings at an opening', () => {
  let opening: TestSystem;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    opening = await createTestSystem({ now: '2026-01-12T07:10:00.000Z', rateLimits: OPENING });
    await opening.addRule(aBirthYearRule(1970));
    await opening.addCentre();
    server = await serve(opening, { trustedProxies: 1 });
  });

  afterAll(async () => {
    await server?.close();
    await opening?.close();
  });

  // Every test in a fresh hour, ten minutes into it.
  beforeEach(() => {
    const now = opening.clock.now().getTime();
    opening.clock.set(new Date((Math.floor(now / 3_600_000) + 1) * 3_600_000 + 600_000).toISOString());
  });

  const book = (token: string, slotId: string, address: string) =>
    call('POST', '/api/booking/appointments', { token, body: { slotId }, forwardedFor: address, base: server.url });

  async function freeSlots(count: number): Promise<string[]> {
    const found = await call('GET', `/api/search?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=${count}`, {
      forwardedFor: '192.0.2.200',
      base: server.url,
    });
    expect(found.status).toBe(200);
    return found.body.results[0].slots.map((s: { slotId: string }) => s.slotId);
  }

  test('a household of five behind one address books for each other, each cancelling and rebooking once', async () => {
    const slots = await freeSlots(10);
    const household = await Promise.all(Array.from({ length: 5 }, (_, i) => opening.newPatient({ born: 1950 + i })));
    const statuses: number[] = [];
    for (const [i, person] of household.entries()) {
      const booked = await book(person.token, slots[2 * i] as string, '192.0.2.5');
      statuses.push(booked.status);
      const visit = booked.body.appointments[0].id;
      const cancel = call('POST', `/api/booking/appointments/${visit}/cancel`, {
        token: person.token,
        body: {},
        forwardedFor: '192.0.2.5',
        base: server.url,
      });
      statuses.push((await cancel).status);
      statuses.push((await book(person.token, slots[2 * i + 1] as string, '192.0.2.5')).status);
    }
    expect(statuses).toEqual(Array.from({ length: 5 }, () => [201, 200, 201]).flat());
  });

  test('one person meets the hourly limit across the minutes, with Retry-After to the hour’s end', async () => {
    const slots = await freeSlots(5);
    const person = await opening.newPatient({ born: 1955 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const booked = await book(person.token, slots[i] as string, '192.0.2.6');
      statuses.push(booked.status);
      if (booked.status === 201) {
        const visit = booked.body.appointments[0].id;
        await call('POST', `/api/booking/appointments/${visit}/cancel`, {
          token: person.token,
          body: {},
          forwardedFor: '192.0.2.6',
          base: server.url,
        });
      }
      opening.clock.advanceMinutes(1);
    }
    // Four requests per hour: the two bookings and two cancellations; the third booking is refused.
    expect(statuses.slice(0, 3)).toEqual([201, 201, 429]);
    const refused = await book(person.token, slots[4] as string, '192.0.2.6');
    // 10 minutes into the hour, 4 minutes later: 46 minutes left.
    expectRefused(refused, String(46 * 60));
    expect(opening.rateLimits.refusals.of('bookingPerCallerHourly')).toBeGreaterThanOrEqual(2);
  });

  test('fifty identities booking from one address are stopped at the address’s hourly budget; other addresses are not', async () => {
    const slots = await freeSlots(10);
    const bots = await Promise.all(Array.from({ length: 50 }, (_, i) => opening.newPatient({ born: 1940 + (i % 30) })));
    const before = opening.rateLimits.refusals.of('bookingPerNetworkHourly');
    const answers = [];
    for (const [i, bot] of bots.entries()) answers.push(await book(bot.token, slots[i % 10] as string, '203.0.113.50'));
    const served = answers.filter((a) => a.status !== 429);
    expect(served).toHaveLength(20);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(30);
    for (const answer of refused) expectRefused(answer, String(50 * 60));
    // Each refused request counted once, by the limit that refused it.
    expect(opening.rateLimits.refusals.of('bookingPerNetworkHourly')).toBe(before + 30);
    const neighbour = await opening.newPatient({ born: 1960 });
    expect((await book(neighbour.token, slots[9] as string, '203.0.113.51')).status).not.toBe(429);
  });

  test('the local server reports the refusals per limit and scope as JSON', async () => {
    const reply = await call('GET', '/healthz/limits', { base: server.url });
    expect(reply.status).toBe(200);
    const network = reply.body.refusals.find((r: { limit: string }) => r.limit === 'bookingPerNetworkHourly');
    expect(network).toEqual({
      limit: 'bookingPerNetworkHourly',
      class: 'booking',
      scope: 'network',
      refused: opening.rateLimits.refusals.of('bookingPerNetworkHourly'),
    });
    expect(network.refused).toBeGreaterThan(0);
  });
});
