import {
  type SmsMessage,
  type SmsRejected,
  type SmsSender,
  type SmsUnavailable,
  smsRejected,
  smsUnavailable,
} from '@ereg/shared';
import twilio from 'twilio';
import { logger } from '../../observability/logger.ts';
import { inSpan, SpanKind } from '../../observability/trace-context.ts';

export interface TwilioSmsConfig {
  /** The Messaging Service (MG…) that picks the sender: short code, alphanumeric id or number pool. */
  messagingServiceSid: string;
  /** Where Twilio posts delivery status; the message key is added as the `messageKey` query parameter. */
  statusCallback: string;
}

export interface TwilioClientConfig {
  accountSid: string;
  authToken: string;
  /** Another origin for the REST API (a local stand-in in tests); Twilio's own when not given. */
  baseUrl?: string;
  /** Per-request timeout in ms (default 10 s). */
  timeoutMs?: number;
}

/** The one call the adapter makes: a Twilio client, or a stand-in. */
export type MessagesApi = Pick<twilio.Twilio, 'messages'>;

type RequestOptions<TData> = Omit<Parameters<twilio.RequestClient['request']>[0], 'data'> & { data?: TData };

/** Sends every request to `baseUrl` instead of https://api.twilio.com, keeping path, query and auth. */
class RedirectingRequestClient extends twilio.RequestClient {
  private readonly baseUrl: URL;

  constructor(baseUrl: string, timeoutMs: number) {
    super({ timeout: timeoutMs });
    this.baseUrl = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    uri.protocol = this.baseUrl.protocol;
    uri.host = this.baseUrl.host;
    return super.request<TData>({ ...opts, uri: uri.href });
  }
}

/** A Twilio REST client; with `baseUrl` every request goes to that origin (the only way to test at the wire). */
export function createTwilioClient(config: TwilioClientConfig): twilio.Twilio {
  const timeoutMs = config.timeoutMs ?? 10_000;
  const httpClient = config.baseUrl
    ? new RedirectingRequestClient(config.baseUrl, timeoutMs)
    : new twilio.RequestClient({ timeout: timeoutMs });
  return twilio(config.accountSid, config.authToken, { httpClient });
}

/** HTTP statuses that say "try again later" rather than "this message will never go". */
const RETRYABLE_STATUSES = new Set([
  401, // bad credentials: a configuration fault; the message itself is fine
  403,
  404, // unknown account or Messaging Service: configuration again
  408,
  409,
  429,
]);

/**
 * SMS through Twilio's Messages API with a Messaging Service and a status callback.
 *
 * Once-only: Twilio's Messages API has no idempotency key, so a repeated `send` sends again. The
 * adapter keeps no record of its own (one process's memory would not survive a restart or cover the
 * next instance); the caller's message ledger (issue 5) records each key before and after sending and
 * never hands the same key to `send` twice once Twilio has accepted it. The key travels in the status
 * callback URL (`messageKey`), so delivery reports find their ledger entry.
 *
 * Failures: a 4xx about the message (21211 invalid number, 21610 unsubscribed recipient, 21408 region
 * not enabled…) → `SmsRejected`, permanent, to be recorded and not retried. 5xx, 429, timeouts, network
 * errors, and 401/403/404 (wrong credentials or Messaging Service: every message would fail until the
 * configuration is fixed, so none is given up) → `SmsUnavailable`, to be retried with backoff.
 */
export class TwilioSms implements SmsSender {
  private readonly client: MessagesApi;
  private readonly config: TwilioSmsConfig;

  constructor(client: MessagesApi, config: TwilioSmsConfig) {
    this.client = client;
    this.config = config;
  }

  statusCallbackFor(key: string): string {
    const url = new URL(this.config.statusCallback);
    url.searchParams.set('messageKey', key);
    return url.href;
  }

  /** Sends in a span of the task's trace, with a line saying what Twilio answered (never the number or the text). */
  send(message: SmsMessage): Promise<{ providerId: string }> {
    const attributes = { 'rpc.system': 'twilio', 'ereg.sms.key': message.key };
    return inSpan('twilio.messages.create', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const started = performance.now();
      const fields = { messageKey: message.key, latencyMs: 0 };
      try {
        const sent = await this.client.messages.create({
          to: message.to,
          body: message.body,
          messagingServiceSid: this.config.messagingServiceSid,
          statusCallback: this.statusCallbackFor(message.key),
        });
        fields.latencyMs = Math.round(performance.now() - started);
        span.setAttribute('ereg.sms.provider_id', sent.sid);
        logger.info(`Twilio took message ${message.key} as ${sent.sid}.`, { ...fields, providerId: sent.sid });
        return { providerId: sent.sid };
      } catch (error) {
        const refused = classify(message.key, error);
        fields.latencyMs = Math.round(performance.now() - started);
        logger.warn(`Twilio did not take message ${message.key}.`, { ...fields, error: refused });
        throw refused;
      }
    });
  }
}

function classify(key: string, error: unknown): SmsRejected | SmsUnavailable {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  const text = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number' && status >= 400 && status < 500 && !RETRYABLE_STATUSES.has(status)) {
    const providerCode = typeof code === 'number' || typeof code === 'string' ? String(code) : null;
    return smsRejected(
      key,
      providerCode,
      `Twilio refused message ${key} (${status} ${providerCode ?? ''}): ${text}`,
      error,
    );
  }
  const what = typeof status === 'number' ? `answered ${status}` : 'could not be reached';
  return smsUnavailable(key, `Twilio ${what} for message ${key}: ${text}`, error);
}
