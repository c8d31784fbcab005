import { aBirthYearRule } from '../support/builders.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * The metrics through the real local server: what /metrics says before and after requests the test
 * makes, read as Prometheus text.
 */

let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text (0.0.4): every sample line, refusing any line that is not a comment or a sample. */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!match) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(): Promise<Sample[]> {
  const reply = await fetch(`${http.url}/metrics`);
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await reply.text());
}

const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

async function call(method: string, path: string, token?: string, body?: unknown) {
  const reply = await fetch(`${http.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  return { status: reply.status, body: (await reply.json()) as any };
}

async function freeSlots(count: number): Promise<string[]> {
  const found = await call('GET', '/api/search?postalCode=00-950&vaccineId=comirnaty&slotsPerCentre=10');
  expect(found.status).toBe(200);
  return found.body.results[0].slots.slice(0, count).map((s: { slotId: string }) => s.slotId);
}

beforeAll(async () => {
  system = await createTestSystem({ now: '2026-01-12T07:00:00.000Z' });
  await system.addRule(aBirthYearRule(1970));
  await system.addCentre();
  http = await serve(system);
});

afterAll(async () => {
  await http?.close();
  await system?.close();
});

describe('/metrics', () => {
  test('counts exactly the bookings, refusals and cancellations the requests made', async () => {
    const slots = await freeSlots(4);
    const before = await scrape();
    const people = [];
    for (const slotId of slots.slice(0, 3)) {
      const person = await system.newPatient({ born: 1950 });
      const booked = await call('POST', '/api/booking/appointments', person.token, { slotId });
      expect(booked.status).toBe(201);
      people.push({ ...person, visit: booked.body.appointments[0].id as string });
    }
    // Each already holds a booking for the first dose: two refusals with their code.
    for (const person of people.slice(0, 2)) {
      const refused = await call('POST', '/api/booking/appointments', person.token, { slotId: slots[3] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('ALREADY_BOOKED');
    }
    const first = people[0] as (typeof people)[number];
    expect((await call('POST', `/api/booking/appointments/${first.visit}/cancel`, first.token, {})).status).toBe(200);
    const after = await scrape();

    const diff = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);
    expect(diff('ereg_bookings_total')).toBe(3);
    expect(diff('ereg_bookings_total', { channel: 'web' })).toBe(3);
    expect(diff('ereg_booking_refusals_total')).toBe(2);
    expect(diff('ereg_booking_refusals_total', { code: 'ALREADY_BOOKED' })).toBe(2);
    expect(diff('ereg_cancellations_total', { channel: 'web' })).toBe(1);
  });

  test('times each request by function and route pattern, with its status class', async () => {
    await call('GET', '/api/search?postalCode=00-950');
    await call('GET', '/api/booking/appointments/no-such-visit');
    const samples = await scrape();
    const counts = samples.filter((s) => s.name === 'ereg_http_server_duration_count');
    expect(counts).toContainEqual(
      expect.objectContaining({
        labels: expect.objectContaining({ function: 'search', route: 'GET /', status_class: '2xx' }),
      }),
    );
    expect(counts).toContainEqual(
      expect.objectContaining({
        labels: expect.objectContaining({
          function: 'booking',
          route: 'POST /appointments',
          status_class: '2xx',
        }),
      }),
    );
    // A path is never a label: the visit's id does not appear, its route's pattern does.
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes('no-such-visit')))).toBe(false);
    const buckets = samples.filter((s) => s.name === 'ereg_http_server_duration_bucket');
    expect(buckets.some((s) => s.labels.le === '+Inf')).toBe(true);
  });

  test('names every metric as docs/metrics.md does, and says what kind each is', async () => {
    const text = await (await fetch(`${http.url}/metrics`)).text();
    for (const [name, kind] of [
      ['ereg_http_server_duration', 'histogram'],
      ['ereg_bookings_total', 'counter'],
      ['ereg_booking_refusals_total', 'counter'],
      ['ereg_cancellations_total', 'counter'],
      ['ereg_store_transaction_attempts', 'histogram'],
      ['ereg_outbox_lag', 'gauge'],
      ['ereg_tasks_queue_depth', 'gauge'],
    ]) {
      expect(text).toContain(`# TYPE ${name} ${kind}`);
    }
    expect(parsePrometheus(text).length).toBeGreaterThan(0);
  });

  test('counts the units of work the store ran, one attempt each', async () => {
    const before = total(await scrape(), 'ereg_store_transaction_attempts_count', { store: 'sqlite' });
    await system.newPatient({ born: 1950 });
    const after = await scrape();
    expect(total(after, 'ereg_store_transaction_attempts_count', { store: 'sqlite' })).toBeGreaterThan(before);
    expect(total(after, 'ereg_store_transaction_attempts_sum', { store: 'sqlite' })).toBe(
      total(after, 'ereg_store_transaction_attempts_count', { store: 'sqlite' }),
    );
  });

  test('the outbox lag rises while nothing delivers the events and falls to zero once they are delivered', async () => {
    await system.dispatcher.drain();
    expect(total(await scrape(), 'ereg_outbox_lag')).toBe(0);
    const [slotId] = await freeSlots(1);
    const person = await system.newPatient({ born: 1950 });
    expect((await call('POST', '/api/booking/appointments', person.token, { slotId })).status).toBe(201);
    system.clock.advanceMinutes(2);
    expect(total(await scrape(), 'ereg_outbox_lag')).toBeGreaterThanOrEqual(120);
    await system.dispatcher.drain();
    expect(total(await scrape(), 'ereg_outbox_lag')).toBe(0);
  });
});

describe('/dev/ops', () => {
  test('shows the bookings, the refusals and the latency per function, and asks for itself again', async () => {
    const reply = await fetch(`${http.url}/dev/ops`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/text\/html/);
    const page = await reply.text();
    expect(page).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(page).toContain('Bookings per minute');
    expect(page).toMatch(/<td>web<\/td><td class="n">\d+<\/td>/);
    expect(page).toContain('<td>ALREADY_BOOKED</td>');
    expect(page).toContain('booking POST /appointments');
    expect(page).toContain('Outbox lag');
  });

  test('is linked from the developer links', async () => {
    const page = await (await fetch(`${http.url}/dev`)).text();
    expect(page).toContain('href="/dev/ops"');
    expect(page).toContain('href="/metrics"');
  });
});
