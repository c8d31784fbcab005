import type { Instant, Language, LocalDate } from './model.ts';

/** One text message. `key` identifies it (appointment, purpose, version): a key is sent at most once. */
export interface SmsMessage {
  key: string;
  /** E.164 phone number, e.g. +48600100200. */
  to: string;
  body: string;
}

/**
 * Hands text messages to a provider. Once-only delivery is the caller's message ledger's job: a sender
 * may send again when called again with the same key.
 */
export interface SmsSender {
  /** Answers the provider's id of the accepted message; fails with an SmsRejected or SmsUnavailable error. */
  send(message: SmsMessage): Promise<{ providerId: string }>;
}

/**
 * The provider refused the message for good (invalid number, unsubscribed recipient): record it, do not
 * retry. Recognised by `name` (see `isSmsRejected`), so that any sender can raise it without sharing a class.
 */
export interface SmsRejected extends Error {
  readonly name: 'SmsRejected';
  readonly key: string;
  /** The provider's error code when it gave one (Twilio's 21211 for an invalid number). */
  readonly providerCode: string | null;
}

/** The provider could not be reached or failed on its side (5xx, 429, timeout): retry later with backoff. */
export interface SmsUnavailable extends Error {
  readonly name: 'SmsUnavailable';
  readonly key: string;
}

export function smsRejected(key: string, providerCode: string | null, message: string, cause?: unknown): SmsRejected {
  return Object.assign(new Error(message, { cause }), { name: 'SmsRejected' as const, key, providerCode });
}

export function smsUnavailable(key: string, message: string, cause?: unknown): SmsUnavailable {
  return Object.assign(new Error(message, { cause }), { name: 'SmsUnavailable' as const, key });
}

export function isSmsRejected(error: unknown): error is SmsRejected {
  return error instanceof Error && error.name === 'SmsRejected' && typeof (error as SmsRejected).key === 'string';
}

export function isSmsUnavailable(error: unknown): error is SmsUnavailable {
  return error instanceof Error && error.name === 'SmsUnavailable' && typeof (error as SmsUnavailable).key === 'string';
}

/**
 * Why a message is sent; part of its key. `booked_by_text`: the notice to a person's own phone that
 * someone booked a visit for them by text message.
 */
export type SmsPurpose =
  | 'booked'
  | 'later_dose'
  | 'moved'
  | 'cancelled'
  | 'reminder'
  | 'reply'
  | 'booked_by_text'
  // The waiting room
  | 'queue_turn'
  // The standby list
  | 'standby_offer'
  | 'standby_expired'
  | 'standby_paused';

/**
 * Where a message stands. `pending`: planned, waiting for its time; `sending`: handed to the provider
 * (claimed: never handed over again); `retrying`: the provider failed on its side, it will be tried
 * again; `sent`: accepted by the provider; `delivered` / `undelivered` / `failed`: the provider's
 * delivery report; `rejected`: refused for good (invalid number); `skipped`: no longer true when its
 * time came (the visit was cancelled or moved).
 */
export type SmsStatus =
  | 'pending'
  | 'sending'
  | 'retrying'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'rejected'
  | 'skipped';

/**
 * The statuses an `sms.status_changed` event tells: what became of a message for the people counting
 * them (`pending`, `sending` and `retrying` are the sender's own business).
 */
export type SmsOutcome = Extract<SmsStatus, 'sent' | 'delivered' | 'undelivered' | 'failed' | 'rejected' | 'skipped'>;

/** One text message in the message ledger, by its key: what, to whom, when, and what became of it. */
export interface SmsRecord {
  /** `<purpose>:<subject>[:<version>]`, e.g. `reminder:apt_1:2`; sent at most once. */
  key: string;
  purpose: SmsPurpose;
  /** E.164. */
  to: string;
  body: string;
  language: Language;
  patientId: string | null;
  /** The message is true only while each of these appointments is booked at this version. */
  validWhile: Array<{ appointmentId: string; version: number }>;
  /** IANA zone whose quiet hours apply; null for a reply, which is sent at once. */
  quietZone: string | null;
  /** When it should go (already moved out of quiet hours). */
  sendAt: Instant;
  status: SmsStatus;
  attempts: number;
  providerId: string | null;
  /** The last failure, or why it was skipped. */
  error: string | null;
  createdAt: Instant;
  updatedAt: Instant;
  sentAt: Instant | null;
}

/**
 * A booking conversation over SMS with one phone number. It names the person by PESEL only: their
 * record is created when a slot is booked, not when someone texts a PESEL.
 */
export interface SmsSession {
  /** E.164 of the person texting. */
  phone: string;
  language: Language;
  /** Whom the phone is booking for. */
  pesel: string;
  postalCode: string;
  /** The slot last proposed, waiting for YES or NO. */
  offeredSlotId: string | null;
  /** Slots the person said NO to. */
  declinedSlotIds: string[];
  expiresAt: Instant;
  updatedAt: Instant;
}

/**
 * The people one phone asked to book for over SMS on one local day (the country's calendar), counted
 * against `SmsSettings.peoplePerPhonePerDay`: a household's worth, not a list of strangers.
 */
export interface SmsPhoneDay {
  /** E.164. */
  phone: string;
  date: LocalDate;
  /** The PESELs the phone started a booking for that day, each once, in the order they came. */
  pesels: string[];
  updatedAt: Instant;
}
