import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bookAppointment,
  cancelAppointment,
  cancelCentreDay,
  type DomainEvent,
  deliverMessage,
  markNoShow,
  planMessagesFor,
  recordDeliveryReport,
  rescheduleAppointment,
  type Slot,
  type SmsDeps,
  type SmsRecord,
  toInstant,
  updateContact,
} from '@ereg/shared';
import { TaskRunner } from '../../src/adapters/sqlite/sqlite-task-queue.ts';
import { createTwilioClient, TwilioSms } from '../../src/adapters/twilio/twilio-sms.ts';
import { aBirthYearRule } from '../support/builders.ts';
import { FakeTwilio } from '../support/fake-twilio.ts';
import { type Call, client } from '../support/http-client.ts';
import { createTestSystem, serve, type TestSystem } from '../support/test-system.ts';

/*
 * Text messages on the embedded default, on a fake clock: what a booking, a move and a cancellation
 * put in the message ledger, when each message goes, and that none goes twice.
 */

let system: TestSystem;

async function start(now: string) {
  system = await createTestSystem({ now });
  await system.addRule(aBirthYearRule(1970));
  return system.addCentre();
}

afterEach(async () => {
  await system?.close();
});

/** After a change: the outbox delivered, the planning tasks run, the messages due sent. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await system.dispatcher.drain();
    await system.sms.runner.runDue();
  }
}

async function at(iso: string): Promise<void> {
  system.clock.set(iso);
  await settle();
}

const ledgerOf = async (patientId: string): Promise<SmsRecord[]> =>
  (await system.store.listSmsMessages({ limit: 500 })).filter((m) => m.patientId === patientId);

/** An `sms.status_changed` event as the outbox keeps it. */
interface StatusEvent {
  id: string;
  subjectId: string;
  actor: { role: string; id: string };
  data: { purpose: string; status: string; attempts: number; language: string };
}

/** The events telling what became of messages, in the order they were written. */
const statusEvents = (): StatusEvent[] =>
  (
    system.db.prepare("SELECT data FROM outbox WHERE type = 'sms.status_changed' ORDER BY rowid").all() as Array<{
      data: string;
    }>
  ).map((row) => JSON.parse(row.data) as StatusEvent);

const record = (key: string) => system.store.runInTransaction((tx) => tx.getSmsMessage(key));

async function slotAt(centreId: string, date: string, time: string, zone = 'Europe/Warsaw'): Promise<Slot> {
  const start = toInstant(date, time, zone)?.toISOString();
  const slot = (await system.store.listSlotsOfCentreDay(centreId, date)).find(
    (s) => s.start === start && s.vaccineId === 'comirnaty',
  );
  if (!slot) throw new Error(`no slot at ${date} ${time}`);
  return slot;
}

async function book(centreId: string, date: string, time: string, patient?: { patientId: string }) {
  const { patientId } = patient ?? (await system.newPatient());
  const slot = await slotAt(centreId, date, time);
  const booking = await bookAppointment(
    system.deps,
    { role: 'patient', patientId },
    {
      patientId,
      slotId: slot.id,
      idempotencyKey: null,
    },
  );
  return { patientId, booking, first: booking.appointments[0] as (typeof booking.appointments)[number] };
}

