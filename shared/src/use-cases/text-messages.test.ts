import { CentreDirectory } from '../centre-directory.ts';
import type { EventOf } from '../events.ts';
import type { Centre } from '../model.ts';
import { PostalCodes } from '../postal-codes.ts';
import { type SmsMessage, type SmsRecord, type SmsSender, smsRejected, smsUnavailable } from '../sms.ts';
import type { TaskQueue } from '../task-queue.ts';
import { aBirthYearRule, createMemorySystem, type MemorySystem } from '../testing/index.ts';
import { cancelAppointment } from './manage-appointments.ts';
import {
  DEFAULT_SMS_SETTINGS,
  deliverMessage,
  planMessagesFor,
  recordDeliveryReport,
  type SmsDeps,
} from './text-messages.ts';

/*
 * What became of each text message, told by `sms.status_changed` events written with the ledger's
 * change, on the in-memory store: each status once, whatever the provider, its reports or the
 * planner do twice.
 */

/** The provider: accepts, refuses for good or is out, as a test says; may report before it answers. */
class Provider implements SmsSender {
  answer: 'accept' | 'refuse' | 'outage' = 'accept';
  /** Runs before the provider answers, as a delivery report may arrive before the answer does. */
  beforeAnswer: ((message: SmsMessage) => Promise<void>) | null = null;
  async send(message: SmsMessage): Promise<{ providerId: string }> {
    if (this.answer === 'refuse') throw smsRejected(message.key, '21211', 'invalid number');
    if (this.answer === 'outage') throw smsUnavailable(message.key, 'provider answered 503');
    await this.beforeAnswer?.(message);
    return { providerId: `SM-${message.key}` };
  }
}

const tasks: TaskQueue = { schedule: async () => 'scheduled', cancel: async () => {} };

let system: MemorySystem;
let provider: Provider;
let deps: SmsDeps;
let centre: Centre;
let planned = 0;

beforeEach(async () => {
  system = createMemorySystem();
  provider = new Provider();
  deps = {
    ...system.deps,
    tasks,
    sms: provider,
    smsSettings: DEFAULT_SMS_SETTINGS,
    centres: new CentreDirectory(system.store, system.clock, PostalCodes.fromRows([]), 0, 0),
  };
  planned = 0;
  await system.addRule(aBirthYearRule(1970));
  centre = await system.addCentre();
});

/** Plans the messages of every event committed since the last call, as the SMS planner would. */
async function planMessages(): Promise<void> {
  const events = system.store.events();
  for (const event of events.slice(planned)) await planMessagesFor(deps, event);
  planned = events.length;
}

/** A course booked on Wednesday 14 January at 10:00, its messages planned: its visits and the confirmation's key. */
async function booked() {
  const [first, second] = await system.bookCourse(centre, '2026-01-14', '10:00');
  await planMessages();
  return { first, second, confirmation: `booked:${first.bookingId}` };
}

const told = (): Array<EventOf<'sms.status_changed'>> => system.store.eventsOfType('sms.status_changed');
const toldOf = (key: string) => told().filter((e) => e.subjectId === key);
const statusesOf = (key: string) => toldOf(key).map((e) => e.data.status);
const ledger = async (key: string) => (await system.store.runInTransaction((tx) => tx.getSmsMessage(key))) as SmsRecord;
const report = (key: string, status: string, errorCode: string | null = null) =>
  recordDeliveryReport(deps, { key, providerId: `SM-${key}`, status, errorCode });

