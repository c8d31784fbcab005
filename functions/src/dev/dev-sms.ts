import { invalid, normalizeMobile, type SmsDeps } from '@ereg/shared';
import { z } from 'zod';
import type { LocalSms } from '../adapters/sqlite/local-sms.ts';
import type { TaskRunner } from '../adapters/sqlite/sqlite-task-queue.ts';
import { twilioSignature } from '../adapters/twilio/twilio-signature.ts';
import { errorResponse } from '../http/error-response.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from '../http/http-types.ts';

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

let localMessageCounter = 0;

/**
 * The local phone and outbox (development only): `GET /messages` lists the ledger (optionally `?to=`),
 * `GET /phone?number=` a phone's conversation, and `POST /send` plays a phone texting us — it builds
 * the request Twilio would send, signs it, hands it to the webhook and runs the due tasks, so the
 * reply is in the answer.
 */
export async function handleDevSms(sms: LocalSmsSurface, request: ApiRequest, baseUrl: string): Promise<ApiResponse> {
  try {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /messages') {
      const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 500);
      const to = request.query.to ? normalizeMobile(request.query.to, 'to') : undefined;
      return { status: 200, body: { messages: await sms.deps.store.listSmsMessages({ limit, to }) } };
    }
    if (route === 'GET /phone') {
      if (!request.query.number) throw invalid('FIELD_REQUIRED', 'Give the phone number: ?number=+48…', 'number');
      const number = normalizeMobile(request.query.number, 'number');
      return { status: 200, body: { number, conversation: await sms.phone.conversation(number, 50) } };
    }
    if (route === 'POST /send') {
      const input = PlayText.parse(request.body ?? {});
      const from = normalizeMobile(input.from, 'from');
      await sms.phone.recordInbound({ from, body: input.body });
      localMessageCounter += 1;
      const form = {
        MessageSid: `SMlocal${Date.now().toString(36)}${localMessageCounter}`,
        From: from,
        To: LOCAL_SHORT_NUMBER,
        Body: input.body,
      };
      const url = `${baseUrl}/api/sms/inbound`;
      const reply = await sms.webhooks({
        method: 'POST',
        path: '/inbound',
        query: {},
        headers: { 'x-twilio-signature': twilioSignature(sms.authToken, url, form), host: new URL(baseUrl).host },
        body: form,
      });
      if (reply.status !== 200) return reply;
      await sms.runner.runDue();
      return { status: 200, body: { number: from, conversation: await sms.phone.conversation(from, 50) } };
    }
    return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${route}.` } } };
  } catch (error) {
    return errorResponse(error);
  }
}