describe('a booking’s messages', () => {
  test('the confirmation names both doses, the centre, its address and the local times, and goes at once', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z'); // Monday 09:00 in Warsaw
    const { patientId, booking } = await book(centre.id, '2026-01-13', '09:00');
    await settle();
    const confirmation = await record(`booked:${booking.bookingId}`);
    expect(confirmation).toMatchObject({ purpose: 'booked', status: 'sent', to: '+48600100200', attempts: 1 });
    const second = booking.appointments[1];
    expect(second).toBeDefined();
    const secondDate = (second?.localStart ?? '').slice(0, 10).split('-').reverse().slice(0, 2).join('.');
    for (const part of ['13.01', '09:00', `dawka 2: ${secondDate}`, 'Punkt Szczepien nr', 'ul. Marszalkowska 1']) {
      expect(confirmation?.body).toContain(part);
    }
    const received = await system.sms.phone.listReceived('+48600100200');
    expect(received.filter((m) => m.key === confirmation?.key)).toHaveLength(1);
    expect((await ledgerOf(patientId)).map((m) => `${m.purpose}:${m.status}`).sort()).toEqual([
      'booked:sent',
      'reminder:pending',
      'reminder:pending',
    ]);
  });

  test('the reminder goes the day before at 17:00 local time, once', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    const key = `reminder:${first.id}:1`;
    expect((await record(key))?.sendAt).toBe('2026-01-13T16:00:00.000Z');
    await at('2026-01-13T15:59:00.000Z');
    expect((await record(key))?.status).toBe('pending');
    await at('2026-01-13T16:00:10.000Z');
    const reminder = await record(key);
    expect(reminder).toMatchObject({ status: 'sent', attempts: 1 });
    expect(reminder?.body).toMatch(/jutro, 14\.01 o 10:00/);
    await at('2026-01-13T18:00:00.000Z');
    expect((await system.sms.phone.listReceived()).filter((m) => m.key === key)).toHaveLength(1);
  });

  test('a reminder beyond the queue’s 28-day horizon is put off in steps and still goes on its day', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { first } = await book(centre.id, '2026-02-24', '10:00');
    await settle();
    const key = `reminder:${first.id}:1`;
    expect((await record(key))?.sendAt).toBe('2026-02-23T16:00:00.000Z');
    const task = () =>
      system.db
        .prepare('SELECT name, run_at, status FROM scheduled_tasks WHERE name LIKE ? ORDER BY name')
        .all(`sms-reminder-${first.id}-1%`);
    expect(task()).toEqual([
      { name: `sms-reminder-${first.id}-1`, run_at: '2026-02-09T08:00:00.000Z', status: 'pending' },
    ]);
    await at('2026-02-09T08:00:10.000Z');
    expect((await record(key))?.status).toBe('pending');
    expect(task()).toEqual([
      { name: `sms-reminder-${first.id}-1`, run_at: '2026-02-09T08:00:00.000Z', status: 'done' },
      { name: `sms-reminder-${first.id}-1-h1`, run_at: '2026-02-23T16:00:00.000Z', status: 'pending' },
    ]);
    await at('2026-02-23T16:00:10.000Z');
    expect(await record(key)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a visit booked the evening before gets its confirmation and no separate reminder', async () => {
    const centre = await start('2026-01-12T17:30:00.000Z'); // Monday 18:30 in Warsaw
    const { patientId, first } = await book(centre.id, '2026-01-13', '09:00');
    await settle();
    expect(await record(`reminder:${first.id}:1`)).toBeNull();
    expect((await ledgerOf(patientId)).map((m) => `${m.purpose}:${m.status}`).sort()).toEqual([
      'booked:sent',
      'reminder:pending',
    ]);
  });

  test('a message due in quiet hours waits for 08:00 local time', async () => {
    const centre = await start('2026-01-12T21:30:00.000Z'); // 22:30 in Warsaw
    const { booking } = await book(centre.id, '2026-01-14', '09:00');
    await settle();
    const key = `booked:${booking.bookingId}`;
    expect(await record(key)).toMatchObject({ status: 'pending', sendAt: '2026-01-13T07:00:00.000Z' });
    await at('2026-01-13T06:59:00.000Z');
    expect((await record(key))?.status).toBe('pending');
    await at('2026-01-13T07:00:30.000Z');
    expect((await record(key))?.status).toBe('sent');
  });

  test('cancelling sends the reason, says the later dose went too, and stops both reminders', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId, booking, first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    await cancelAppointment(
      system.deps,
      { role: 'patient', patientId },
      { appointmentId: first.id, reason: 'I am ill' },
    );
    await settle();
    const cancelled = await record(`cancelled:${first.id}:2`);
    expect(cancelled?.status).toBe('sent');
    // The person's own words stay in the record: the message says who asked, in their language.
    expect(cancelled?.body).toContain('Powod: na Twoja prosbe\n');
    expect(cancelled?.body).not.toContain('I am ill');
    expect(cancelled?.body).toContain('Odwolano tez kolejne dawki');
    for (const appointment of booking.appointments) {
      expect(await record(`reminder:${appointment.id}:1`)).toMatchObject({ status: 'skipped' });
    }
    await at('2026-01-13T16:00:10.000Z');
    const received = (await system.sms.phone.listReceived()).map((m) => m.key);
    expect(received.filter((key) => key.startsWith('reminder:'))).toEqual([]);
    expect((await ledgerOf(patientId)).filter((m) => m.purpose === 'cancelled')).toHaveLength(1);
  });

  test('a move tells the new time, drops the old reminder and plans one for the new day', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId, first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    const later = await slotAt(centre.id, '2026-01-16', '11:00');
    await rescheduleAppointment(
      system.deps,
      { role: 'patient', patientId },
      { appointmentId: first.id, slotId: later.id },
    );
    await settle();
    expect(await record(`reminder:${first.id}:1`)).toMatchObject({ status: 'skipped' });
    const moved = await record(`moved:${first.id}:2`);
    expect(moved?.status).toBe('sent');
    expect(moved?.body).toContain('16.01 o 11:00');
    expect((await record(`reminder:${first.id}:2`))?.sendAt).toBe('2026-01-15T16:00:00.000Z');
    // The old reminder's time comes and goes: nothing is sent for the old day.
    await at('2026-01-13T16:00:10.000Z');
    expect((await system.sms.phone.listReceived()).some((m) => m.key === `reminder:${first.id}:1`)).toBe(false);
  });

  test('a patient without a number gets no messages, and one who asks for English gets English', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const silent = await system.newPatient();
    await updateContact(
      system.deps,
      { role: 'patient', patientId: silent.patientId },
      {
        patientId: silent.patientId,
        phone: null,
      },
    );
    await book(centre.id, '2026-01-13', '09:00', silent);
    const english = await system.newPatient();
    await updateContact(
      system.deps,
      { role: 'patient', patientId: english.patientId },
      {
        patientId: english.patientId,
        phone: '0048 600-700-800',
        language: 'en',
      },
    );
    const { booking } = await book(centre.id, '2026-01-13', '09:15', english);
    await settle();
    expect(await ledgerOf(silent.patientId)).toEqual([]);
    const confirmation = await record(`booked:${booking.bookingId}`);
    expect(confirmation).toMatchObject({ to: '+48600700800', language: 'en', status: 'sent' });
    expect(confirmation?.body).toMatch(/^Vaccination booked:/);
  });
});

