import {
  bookAppointment,
  type DomainEvent,
  makeEvent,
  parseDomainEvent,
  planMessagesFor,
  RETENTION_DAYS,
  type SmsRecord,
  type SmsSession,
} from '@ereg/shared';
import { anEvent } from '@ereg/shared/testing';
import { RetentionPurge } from '../../src/adapters/sqlite/retention-purge.ts';
import { aBirthYearRule } from '../support/builders.ts';
import { createTestSystem, type TestSystem } from '../support/test-system.ts';

/*
 * The embedded default's retention purge: what has outlived its retention goes, what can still be
 * needed stays — above all a message ledger entry whose key could still be planned again.
 */

const T0 = '2026-01-12T08:00:00.000Z'; // Monday 09:00 in Warsaw
const DAY_MS = 86_400_000;
const later = (days: number, from = T0) => new Date(Date.parse(from) + days * DAY_MS).toISOString();

let system: TestSystem;

beforeEach(async () => {
  system = await createTestSystem({ now: T0 });
});

afterEach(async () => {
  await system?.close();
});

const count = (sql: string, ...params: string[]): number => (system.db.prepare(sql).get(...params) as { n: number }).n;

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await system.dispatcher.drain();
    await system.sms.runner.runDue();
  }
}

const aSession = (phone: string, expiresAt: string): SmsSession => ({
  phone,
  language: 'pl',
  pesel: '44051401359',
  postalCode: '00-001',
  offeredSlotId: null,
  declinedSlotIds: [],
  expiresAt,
  updatedAt: T0,
});

const aRecord = (key: string, at: string): SmsRecord => ({
  key,
  purpose: 'reply',
  to: '+48600100200',
  body: 'Odpowiedz',
  language: 'pl',
  patientId: 'pat-1',
  validWhile: [],
  quietZone: null,
  sendAt: at,
  status: 'sent',
  attempts: 1,
  providerId: 'SM1',
  error: null,
  createdAt: at,
  updatedAt: at,
  sentAt: at,
});

