import type { Centre } from '@ereg/shared';
import { aBirthYearRule } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// A Monday, 09:00 in Warsaw: outside the quiet hours, so a booking's confirmation is sent at once.
const NOW = '2026-01-12T08:00:00.000Z';
const DAY = '2026-01-14';

type Line = Record<string, unknown> & { severity: string; message: string };

const lines: Line[] = [];
const keep = (line: string) => lines.push(JSON.parse(line) as Line);
let system: TestSystem;
let http: Awaited<ReturnType<typeof serve>>;
let call: Call;
let centre: Centre;

beforeAll(async () => {
  system = await createTestSystem({ now: NOW, log: keep });
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
  http = await serve(system, { log: keep });
  call = client(http.url);
});

afterAll(async () => {
  await http?.close();
  await system?.close();
});

const traceField = 'logging.googleapis.com/trace';
const traceId = (traceparent: string) => traceparent.split('-')[1] as string;

/** A person with a phone, booked into the first slot of the day; the booking carries `headers`. */
async function bookWith(headers: Record<string, string>, phone: string) {
  const { patientId, token } = await system.newPatient({ born: 1950 });
  expect((await call('PUT', `/api/booking/patients/${patientId}/contact`, { token, body: { phone } })).status).toBe(
    200,
  );
  const found = await call('GET', `/api/search?postalCode=00-950&vaccineId=comirnaty&from=${DAY}&to=${DAY}`);
  const slotId = found.body.results.find((r: { centre: { id: string } }) => r.centre.id === centre.id).slots[0].slotId;
  const booked = await call('POST', '/api/booking/appointments', {
    token,
    body: { slotId },
    headers: { 'idempotency-key': `book-${patientId}`, ...headers },
  });
  expect(booked.status).toBe(201);
  return { patientId, appointmentId: booked.body.appointments[0].id as string };
}

const bookingLines = () =>
  lines.filter(
    (line) => (line.httpRequest as { requestUrl?: string } | undefined)?.requestUrl === '/api/booking/appointments',
  );

describe('a booking’s trace', () => {
  test('the traceparent of a booking reaches its event, the consumers’ log lines and its text-message task', async () => {
    const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { appointmentId } = await bookWith({ traceparent: caller }, '+48 601 234 567');

    const request = bookingLines().at(-1) as Line;
    expect(request[traceField]).toBe(traceId(caller));
    expect(request).toMatchObject({ function: 'booking', route: 'POST /appointments', status: 201 });

    const events = system.db
      .prepare("SELECT data FROM outbox WHERE type = 'appointment.booked'")
      .all()
      .map((row) => JSON.parse((row as { data: string }).data) as { subjectId: string; trace?: string });
    const event = events.find((e) => e.subjectId === appointmentId);
    expect(event?.trace).toMatch(new RegExp(`^00-${traceId(caller)}-[0-9a-f]{16}-01$`));

    while ((await system.dispatcher.drain()) > 0) {}
    const consumed = lines.filter((line) => line.consumer !== undefined && line.message.includes('appointment.booked'));
    expect(consumed.map((line) => line.consumer)).toContain('sms');
    for (const line of consumed) expect(line[traceField]).toBe(traceId(caller));

    const tasks = system.db
      .prepare('SELECT name, payload FROM scheduled_tasks')
      .all()
      .map((row) => ({ ...(row as { name: string }), payload: JSON.parse((row as { payload: string }).payload) }));
    // The confirmation of the booking, and a reminder before each visit: all this booking's.
    const sends = tasks;
    expect(sends.map((task) => task.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^sms-booked-/), `sms-reminder-${appointmentId}-1`]),
    );
    for (const task of sends) expect(traceId(task.payload.traceparent)).toBe(traceId(caller));

    await system.sms.runner.runDue();
    const ran = lines.filter((line) => typeof line.task === 'string' && line.task.startsWith('sms-booked-'));
    expect(ran.map((line) => line.message)).toEqual([
      expect.stringMatching(/^Task sms-booked-\S+ ran \(attempt 1\)\.$/),
    ]);
    for (const line of ran) expect(line[traceField]).toBe(traceId(caller));
    // Nothing a line wrote holds the person's phone number.
    expect(JSON.stringify(lines)).not.toMatch(/601[ -]?234[ -]?567/);
  });

  test('Google’s X-Cloud-Trace-Context is followed when no traceparent is sent', async () => {
    const google = '105445aa7843bc8bf206b12000100000/1;o=1';
    await bookWith({ 'x-cloud-trace-context': google }, '+48 602 345 678');
    expect(bookingLines().at(-1)?.[traceField]).toBe('105445aa7843bc8bf206b12000100000');
  });

  test('a request without a trace gets a fresh one in its log line, its request id the span’s', async () => {
    await bookWith({}, '+48 603 456 789');
    const first = bookingLines().at(-1);
    expect(first?.[traceField]).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.[traceField]).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(first?.requestId).toBe(first?.['logging.googleapis.com/spanId']);
    const traces = new Set(bookingLines().map((line) => line[traceField]));
    expect(traces.size).toBe(bookingLines().length);
  });

  test('a refused request’s error line and answer carry the request’s id', async () => {
    const refused = await call('POST', '/api/booking/appointments', { body: {} });
    expect(refused.status).toBe(401);
    const request = bookingLines().at(-1) as Line;
    expect(request).toMatchObject({ severity: 'WARNING', status: 401, requestId: refused.body.error.correlationId });
    const error = lines.find((line) => line.correlationId === refused.body.error.correlationId && line !== request);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', [traceField]: request[traceField] });
  });
});