describe('visits at two centres, references and reasons', () => {
  test('moving dose 1 to another centre: the message puts each dose with its own centre and address, and the reference', async () => {
    const first = await start('2026-01-12T08:00:00.000Z');
    const other = await system.addCentre({
      name: 'Przychodnia Praga',
      address: { street: 'ul. Targowa 15', postalCode: '03-733', city: 'Warszawa', voivodeship: 'mazowieckie' },
    });
    const { patientId, booking } = await book(first.id, '2026-01-14', '10:00');
    const [dose1, dose2] = booking.appointments;
    await settle();
    const confirmation = await record(`booked:${booking.bookingId}`);
    expect(confirmation?.body).toContain(`Nr rezerwacji: ${dose1?.reference}`);

    const elsewhere = await slotAt(other.id, '2026-01-15', '11:00');
    await rescheduleAppointment(
      system.deps,
      { role: 'patient', patientId },
      { appointmentId: dose1?.id ?? '', slotId: elsewhere.id },
    );
    await settle();
    const lines = ((await record(`moved:${dose1?.id}:2`))?.body ?? '').split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(lines[at('dawka 1: 15.01 o 11:00') + 1]).toBe('Przychodnia Praga, ul. Targowa 15, Warszawa');
    // Dose 2 moved along to keep its interval, but stays at the first centre.
    const second = await system.store.getAppointment(dose2?.id ?? '');
    expect(second?.centreId).toBe(first.id);
    const secondDate = (second?.localDate ?? '').split('-').reverse().slice(0, 2).join('.');
    expect(lines[at(`dawka 2: ${secondDate}`) + 1]).toMatch(/^Punkt Szczepien nr \d+, ul\. Marszalkowska 1, Warszawa$/);
    expect(lines).toContain(`Nr rezerwacji: ${dose1?.reference}`);
    const reminder = await record(`reminder:${dose1?.id}:2`);
    expect(reminder?.body).toContain('Przychodnia Praga, ul. Targowa 15, Warszawa');
    expect(reminder?.body).toContain(`Nr rezerwacji: ${dose1?.reference}`);
  });

  test('a visit moved to another centre before its booking was told: its reminder names where it went', async () => {
    const first = await start('2026-01-12T08:00:00.000Z');
    const other = await system.addCentre({
      name: 'Przychodnia Praga',
      address: { street: 'ul. Targowa 15', postalCode: '03-733', city: 'Warszawa', voivodeship: 'mazowieckie' },
    });
    const { patientId, first: dose1 } = await book(first.id, '2026-01-14', '10:00');
    // Moved at once, before the booking's events are delivered.
    const elsewhere = await slotAt(other.id, '2026-01-15', '11:00');
    await rescheduleAppointment(
      system.deps,
      { role: 'patient', patientId },
      { appointmentId: dose1.id, slotId: elsewhere.id },
    );
    await settle();
    const reminder = await record(`reminder:${dose1.id}:2`);
    expect(reminder?.body).toContain('Przychodnia Praga, ul. Targowa 15, Warszawa');
    expect(reminder?.body).toContain('jutro, 15.01 o 11:00');
  });

  test('an agent cancelling for a caller: the reason is the hotline, never the agent’s typed words', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId, first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    const agent = { role: 'agent', agentId: 'agent-1' } as const;
    await system.store.runInTransaction(async (tx) =>
      tx.putAccessGrant({ agentId: 'agent-1', patientId, until: '2026-01-12T09:00:00.000Z' }),
    );
    await cancelAppointment(system.deps, agent, {
      appointmentId: first.id,
      reason: 'caller says she has covid, internal note',
    });
    await settle();
    const body = (await record(`cancelled:${first.id}:2`))?.body ?? '';
    expect(body).toContain('Powod: na Twoja prosbe przez infolinie');
    expect(body).not.toContain('covid');
    expect((await system.store.getAppointment(first.id))?.cancellation).toMatchObject({ code: 'requested' });
  });

  test('a centre cancelling one visit with a note: the note is quoted; without one, the centre is named', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const one = await book(centre.id, '2026-01-14', '10:00');
    const two = await book(centre.id, '2026-01-14', '11:00');
    await settle();
    const staff = { role: 'staff', staffId: 's-1', centreId: centre.id } as const;
    await cancelAppointment(system.deps, staff, { appointmentId: one.first.id, reason: 'Lekarz na zwolnieniu' });
    await cancelAppointment(system.deps, staff, { appointmentId: two.first.id });
    await settle();
    expect((await record(`cancelled:${one.first.id}:2`))?.body).toContain(
      'Powod: odwolane przez punkt szczepien: "Lekarz na zwolnieniu"',
    );
    expect((await record(`cancelled:${two.first.id}:2`))?.body).toContain('Powod: odwolane przez punkt szczepien\n');
  });
});

