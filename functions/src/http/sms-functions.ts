import {
  deliverMessage,
  forbidden,
  invalid,
  type RateLimits,
  receiveText,
  recordDeliveryReport,
  type SmsDeps,
} from '@ereg/shared';
import { z } from 'zod';
import { type LogSink, logWithoutAnswer } from './error-response.ts';
import type { ApiRequest, HttpFunction } from './http-types.ts';
import { bindRoutes, createRouter, Reply, type RouteDef } from './router.ts';

export interface WebhookTrust {
  /** The public URL of the `sms` function as Twilio calls it (without a trailing slash). */
  publicUrl: (request: ApiRequest) => string;
  /** Checks Twilio's signature of a request to `url` with these form parameters. */
  verify(url: string, params: Record<string, string>, signature: string | undefined): boolean;
}

// Twilio posts more fields than these; the ones not named here are not read (but are signed).
const required = z.string().min(1);

/** Twilio's webhooks, as routes of the `sms` function. */
export const SMS_WEBHOOK_ROUTES = {
  inbound: {
    method: 'POST',
    path: '/inbound',
    body: z.object({ MessageSid: required, From: required, Body: z.string().default('') }),
  },
  status: {
    method: 'POST',
    path: '/status',
    // The message key is in the callback URL we gave Twilio when sending.
    query: z.object({ messageKey: required }),
    body: z.object({ MessageSid: z.string().optional(), MessageStatus: required, ErrorCode: z.string().optional() }),
  },
} as const satisfies Record<string, RouteDef>;

/** The send tasks' target: the `smsTasks` function's one route. */
export const SMS_TASK_ROUTES = {
  send: {
    method: 'POST',
    path: '/',
    body: z.object({ key: required, hop: z.number().int().min(0).default(0) }),
  },
} as const satisfies Record<string, RouteDef>;

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = () => new Reply({ status: 200, body: TWIML_EMPTY, headers: { 'content-type': 'text/xml' } });

function formOf(request: ApiRequest): Record<string, string> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('INVALID_FORM', 'The request must be a form (application/x-www-form-urlencoded).');
  }
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') form[name] = value;
  return form;
}

export interface SmsWebhookOptions {
  log?: LogSink | undefined;
  /** The per-phone limits of texts received (class `sms`); without them nothing is limited. */
  limits?: RateLimits | undefined;
}

/**
 * Twilio's webhooks: `POST /inbound` (a text someone sent us: the SMS booking conversation; the
 * reply goes out through the message ledger, so the answer here is empty TwiML) and `POST /status`
 * (a delivery report). Every request must carry Twilio's signature over the public URL and the form.
 * A text from a phone past its limits is answered to Twilio as taken (200, empty TwiML: a 429 would
 * only make Twilio retry, and the sender cannot read it) but starts nothing and gets no reply; the
 * refusal is logged and counted.
 */
export function buildSmsWebhooks(deps: SmsDeps, trust: WebhookTrust, options: SmsWebhookOptions = {}): HttpFunction {
  const { log, limits } = options;
  const guard = (request: ApiRequest) => {
    const form = formOf(request);
    const query = new URLSearchParams(request.query).toString();
    const url = `${trust.publicUrl(request)}${request.path}${query ? `?${query}` : ''}`;
    if (!trust.verify(url, form, request.headers['x-twilio-signature'])) {
      throw forbidden('INVALID_SIGNATURE', 'The request does not carry a valid Twilio signature.');
    }
  };
  const routes = bindRoutes(SMS_WEBHOOK_ROUTES, {
    inbound: async ({ body }) => {
      const refused = await limits?.check('sms', 'identity', body.From.trim());
      if (refused) {
        limits?.refusals.count(refused);
        logWithoutAnswer(refused, { route: 'sms POST /inbound', log });
        return twiml();
      }
      await receiveText(deps, { from: body.From, body: body.Body, providerMessageId: body.MessageSid });
      return twiml();
    },
    status: async ({ query, body }) => {
      await recordDeliveryReport(deps, {
        key: query.messageKey,
        providerId: body.MessageSid ?? null,
        status: body.MessageStatus,
        errorCode: body.ErrorCode || null,
      });
      return twiml();
    },
  });
  return createRouter(routes, { surface: 'sms', guard, log });
}

/**
 * The target of the send-message tasks (Cloud Tasks posts `{ key, hop }`). Deployed private: only
 * the tasks' service account may invoke it, which the platform checks before the request arrives.
 * A provider failure answers 503 (the error mapper's), so the queue tries again with its backoff.
 */
export function buildSmsTaskTarget(deps: SmsDeps, log?: LogSink): HttpFunction {
  const routes = bindRoutes(SMS_TASK_ROUTES, {
    send: async ({ body }) => ({ outcome: await deliverMessage(deps, { key: body.key, hop: body.hop }) }),
  });
  return createRouter(routes, { surface: 'smsTasks', log });
}