describe('what became of a text message, told by events', () => {
  test('a message the provider accepts is told once as sent, with its purpose, attempts and language', async () => {
    const { confirmation } = await booked();

    expect(await deliverMessage(deps, { key: confirmation })).toBe('sent');
    expect(await deliverMessage(deps, { key: confirmation })).toBe('already_handled');

    expect(toldOf(confirmation)).toEqual([
      expect.objectContaining({
        type: 'sms.status_changed',
        subjectId: confirmation,
        actor: { role: 'system', id: 'sms-sender' },
        occurredAt: system.clock.now().toISOString(),
        data: { purpose: 'booked', status: 'sent', attempts: 1, language: 'pl' },
      }),
    ]);
  });

  test('no event tells a phone number or a word of the message', async () => {
    const { confirmation } = await booked();
    await deliverMessage(deps, { key: confirmation });
    await report(confirmation, 'undelivered', '30003');
    const { to, body } = await ledger(confirmation);

    const written = JSON.stringify(told());
    expect(told()).toHaveLength(2);
    expect(written).not.toContain(to.slice(3));
    for (const word of body.split(/\s+/).filter((w) => w.length > 6)) expect(written).not.toContain(word);
  });

  test('a refusal for good is told as rejected; an outage tells nothing until a retry is accepted', async () => {
    const { confirmation, first } = await booked();
    const reminder = `reminder:${first.id}:1`;
    provider.answer = 'refuse';
    expect(await deliverMessage(deps, { key: confirmation })).toBe('rejected');

    system.clock.set('2026-01-13T16:00:00.000Z'); // 17:00 in Warsaw, the day before the visit
    provider.answer = 'outage';
    await expect(deliverMessage(deps, { key: reminder })).rejects.toThrow('503');
    expect(statusesOf(reminder)).toEqual([]);
    provider.answer = 'accept';
    expect(await deliverMessage(deps, { key: reminder })).toBe('sent');

    expect(toldOf(confirmation).map((e) => e.data)).toEqual([
      { purpose: 'booked', status: 'rejected', attempts: 1, language: 'pl' },
    ]);
    expect(toldOf(reminder).map((e) => e.data)).toEqual([
      { purpose: 'reminder', status: 'sent', attempts: 2, language: 'pl' },
    ]);
  });

  test('each status a report brings is told once, however often or late the reports come', async () => {
    const { confirmation } = await booked();
    await deliverMessage(deps, { key: confirmation });

    await report(confirmation, 'delivered');
    await report(confirmation, 'delivered');
    await report(confirmation, 'sent');
    await report(confirmation, 'failed', '30008');

    expect(statusesOf(confirmation)).toEqual(['sent', 'delivered']);
    expect(toldOf(confirmation)[1]?.actor).toEqual({ role: 'system', id: 'sms-delivery-report' });
    expect(await ledger(confirmation)).toMatchObject({ status: 'delivered', error: null });
  });

  test('an undelivered or failed message is told with the provider’s word', async () => {
    const { confirmation, first } = await booked();
    const reminder = `reminder:${first.id}:1`;
    await deliverMessage(deps, { key: confirmation });
    system.clock.set('2026-01-13T16:00:00.000Z');
    await deliverMessage(deps, { key: reminder });

    await report(confirmation, 'undelivered', '30003');
    await report(reminder, 'FAILED', '30008');

    expect(statusesOf(confirmation)).toEqual(['sent', 'undelivered']);
    expect(statusesOf(reminder)).toEqual(['sent', 'failed']);
    expect(await ledger(reminder)).toMatchObject({ status: 'failed', error: 'provider error 30008' });
  });

  test('a report that comes before the provider’s answer tells the acceptance and the delivery; the answer adds nothing', async () => {
    const { confirmation } = await booked();
    provider.beforeAnswer = async (message) => {
      await report(message.key, 'delivered');
    };

    expect(await deliverMessage(deps, { key: confirmation })).toBe('sent');

    expect(statusesOf(confirmation)).toEqual(['sent', 'delivered']);
    expect(await ledger(confirmation)).toMatchObject({ status: 'delivered', providerId: `SM-${confirmation}` });
  });

  test('the reminder of a visit cancelled is told once as skipped, however often the cancellation is planned', async () => {
    const { first } = await booked();
    const reminder = `reminder:${first.id}:1`;
    const patient = { role: 'patient' as const, patientId: first.patientId };
    await cancelAppointment(deps, patient, { appointmentId: first.id });
    await planMessages();
    const cancelled = system.store.eventsOfType('appointment.cancelled');
    for (const event of cancelled) await planMessagesFor(deps, event);

    system.clock.set('2026-01-13T16:00:00.000Z');
    expect(await deliverMessage(deps, { key: reminder })).toBe('already_handled');

    expect(toldOf(reminder)).toEqual([
      expect.objectContaining({
        actor: { role: 'system', id: 'sms-planner' },
        data: { purpose: 'reminder', status: 'skipped', attempts: 0, language: 'pl' },
      }),
    ]);
  });

  test('a message whose visit changed before its task fired is skipped then, and told so', async () => {
    const { first, confirmation } = await booked();
    // Cancelled before the planner heard of it: the sender finds the confirmation no longer true.
    await cancelAppointment(deps, { role: 'patient', patientId: first.patientId }, { appointmentId: first.id });

    expect(await deliverMessage(deps, { key: confirmation })).toBe('skipped');
    expect(await deliverMessage(deps, { key: confirmation })).toBe('already_handled');

    expect(toldOf(confirmation)).toEqual([
      expect.objectContaining({
        actor: { role: 'system', id: 'sms-sender' },
        data: { purpose: 'booked', status: 'skipped', attempts: 0, language: 'pl' },
      }),
    ]);
  });
});
