import type { DomainEvent } from './events.ts';
import type { AccessGrant, IdempotencyRecord, Instant } from './model.ts';
import type { SmsPhoneDay, SmsRecord, SmsSession } from './sms.ts';

const DAY_MS = 86_400_000;

/**
 * How long records are kept after their last use (the reasons: docs/data-inventory.md). Firestore
 * deletes them by TTL policies on the `expireAt` its adapter writes; the embedded default's purge
 * deletes them from SQLite by the same instants.
 */
export const RETENTION_DAYS = {
  /** A request retried within a week still gets the first answer; after that it is a new request. */
  idempotency: 7,
  /**
   * A message ledger entry after its last moment (created, due, sent, last report). Twice the longest
   * an event can still be redelivered (Pub/Sub keeps an unacknowledged message at most 7 days), so a
   * key is never planned again once its entry is gone; delivery reports come within hours.
   */
  smsMessage: 14,
  /** An outbox event after it happened: Pub/Sub has long delivered it; kept for re-driving after an incident. */
  outbox: 30,
  /**
   * A phone's count of people it booked for by text, after its day: the limit is per day, so the list
   * of PESELs (personal data of strangers, possibly) is kept only until the day is surely over in
   * every zone.
   */
  smsPhoneDay: 2,
  /** An analytics row (BigQuery partition, local report table): a campaign, the next season and its review. */
  analytics: 1096,
} as const;

const plusDays = (instant: Instant, days: number): Instant =>
  new Date(Date.parse(instant) + days * DAY_MS).toISOString();

const latest = (instants: Array<Instant | null>): Instant =>
  instants.reduce<Instant>((a, b) => (b !== null && Date.parse(b) > Date.parse(a) ? b : a), instants[0] ?? '');

/** When a ledger entry may go: its last moment plus the ledger's retention; rewritten with each status change. */
export function smsMessageExpiry(record: SmsRecord): Instant {
  return plusDays(
    latest([record.createdAt, record.sendAt, record.updatedAt, record.sentAt]),
    RETENTION_DAYS.smsMessage,
  );
}

/** When an idempotency record may go: a week after the request it answers. */
export function idempotencyExpiry(record: IdempotencyRecord): Instant {
  return plusDays(record.createdAt, RETENTION_DAYS.idempotency);
}

/** An SMS conversation is over when it expires: an expired one reads as none. */
export function smsSessionExpiry(session: SmsSession): Instant {
  return session.expiresAt;
}

/** When a phone's day of SMS bookings may go: two days after that local date began. */
export function smsPhoneDayExpiry(day: SmsPhoneDay): Instant {
  return plusDays(`${day.date}T00:00:00.000Z`, RETENTION_DAYS.smsPhoneDay);
}

/** An agent's grant is worth nothing after `until`: an expired one reads as none. */
export function accessGrantExpiry(grant: AccessGrant): Instant {
  return grant.until;
}

/** When an outbox event may go from the operational store (its analytics row stays longer). */
export function outboxExpiry(event: DomainEvent): Instant {
  return plusDays(event.occurredAt, RETENTION_DAYS.outbox);
}

/** The oldest analytics row still kept at a moment: older ones are deleted. */
export function analyticsCutoff(now: Date): Instant {
  return new Date(now.getTime() - RETENTION_DAYS.analytics * DAY_MS).toISOString();
}
