import {
  accessGrantExpiry,
  analyticsCutoff,
  idempotencyExpiry,
  outboxExpiry,
  RETENTION_DAYS,
  smsMessageExpiry,
  smsSessionExpiry,
} from './retention.ts';
import { aReminder } from './testing/builders.ts';
import { anEvent } from './testing/event-builders.ts';

describe('retention', () => {
  test('a ledger entry planned weeks ahead is kept until 14 days after it is due', () => {
    expect(smsMessageExpiry(aReminder())).toBe('2026-04-23T08:00:00.000Z');
  });

  test('a late delivery report moves the ledger entry’s end with it', () => {
    const reported = aReminder({
      status: 'delivered',
      sentAt: '2026-04-09T08:00:05.000Z',
      updatedAt: '2026-04-11T10:00:00.000Z',
    });

    expect(smsMessageExpiry(reported)).toBe('2026-04-25T10:00:00.000Z');
  });

  test('a ledger entry outlives twice the longest redelivery of the event that planned it', () => {
    const reply = aReminder({ sendAt: '2026-03-02T08:00:00.000Z', quietZone: null });
    const pubSubMaximumDays = 7;

    expect(Date.parse(smsMessageExpiry(reply)) - Date.parse(reply.createdAt)).toBeGreaterThanOrEqual(
      2 * pubSubMaximumDays * 86_400_000,
    );
  });

  test('an idempotency record goes a week after its request, an outbox event 30 days after it happened', () => {
    expect(idempotencyExpiry({ key: 'k', requestHash: 'h', response: {}, createdAt: '2026-03-02T08:00:00.000Z' })).toBe(
      '2026-03-09T08:00:00.000Z',
    );
    expect(outboxExpiry(anEvent('appointment.booked', {}, { occurredAt: '2026-03-02T08:00:00.000Z' }))).toBe(
      '2026-04-01T08:00:00.000Z',
    );
  });

  test('a conversation and an agent’s grant go when they expire', () => {
    expect(
      smsSessionExpiry({
        phone: '+48600100200',
        language: 'pl',
        pesel: '44051401359',
        postalCode: '00-001',
        offeredSlotId: null,
        declinedSlotIds: [],
        expiresAt: '2026-03-02T08:15:00.000Z',
        updatedAt: '2026-03-02T08:00:00.000Z',
      }),
    ).toBe('2026-03-02T08:15:00.000Z');
    expect(accessGrantExpiry({ agentId: 'agt-1', patientId: 'pat-1', until: '2026-03-02T08:30:00.000Z' })).toBe(
      '2026-03-02T08:30:00.000Z',
    );
  });

  test('analytics rows are kept three years', () => {
    expect(RETENTION_DAYS.analytics).toBeGreaterThanOrEqual(3 * 365);
    expect(analyticsCutoff(new Date('2029-03-02T00:00:00.000Z'))).toBe('2026-03-02T00:00:00.000Z');
  });
});