describe('a missed first dose', () => {
  test('the second dose it cancels is told, with why', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { booking } = await book(centre.id, '2026-01-13', '09:00');
    const [dose1, dose2] = booking.appointments;
    await settle();
    await at('2026-01-13T12:00:00.000Z');
    const staff = { role: 'staff', staffId: 's-1', centreId: centre.id } as const;
    await markNoShow(system.deps, staff, centre.id, dose1?.id ?? '');
    await settle();
    const told = await record(`cancelled:${dose2?.id}:2`);
    expect(told?.status).toBe('sent');
    expect(told?.body).toContain('dawka 2:');
    expect(told?.body).toContain('Powod: nie przyjeto poprzedniej dawki');
  });
});

describe('who cancelled, and later doses', () => {
  test('a centre cancelling its day tells each booked patient, with the centre’s reason', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const one = await book(centre.id, '2026-01-14', '10:00');
    const two = await book(centre.id, '2026-01-14', '11:00');
    await settle();
    const manager = { role: 'centre-manager', staffId: 's-1', centreId: centre.id } as const;
    await cancelCentreDay(system.deps, manager, centre.id, '2026-01-14', 'Brak dostaw szczepionki');
    await settle();
    for (const { first } of [one, two]) {
      const cancelled = await record(`cancelled:${first.id}:2`);
      expect(cancelled?.status).toBe('sent');
      expect(cancelled?.body).toContain('Powod: punkt nieczynny tego dnia: "Brak dostaw szczepionki"');
      expect(cancelled?.body).toContain('14.01');
    }
  });

  test('a later dose booked on its own is confirmed as such', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId, booking } = await book(centre.id, '2026-01-13', '09:00');
    const second = booking.appointments[1];
    const principal = { role: 'patient', patientId } as const;
    await cancelAppointment(system.deps, principal, { appointmentId: second?.id ?? '', reason: 'wrong day' });
    const day = (second?.localStart ?? '').slice(0, 10);
    const again = await book(centre.id, day, '10:00', { patientId });
    await settle();
    const confirmation = await record(`booked:${again.booking.bookingId}`);
    expect(confirmation).toMatchObject({ purpose: 'later_dose', status: 'sent' });
    expect(confirmation?.body).toContain('10:00');
  });
});

