import { toInstant } from '@ereg/shared';
import { aSchedule } from '../support/builders.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

// The system stands on Monday 2026-01-12, 08:00 in Warsaw; the centre is open 08:00–12:00 on weekdays.
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

let system: TestSystem;
let close: () => Promise<void>;
let call: Call;
let centreId: string;
let manager: string;

beforeEach(async () => {
  system = await createTestSystem();
  await system.addRule();
  const centre = await system.addCentre();
  centreId = centre.id;
  const served = await serve(system);
  close = served.close;
  call = client(served.url);
  manager = await system.tokenFor({ role: 'centre-manager', staffId: 'manager-1', centreId });
});

afterEach(async () => {
  await close?.();
  await system?.close();
});

/** The centre's comirnaty slot starting at a local date and time. */
async function slotAt(date: string, time: string): Promise<string> {
  const start = toInstant(date, time, 'Europe/Warsaw')?.toISOString();
  const slot = (await system.store.listSlotsOfCentreDay(centreId, date)).find(
    (s) => s.start === start && s.vaccineId === 'comirnaty',
  );
  if (!slot) throw new Error(`no slot at ${date} ${time}`);
  return slot.id;
}

/** A new patient books the slot through the API; answers the visits booked (the course's doses). */
async function book(date: string, time: string): Promise<Array<{ id: string; dose: number; reference: string }>> {
  const { token } = await system.newPatient();
  const reply = await call('POST', '/api/booking/appointments', { token, body: { slotId: await slotAt(date, time) } });
  expect(reply.status).toBe(201);
  return reply.body.appointments;
}

const statusOf = async (id: string) => (await system.store.getAppointment(id))?.status;
const slotsOf = (date: string) => system.store.listSlotsOfCentreDay(centreId, date);
const outboxSize = () => (system.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

test('the preview of a schedule change says exactly what the change then does', async () => {
  await book(TUESDAY, '09:00');
  system.clock.set('2026-01-12T07:01:00.000Z');
  const [lost, lostLater] = await book(TUESDAY, '09:00');
  const lower = aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } });
  const slotsBefore = await slotsOf(TUESDAY);
  const eventsBefore = outboxSize();

  const preview = await call('POST', `/api/centres/${centreId}/schedule/preview`, { token: manager, body: lower });

  expect(preview.status).toBe(200);
  expect(preview.body.cancellations).toEqual([
    expect.objectContaining({ appointmentId: lost?.id, dose: 1, date: TUESDAY, time: '09:00', laterDose: false }),
    expect.objectContaining({ appointmentId: lostLater?.id, dose: 2, laterDose: true }),
  ]);
  expect(preview.body.cancellations[0].reference).toBe(lost?.reference);
  expect(preview.body.cancellations[0].patientName).toEqual(expect.any(String));
  expect(await slotsOf(TUESDAY)).toEqual(slotsBefore);
  expect(outboxSize()).toBe(eventsBefore);

  const changed = await call('PUT', `/api/centres/${centreId}/schedule`, {
    token: manager,
    body: {
      ...lower,
      confirmCancellations: preview.body.cancellations.map((c: { appointmentId: string }) => c.appointmentId),
    },
  });

  expect(changed.status).toBe(200);
  const { schedule, cancelledAppointments, ...done } = changed.body;
  expect(done).toEqual(preview.body);
  expect(schedule.weekly.capacity.comirnaty).toBe(1);
  expect(cancelledAppointments).toBe(2);
  expect(await statusOf(lost?.id as string)).toBe('cancelled');
  expect(await statusOf(lostLater?.id as string)).toBe('cancelled');
});

test('a change that would cancel visits not confirmed is answered 409, naming them, and writes nothing', async () => {
  await book(TUESDAY, '09:00');
  system.clock.set('2026-01-12T07:01:00.000Z');
  const [lost] = await book(TUESDAY, '09:00');
  const slotsBefore = await slotsOf(TUESDAY);
  const scheduleBefore = (await call('GET', `/api/centres/${centreId}/schedule`, { token: manager })).body;
  const eventsBefore = outboxSize();

  const refused = await call('PUT', `/api/centres/${centreId}/schedule`, {
    token: manager,
    body: aSchedule({ capacity: { comirnaty: 1, vaxzevria: 2 } }),
  });

  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('CANCELLATIONS_NOT_CONFIRMED');
  expect(refused.body.error.details.cancellations.map((c: { appointmentId: string }) => c.appointmentId)).toContain(
    lost?.id,
  );
  expect(await slotsOf(TUESDAY)).toEqual(slotsBefore);
  expect(outboxSize()).toBe(eventsBefore);
  expect((await call('GET', `/api/centres/${centreId}/schedule`, { token: manager })).body).toEqual(scheduleBefore);
  expect(await statusOf(lost?.id as string)).toBe('booked');
});

test('a change that cancels nobody needs no confirmation', async () => {
  await book(TUESDAY, '09:00');

  const changed = await call('PUT', `/api/centres/${centreId}/schedule`, {
    token: manager,
    body: aSchedule({ capacity: { comirnaty: 5, vaxzevria: 2 } }),
  });

  expect(changed.status).toBe(200);
  expect(changed.body.cancellations).toEqual([]);
  expect(changed.body.resized).toBeGreaterThan(0);
});

test('closing the rest of today keeps the earlier visits and the patients already checked in', async () => {
  const [early] = await book(MONDAY, '09:00');
  const [late] = await book(MONDAY, '10:30');
  const [arrived] = await book(MONDAY, '11:00');
  const staff = await system.tokenFor({ role: 'staff', staffId: 'staff-1', centreId });
  const checked = await call('POST', `/api/centres/${centreId}/appointments/${arrived?.id}/check-in`, { token: staff });
  expect(checked.status).toBe(200);

  const closed = await call('POST', `/api/centres/${centreId}/days/${MONDAY}/cancel`, {
    token: manager,
    body: { reason: 'Brak szczepionki', from: '10:00' },
  });

  expect(closed.status).toBe(200);
  expect(closed.body.from).toBe('10:00');
  expect(closed.body.cancelledAppointments.map((a: { id: string }) => a.id)).toContain(late?.id);
  expect(closed.body.cancellations).toEqual([
    expect.objectContaining({ appointmentId: late?.id, date: MONDAY, time: '10:30', dose: 1, laterDose: false }),
    expect.objectContaining({ dose: 2, laterDose: true }),
  ]);
  expect(await statusOf(early?.id as string)).toBe('booked');
  expect(await statusOf(late?.id as string)).toBe('cancelled');
  expect(await statusOf(arrived?.id as string)).toBe('booked');
  const schedule = (await call('GET', `/api/centres/${centreId}/schedule`, { token: manager })).body;
  expect(schedule.closedDates).toEqual([]);
  expect(schedule.closedFrom).toEqual([{ date: MONDAY, from: '10:00' }]);
  const ten = toInstant(MONDAY, '10:00', 'Europe/Warsaw')?.toISOString() as string;
  expect((await slotsOf(MONDAY)).filter((s) => s.start >= ten).map((s) => s.booked)).toEqual([1]);
});

test('a closing time that is no time of day is refused naming the field', async () => {
  const refused = await call('POST', `/api/centres/${centreId}/days/${MONDAY}/cancel`, {
    token: manager,
    body: { reason: 'Brak szczepionki', from: '10h' },
  });

  expect(refused.status).toBe(400);
  expect(refused.body.error.field).toBe('from');
});
