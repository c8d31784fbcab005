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