describe('across daylight-saving changes', () => {
  test('the day before a visit just after the spring change, the reminder is at 17:00 summer time', async () => {
    const centre = await start('2026-03-26T08:00:00.000Z');
    const { first } = await book(centre.id, '2026-03-30', '09:00');
    await settle();
    expect(first.start).toBe('2026-03-30T07:00:00.000Z');
    expect((await record(`reminder:${first.id}:1`))?.sendAt).toBe('2026-03-29T15:00:00.000Z');
  });

  test('the day before a visit just after the autumn change, the reminder is at 17:00 winter time', async () => {
    const centre = await start('2026-10-22T08:00:00.000Z');
    const { first } = await book(centre.id, '2026-10-26', '09:00');
    await settle();
    expect(first.start).toBe('2026-10-26T08:00:00.000Z');
    expect((await record(`reminder:${first.id}:1`))?.sendAt).toBe('2026-10-25T16:00:00.000Z');
  });
});

describe('what became of each message', () => {
  const told = statusEvents;

  test('is written to the outbox with the ledger’s change, each status once, and reaches the analytics table with no phone number', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId, booking, first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    const confirmation = `booked:${booking.bookingId}`;
    const delivered = { key: confirmation, providerId: 'SM-1', status: 'delivered', errorCode: null };
    await recordDeliveryReport(system.deps, delivered);
    await recordDeliveryReport(system.deps, delivered); // Twilio calls again when no answer reached it
    await cancelAppointment(system.deps, { role: 'patient', patientId }, { appointmentId: first.id });
    await settle();

    // Both doses' reminders, dropped in the order the doses were cancelled.
    const reminders = booking.appointments.map((a) => `reminder:${a.id}:1`);
    expect(told().map((e) => [e.subjectId, e.data.status])).toEqual([
      [confirmation, 'sent'],
      [confirmation, 'delivered'],
      ...reminders.map((key) => [key, 'skipped']),
      [`cancelled:${first.id}:2`, 'sent'],
    ]);
    expect(told()[0]?.data).toEqual({ purpose: 'booked', status: 'sent', attempts: 1, language: 'pl' });

    const rows = system.db
      .prepare("SELECT * FROM report_events WHERE type = 'sms.status_changed' ORDER BY occurred_at, event_id")
      .all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.event_id).sort()).toEqual(
      told()
        .map((e) => e.id)
        .sort(),
    );
    for (const row of rows) {
      expect(String(row.subject_id)).not.toContain(first.id);
      expect(String(row.subject_id)).not.toContain(booking.bookingId);
      expect(JSON.stringify(row)).not.toContain('600100200');
    }
  });
});

