import {
  deliverMessage,
  forbidden,
  invalid,
  isSmsUnavailable,
  receiveText,
  recordDeliveryReport,
  type SmsDeps,
} from '@ereg/shared';
import { errorResponse } from './error-response.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from './http-types.ts';

export interface WebhookTrust {
  /** The public URL of the `sms` function as Twilio calls it (without a trailing slash). */
  publicUrl: (request: ApiRequest) => string;
  /** Checks Twilio's signature of a request to `url` with these form parameters. */
  verify(url: string, params: Record<string, string>, signature: string | undefined): boolean;
}

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = (): ApiResponse => ({ status: 200, body: TWIML_EMPTY, headers: { 'content-type': 'text/xml' } });

function formOf(request: ApiRequest): Record<string, string> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('INVALID_FORM', 'The request must be a form (application/x-www-form-urlencoded).');
  }
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') form[name] = value;
  return form;
}

function required(form: Record<string, string>, name: string): string {
  const value = form[name];
  if (!value) throw invalid('FIELD_REQUIRED', `${name} is missing.`, name);
  return value;
}

/**
 * Twilio's webhooks: `POST /inbound` (a text someone sent us: the SMS booking conversation; the
 * reply goes out through the message ledger, so the answer here is empty TwiML) and `POST /status`
 * (a delivery report; the message key is in the callback's query string). Every request must carry
 * Twilio's signature over the public URL and the form.
 */
export function buildSmsWebhooks(deps: SmsDeps, trust: WebhookTrust): HttpFunction {
  return async (request) => {
    try {
      if (request.method !== 'POST') throw invalid('METHOD_NOT_ALLOWED', 'Twilio posts to this function.');
      const form = formOf(request);
      const query = new URLSearchParams(request.query).toString();
      const url = `${trust.publicUrl(request)}${request.path}${query ? `?${query}` : ''}`;
      if (!trust.verify(url, form, request.headers['x-twilio-signature'])) {
        throw forbidden('INVALID_SIGNATURE', 'The request does not carry a valid Twilio signature.');
      }
      if (request.path === '/inbound') {
        await receiveText(deps, {
          from: required(form, 'From'),
          body: form.Body ?? '',
          providerMessageId: required(form, 'MessageSid'),
        });
        return twiml();
      }
      if (request.path === '/status') {
        const key = request.query.messageKey;
        if (!key) throw invalid('FIELD_REQUIRED', 'messageKey is missing from the callback URL.', 'messageKey');
        await recordDeliveryReport(deps, {
          key,
          providerId: form.MessageSid ?? null,
          status: required(form, 'MessageStatus'),
          errorCode: form.ErrorCode || null,
        });
        return twiml();
      }
      return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.path}.` } } };
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * The target of the send-message tasks (Cloud Tasks posts `{ key, hop }`). Deployed private: only
 * the tasks' service account may invoke it, which the platform checks before the request arrives.
 * A provider failure answers 503, so the queue tries again with its backoff.
 */
export function buildSmsTaskTarget(deps: SmsDeps): HttpFunction {
  return async (request) => {
    try {
      const body = request.body as { key?: unknown; hop?: unknown } | undefined;
      if (request.method !== 'POST' || typeof body?.key !== 'string') {
        throw invalid('FIELD_REQUIRED', 'Post { "key": <message key> }.', 'key');
      }
      const hop = typeof body.hop === 'number' ? body.hop : 0;
      const outcome = await deliverMessage(deps, { key: body.key, hop });
      return { status: 200, body: { outcome } };
    } catch (error) {
      if (isSmsUnavailable(error)) {
        return { status: 503, body: { error: { code: 'SMS_PROVIDER_UNAVAILABLE', message: error.message } } };
      }
      return errorResponse(error);
    }
  };
}
