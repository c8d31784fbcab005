import { normalizeMobile, type SmsDeps } from '@ereg/shared';
import { z } from 'zod';
import type { LocalSms } from '../adapters/sqlite/local-sms.ts';
import type { TaskRunner } from '../adapters/sqlite/sqlite-task-queue.ts';
import { twilioSignature } from '../adapters/twilio/twilio-signature.ts';
import type { LogSink } from '../http/error-response.ts';
import type { HttpFunction } from '../http/http-types.ts';
import { bindRoutes, createRouter, Reply, type RouteDef } from '../http/router.ts';

/** The short number people text in the local system (what Twilio calls `To`). */
export const LOCAL_SHORT_NUMBER = '+48800100200';

/** What the local server needs of the SMS side: the webhooks, the phone, the ledger and the runner. */
export interface LocalSmsSurface {
  deps: SmsDeps;
  phone: LocalSms;
  runner: TaskRunner;
  webhooks: HttpFunction;
  authToken: string;
}

const PlayText = z.object({ from: z.string().max(30), body: z.string().max(1600) }).strict();

/** The local phone's routes, under `/dev-sms` on the local server. */
export const DEV_SMS_ROUTES = {
  messages: {
    method: 'GET',
    path: '/messages',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      to: z.string().max(30).optional(),
    }),
  },
  phone: { method: 'GET', path: '/phone', query: z.object({ number: z.string().min(1).max(30) }) },
  send: { method: 'POST', path: '/send', body: PlayText },
} as const satisfies Record<string, RouteDef>;

let localMessageCounter = 0;

/**
 * The local phone and outbox (development only): `GET /messages` lists the ledger (optionally `?to=`),
 * `GET /phone?number=` a phone's conversation, and `POST /send` plays a phone texting us — it builds
 * the request Twilio would send, signs it, hands it to the webhook and runs the due tasks, so the
 * reply is in the answer.
 */
export function devSmsRouter(sms: LocalSmsSurface, log?: LogSink): HttpFunction {
  const routes = bindRoutes(DEV_SMS_ROUTES, {
    messages: async ({ query }) => {
      const to = query.to ? normalizeMobile(query.to, 'to') : undefined;
      return { messages: await sms.deps.store.listSmsMessages({ limit: query.limit, to }) };
    },
    phone: async ({ query }) => {
      const number = normalizeMobile(query.number, 'number');
      return { number, conversation: await sms.phone.conversation(number, 50) };
    },
    send: async ({ body }, { request }) => {
      const from = normalizeMobile(body.from, 'from');
      await sms.phone.recordInbound({ from, body: body.body });
      localMessageCounter += 1;
      const form = {
        MessageSid: `SMlocal${Date.now().toString(36)}${localMessageCounter}`,
        From: from,
        To: LOCAL_SHORT_NUMBER,
        Body: body.body,
      };
      const host = request.headers.host ?? '127.0.0.1';
      const url = `http://${host}/api/sms/inbound`;
      const reply = await sms.webhooks({
        method: 'POST',
        path: '/inbound',
        query: {},
        headers: { 'x-twilio-signature': twilioSignature(sms.authToken, url, form), host },
        body: form,
      });
      if (reply.status !== 200) return new Reply(reply);
      await sms.runner.runDue();
      return { number: from, conversation: await sms.phone.conversation(from, 50) };
    },
  });
  return createRouter(routes, { surface: 'dev-sms', log });
}