describe('across a restart', () => {
  test('a reminder planned before the server stopped goes when it is due after it starts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ereg-sms-'));
    const dbPath = join(dir, 'ereg.sqlite');
    try {
      system = await createTestSystem({ now: '2026-01-12T08:00:00.000Z', dbPath });
      await system.addRule(aBirthYearRule(1970));
      const centre = await system.addCentre();
      const { first } = await book(centre.id, '2026-01-14', '10:00');
      await settle();
      await system.close();
      system = await createTestSystem({ now: '2026-01-13T16:00:30.000Z', dbPath });
      await settle();
      expect(await record(`reminder:${first.id}:1`)).toMatchObject({ status: 'sent', attempts: 1 });
      expect((await system.sms.phone.listReceived()).filter((m) => m.key === `reminder:${first.id}:1`)).toHaveLength(1);
    } finally {
      await system.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('once only', () => {
  test('the same events again — redelivered and planned twice — add no message', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { patientId } = await book(centre.id, '2026-01-13', '09:00');
    await settle();
    const before = await ledgerOf(patientId);
    // The dispatcher forgets what the planner handled (a lost position), and the planner runs again.
    system.db.prepare("DELETE FROM processed_events WHERE consumer = 'sms'").run();
    system.db.prepare("UPDATE consumer_cursors SET seq = 0 WHERE consumer = 'sms'").run();
    const events = (
      system.db.prepare("SELECT data FROM outbox WHERE type = 'appointment.booked'").all() as Array<{
        data: string;
      }>
    ).map((row) => JSON.parse(row.data) as DomainEvent);
    for (const event of events) await planMessagesFor(system.sms.deps, event);
    await settle();
    const after = await ledgerOf(patientId);
    expect(after.map((m) => [m.key, m.status, m.attempts])).toEqual(before.map((m) => [m.key, m.status, m.attempts]));
    const sent = (await system.sms.phone.listReceived()).filter((m) => m.key.startsWith('booked:'));
    expect(sent).toHaveLength(1);
  });

  test('a send task that fires twice at once sends once, and a message claimed before a crash is never sent again', async () => {
    const centre = await start('2026-01-12T08:00:00.000Z');
    const { first } = await book(centre.id, '2026-01-14', '10:00');
    await settle();
    const key = `reminder:${first.id}:1`;
    system.clock.set('2026-01-13T16:00:10.000Z');
    const outcomes = await Promise.all([
      deliverMessage(system.sms.deps, { key }),
      deliverMessage(system.sms.deps, { key }),
      deliverMessage(system.sms.deps, { key }),
    ]);
    expect(outcomes.sort()).toEqual(['already_handled', 'already_handled', 'sent']);
    expect((await system.sms.phone.listReceived()).filter((m) => m.key === key)).toHaveLength(1);

    const second = `reminder:${(await system.store.listAppointmentsOfPatient(first.patientId))[1]?.id}:1`;
    const stuck = await record(second);
    await system.store.runInTransaction(async (tx) => {
      tx.putSmsMessage({ ...(stuck as SmsRecord), status: 'sending', attempts: 1, sendAt: '2026-01-13T16:00:00.000Z' });
    });
    expect(await deliverMessage(system.sms.deps, { key: second })).toBe('already_handled');
    expect((await system.sms.phone.listReceived()).filter((m) => m.key === second)).toEqual([]);
  });
});

describe('through Twilio', () => {
  const ACCOUNT = 'AC00000000000000000000000000000009';
  const twilio = new FakeTwilio(ACCOUNT);
  let deps: SmsDeps;

  beforeAll(async () => {
    await twilio.start();
  });
  afterAll(async () => {
    await twilio.stop();
  });

  async function pendingConfirmation(): Promise<string> {
    const centre = await start('2026-01-12T21:30:00.000Z'); // quiet hours: the confirmation waits
    const sender = new TwilioSms(
      createTwilioClient({ accountSid: ACCOUNT, authToken: 'token', baseUrl: twilio.url, timeoutMs: 2000 }),
      { messagingServiceSid: `MG${'2'.repeat(32)}`, statusCallback: 'https://example.test/sms/status' },
    );
    deps = { ...system.sms.deps, sms: sender };
    const { booking } = await book(centre.id, '2026-01-14', '09:00');
    await settle();
    system.clock.set('2026-01-13T07:00:30.000Z');
    twilio.requests.length = 0;
    return `booked:${booking.bookingId}`;
  }

  test('a 5xx is retried by the task queue with backoff, and the message goes once', async () => {
    const key = await pendingConfirmation();
    twilio.script.push({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
    const runner = new TaskRunner(
      system.store,
      system.clock,
      (task) => deliverMessage(deps, task.payload as { key: string }).then(() => {}),
      {
        log: () => {},
      },
    );
    await runner.runDue();
    expect(await record(key)).toMatchObject({ status: 'retrying', attempts: 1 });
    expect((await record(key))?.error).toMatch(/503|unavailable/i);
    await runner.runDue(); // the backoff has not passed yet
    expect(twilio.requests).toHaveLength(1);
    system.clock.set('2026-01-13T07:00:32.000Z');
    await runner.runDue();
    expect(await record(key)).toMatchObject({ status: 'sent', attempts: 2, providerId: expect.stringMatching(/^SM/) });
    expect(twilio.accepted).toHaveLength(1);
    expect(twilio.accepted[0]?.form.StatusCallback).toContain(`messageKey=${encodeURIComponent(key)}`);
    const told = statusEvents().filter((e) => e.subjectId === key);
    expect(told.map((e) => e.data)).toEqual([{ purpose: 'booked', status: 'sent', attempts: 2, language: 'pl' }]);
  });

  test('a 4xx for the number is recorded and not tried again', async () => {
    const key = await pendingConfirmation();
    twilio.script.push({
      status: 400,
      body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
    });
    expect(await deliverMessage(deps, { key })).toBe('rejected');
    expect(await record(key)).toMatchObject({ status: 'rejected', attempts: 1 });
    expect(await deliverMessage(deps, { key })).toBe('already_handled');
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.accepted).toEqual([]);
    expect(statusEvents().map((e) => [e.subjectId, e.data.status])).toEqual([[key, 'rejected']]);
  });
});

describe('the contact API', () => {
  let http: Awaited<ReturnType<typeof serve>>;
  let call: Call;

  afterEach(async () => {
    await http?.close();
  });

  test('refuses a landline naming the field, and stores a mobile number in E.164 with the language', async () => {
    await start('2026-01-12T08:00:00.000Z');
    http = await serve(system);
    call = client(http.url);
    const { patientId, token } = await system.newPatient();
    const path = `/api/booking/patients/${patientId}/contact`;
    const landline = await call('PUT', path, { token, body: { phone: '22 123 45 67' } });
    expect(landline.status).toBe(400);
    expect(landline.body.error).toMatchObject({ code: 'INVALID_PHONE', field: 'phone' });
    const ok = await call('PUT', path, { token, body: { phone: '600 700 800', language: 'uk' } });
    expect(ok.status).toBe(200);
    expect(ok.body.patient).toMatchObject({ phone: '+48600700800', language: 'uk' });
    const other = await system.newPatient();
    const refused = await call('PUT', `/api/booking/patients/${other.patientId}/contact`, { token, body: {} });
    expect(refused.status).toBe(403);
  });

  test('a booking through the API puts its confirmation, in the patient’s language, in the local outbox', async () => {
    await start('2026-01-12T08:00:00.000Z');
    http = await serve(system);
    call = client(http.url);
    const { patientId, token } = await system.newPatient();
    await call('PUT', `/api/booking/patients/${patientId}/contact`, {
      token,
      body: { phone: '+48 600 900 900', language: 'uk' },
    });
    const found = await call('GET', '/api/search?postalCode=00-950&vaccineId=comirnaty');
    const booked = await call('POST', '/api/booking/appointments', {
      token,
      body: { slotId: found.body.results[0].slots[0].slotId },
    });
    expect(booked.status).toBe(201);
    await settle();
    const outbox = await call('GET', `/dev-sms/messages?to=${encodeURIComponent('+48600900900')}`);
    expect(outbox.status).toBe(200);
    const confirmation = outbox.body.messages.find((m: SmsRecord) => m.purpose === 'booked');
    expect(confirmation).toMatchObject({ status: 'sent', language: 'uk', key: `booked:${booked.body.bookingId}` });
    expect(confirmation.body).toMatch(/^Записано на щеплення/);
    const bad = await call('GET', '/dev-sms/messages?to=12');
    expect(bad.body.error).toMatchObject({ code: 'INVALID_PHONE', field: 'to' });
  });
});