describe('the local retention purge', () => {
  test('expired conversations, idempotency records and agents’ grants go; live ones stay', async () => {
    await system.store.runInTransaction(async (tx) => {
      tx.putSmsSession(aSession('+48600000001', later(0.01)));
      tx.putSmsSession(aSession('+48600000002', later(2)));
      tx.putAccessGrant({ agentId: 'agt-1', patientId: 'pat-1', until: later(0.02) });
      tx.putAccessGrant({ agentId: 'agt-1', patientId: 'pat-2', until: later(2) });
      tx.putIdempotency({ key: 'old', requestHash: 'h', response: {}, createdAt: T0 });
      tx.putIdempotency({ key: 'new', requestHash: 'h', response: {}, createdAt: later(6) });
    });
    system.clock.set(later(1));

    const report = await system.retention.purge();

    expect(report).toMatchObject({ smsSessions: 1, accessGrants: 1, idempotency: 0 });
    const read = await system.store.runInTransaction(async (tx) => ({
      gone: await tx.getSmsSession('+48600000001'),
      kept: await tx.getSmsSession('+48600000002'),
      expiredGrant: await tx.getAccessGrant('agt-1', 'pat-1'),
      liveGrant: await tx.getAccessGrant('agt-1', 'pat-2'),
    }));
    expect(read).toMatchObject({ gone: null, kept: { postalCode: '00-001' }, expiredGrant: null });
    expect(read.liveGrant).not.toBeNull();

    system.clock.set(later(8));
    expect(await system.retention.purge()).toMatchObject({ idempotency: 1 });
    expect(await system.store.runInTransaction((tx) => tx.getIdempotency('old'))).toBeNull();
    expect(await system.store.runInTransaction((tx) => tx.getIdempotency('new'))).not.toBeNull();
  });

  test('hotline sign-ins past their end and counts of windows that are over go; current ones stay', async () => {
    const agent = { role: 'agent' as const, id: 'agt-1' };
    const aTally = (key: string, expiresAt: string) => ({ key, count: 3, agents: [], alerted: false, expiresAt });
    await system.store.runInTransaction(async (tx) => {
      // Signed in ten hours before T0: the sign-in ended at T0.
      tx.putHotlineSession({
        id: 'sid-ended',
        actor: agent,
        startedAt: later(-10 / 24),
        lastSeenAt: later(-1 / 24),
        expiresAt: T0,
      });
      tx.putHotlineSession({
        id: 'sid-live',
        actor: agent,
        startedAt: later(-1 / 24),
        lastSeenAt: T0,
        expiresAt: later(9 / 24),
      });
      // An hour two days ago (kept a day after it ended), and the hour now.
      tx.putTally(aTally('budget:agt-1:old', later(-1)));
      tx.putTally(aTally('budget:agt-1:now', later(1 + 1 / 24)));
    });
    system.clock.set(later(1 / 24 / 60));

    expect(await system.retention.purge()).toMatchObject({ hotlineSessions: 1, lookupTallies: 1 });
    const read = await system.store.runInTransaction(async (tx) => ({
      ended: await tx.getHotlineSession('sid-ended'),
      live: await tx.getHotlineSession('sid-live'),
      oldHour: await tx.getTally('budget:agt-1:old'),
      thisHour: await tx.getTally('budget:agt-1:now'),
    }));
    expect(read).toEqual({
      ended: null,
      live: expect.objectContaining({ id: 'sid-live', lastSeenAt: T0 }),
      oldHour: null,
      thisHour: expect.objectContaining({ key: 'budget:agt-1:now', count: 3 }),
    });
    expect(count('SELECT count(*) AS n FROM hotline_sessions')).toBe(1);
    expect(count('SELECT count(*) AS n FROM lookup_tallies')).toBe(1);
  });

  test('a phone’s count of people booked for by text goes two days after its day began', async () => {
    await system.store.runInTransaction(async (tx) => {
      tx.putSmsPhoneDay({ phone: '+48600000003', date: '2026-01-10', pesels: ['44051401359'], updatedAt: T0 });
      tx.putSmsPhoneDay({ phone: '+48600000003', date: '2026-01-11', pesels: ['44051401359'], updatedAt: T0 });
    });

    // T0 is 12 January, 08:00 UTC: the 10th began two days and eight hours ago, the 11th one day ago.
    expect(await system.retention.purge()).toMatchObject({ smsPhoneDays: 1 });
    const read = await system.store.runInTransaction(async (tx) => ({
      gone: await tx.getSmsPhoneDay('+48600000003', '2026-01-10'),
      kept: await tx.getSmsPhoneDay('+48600000003', '2026-01-11'),
    }));
    expect(read).toEqual({ gone: null, kept: expect.objectContaining({ pesels: ['44051401359'] }) });
  });

  test('a booking’s messages stay while their keys can be planned again, each still sent once; then they go whole', async () => {
    await system.addRule(aBirthYearRule(1970));
    const centre = await system.addCentre();
    const { patientId } = await system.newPatient();
    const slot = (await system.store.listSlotsOfCentreDay(centre.id, '2026-01-13')).find((s) => s.booked === 0);
    const booking = await bookAppointment(
      system.deps,
      { role: 'patient', patientId },
      { patientId, slotId: slot?.id as string, idempotencyKey: null },
    );
    await settle();
    const confirmationKey = `booked:${booking.bookingId}`;
    const received = async () =>
      (await system.sms.phone.listReceived('+48600100200')).filter((m) => m.key === confirmationKey);
    expect(await received()).toHaveLength(1);
    const ledger = () => system.store.listSmsMessages({ limit: 100, to: '+48600100200' });
    const planned = (await ledger()).length;
    expect(planned).toBeGreaterThan(0);

    // Ten days on: within twice the longest redelivery, every entry stays, and a redelivered booking
    // event plans nothing new and sends nothing again.
    system.clock.set(later(10));
    await system.retention.purge();
    expect(await ledger()).toHaveLength(planned);
    const booked = (
      system.db.prepare("SELECT data FROM outbox WHERE type = 'appointment.booked'").all() as Array<{
        data: string;
      }>
    ).map((row) => parseDomainEvent(JSON.parse(row.data)));
    for (const event of booked) await planMessagesFor(system.sms.deps, event);
    await settle();
    expect(await received()).toHaveLength(1);

    // A month on, past the visits and every message's last moment by more than 14 days: the entries
    // go whole, number and text with them, and the local phone forgets them too.
    system.clock.set(later(40));
    const report = await system.retention.purge();
    expect(report.smsMessages).toBe(planned);
    expect(await ledger()).toEqual([]);
    expect(count("SELECT count(*) AS n FROM sms_messages WHERE data LIKE '%600100200%'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM sms_phone WHERE to_phone = '+48600100200'")).toBe(0);
  });

  test('a ledger entry stays while an event from before it still waits for a consumer', async () => {
    await system.dispatcher.drain();
    const waiting: DomainEvent = makeEvent(
      'evt-waiting',
      'patient.contact_changed',
      new Date(T0),
      { role: 'patient', id: 'pat-1' },
      'pat-1',
      {
        patientId: 'pat-1',
        hasPhone: true,
        language: 'pl',
      },
    );
    await system.store.runInTransaction(async (tx) => {
      tx.addEvent(waiting);
    });
    await system.store.runInTransaction(async (tx) => {
      tx.putSmsMessage(aRecord('reply:SM-after', later(0.001)));
    });
    system.clock.set(later(20));

    expect((await system.retention.purge()).smsMessages).toBe(0);
    expect(await system.store.runInTransaction((tx) => tx.getSmsMessage('reply:SM-after'))).not.toBeNull();

    await system.dispatcher.drain();
    expect((await system.retention.purge()).smsMessages).toBe(1);
    expect(await system.store.runInTransaction((tx) => tx.getSmsMessage('reply:SM-after'))).toBeNull();
  });

  test('outbox events every consumer has passed go after 30 days with their handled marks; one not delivered stays', async () => {
    await system.addCentre();
    const delivered = count('SELECT count(*) AS n FROM outbox');
    expect(delivered).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM processed_events')).toBeGreaterThan(0);
    system.clock.set(later(RETENTION_DAYS.outbox - 1));
    expect((await system.retention.purge()).outbox).toBe(0);

    await system.store.runInTransaction(async (tx) => {
      tx.addEvent(anEvent('centre.onboarded', {}, { id: 'evt-undelivered', occurredAt: T0 }));
    });
    system.clock.set(later(RETENTION_DAYS.outbox + 1));

    expect((await system.retention.purge()).outbox).toBe(delivered);
    expect(
      system.db
        .prepare('SELECT id FROM outbox')
        .all()
        .map((row) => ({ ...row })),
    ).toEqual([{ id: 'evt-undelivered' }]);
    expect(count('SELECT count(*) AS n FROM processed_events')).toBe(0);
  });

  test('analytics rows go after three years, and rows written before stripping lose birth dates and reasons', async () => {
    const insert = system.db.prepare(
      `INSERT INTO report_events (event_id, type, occurred_at, subject_id, actor_role, data)
       VALUES (?, ?, ?, 'x', 'system', ?)`,
    );
    insert.run('evt-ancient', 'slots.published', '2022-01-01T00:00:00.000Z', '{}');
    insert.run('evt-reg', 'patient.registered', T0, '{"patientId":"pat-1","birthDate":"1950-04-02","sex":"female"}');
    insert.run('evt-cancel', 'appointment.cancelled', T0, '{"appointmentId":"apt-1","reason":"Anna Nowak is ill"}');
    insert.run('evt-day', 'centre.day_cancelled', T0, '{"centreId":"ctr-1","reason":"power cut"}');
    insert.run('evt-rule', 'eligibility.rule_added', T0, '{"id":"r","kind":"group","description":"for Dr Kowalski"}');
    insert.run('evt-kept', 'appointment.booked', T0, '{"appointmentId":"apt-1","reason":"not a reason field"}');

    const report = await system.retention.purge();

    expect(report).toMatchObject({ reportEvents: 1, reportEventsStripped: 4 });
    const data = Object.fromEntries(
      (
        system.db.prepare('SELECT event_id, data FROM report_events').all() as Array<{ event_id: string; data: string }>
      ).map((row) => [row.event_id, JSON.parse(row.data)]),
    );
    expect(data).toEqual({
      'evt-reg': { patientId: 'pat-1', sex: 'female', birthYear: 1950 },
      'evt-cancel': { appointmentId: 'apt-1' },
      'evt-day': { centreId: 'ctr-1' },
      'evt-rule': { id: 'r', kind: 'group' },
      'evt-kept': { appointmentId: 'apt-1', reason: 'not a reason field' },
    });
    expect((await system.retention.purge()).reportEventsStripped).toBe(0);
  });

  test('one purge deletes at most its batches per table, and the next goes on from there', async () => {
    await system.store.runInTransaction(async (tx) => {
      for (let i = 0; i < 25; i++) tx.putSmsSession(aSession(`+486000001${String(i).padStart(2, '0')}`, later(0.01)));
    });
    system.clock.set(later(1));
    const purge = new RetentionPurge(system.store, system.clock, { batch: 10, maxBatches: 2, log: () => {} });

    expect((await purge.purge()).smsSessions).toBe(20);
    expect(count('SELECT count(*) AS n FROM sms_sessions')).toBe(5);
    expect((await purge.purge()).smsSessions).toBe(5);
    expect(count('SELECT count(*) AS n FROM sms_sessions')).toBe(0);
  });
});
