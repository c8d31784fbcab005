import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  type Clock,
  type DomainEvent,
  deliverMessage,
  type EventConsumer,
  invalid,
  normalizeMobile,
  planMessagesFor,
  type SmsDeps,
  type TaskQueue,
} from '@ereg/shared';
import { z } from 'zod';
import type { LocalSms } from '../adapters/local/local-sms.ts';
import type { TaskRunner } from '../adapters/sqlite/sqlite-task-queue.ts';
import { twilioSignature } from '../adapters/twilio/twilio-signature.ts';
import { errorResponse } from '../http/error-response.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from '../http/http-types.ts';

/** The events that may call for a text message. */
const MESSAGE_EVENTS = new Set<DomainEvent['type']>([
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
]);

/**
 * The SMS planner on the embedded default's outbox dispatcher. The dispatcher delivers inside the
 * store's exclusive section, where a unit of work cannot start, so the planning itself becomes a task
 * (named by the event, so a redelivery schedules nothing new) that the task runner runs after.
 */
export class SmsPlanningForwarder implements EventConsumer {
  readonly name = 'sms';
  private readonly tasks: TaskQueue;
  private readonly clock: Clock;

  constructor(tasks: TaskQueue, clock: Clock) {
    this.tasks = tasks;
    this.clock = clock;
  }

  async handle(event: DomainEvent): Promise<void> {
    if (!MESSAGE_EVENTS.has(event.type)) return;
    await this.tasks.schedule({
      name: `plan-${event.id.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      at: this.clock.now(),
      payload: { event },
    });
  }
}

/** The local task runner's handler: plan the messages of an event, or send one message. */
export async function runLocalSmsTask(deps: SmsDeps, payload: Record<string, unknown>): Promise<void> {
  if (payload.event) {
    await planMessagesFor(deps, payload.event as DomainEvent);
    return;
  }
  if (typeof payload.key !== 'string')
    throw new Error(`A task without an event or a message key: ${JSON.stringify(payload)}`);
  await deliverMessage(deps, { key: payload.key, hop: typeof payload.hop === 'number' ? payload.hop : 0 });
}

const TOKEN_KEY = 'sms.localAuthToken';

/** The auth token the local phone signs its webhook requests with, as Twilio signs with the account's. */
export function loadOrCreateSmsToken(db: DatabaseSync): string {
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(TOKEN_KEY, randomBytes(24).toString('hex'));
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(TOKEN_KEY) as { value: string }).value;
}

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
