import { DatabaseSync } from 'node:sqlite';
import type { DomainEvent, EventConsumer, EventOf } from '@ereg/shared';
import { anEvent as exampleEvent, TEST_ANALYTICS } from '@ereg/shared/testing';
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { type Message, PubSub, type Subscription, type Topic } from '@google-cloud/pubsub';
import request from 'supertest';
import { eventConsumerFunction, type MessagePublishedData } from '../../src/adapters/pubsub/event-consumer-function.ts';
import { EVENTS_TOPIC, eventsTopic, relayOutboxEvent } from '../../src/adapters/pubsub/outbox-relay.ts';
import { prepareDatabase } from '../../src/adapters/sqlite/schema.ts';
import { SqliteAnalytics } from '../../src/adapters/sqlite/sqlite-analytics.ts';
import { configureLogging } from '../../src/observability/logger.ts';
import { documentCreatedEvent } from '../support/cloud-events.ts';
import { onOutboxCreated } from '../support/emulator-clients.ts';
import { startPubsubEmulator } from '../support/emulators.ts';

const PROJECT = 'demo-ereg';
/** A relay's span starts a trace of its own for an event written outside any. */
const TRACEPARENT = expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let emulator: { host: string; stop(): Promise<void> } | undefined;
let pubsub: PubSub;
let topic: Topic;
let subscriptionCount = 0;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // No Google metadata server here: skip the client's probe for one (a warning and a delay otherwise).
  process.env.METADATA_SERVER_DETECTION = 'none';
  emulator = await startPubsubEmulator();
  // The client library (and the deployed handler's default publisher) talk to the emulator through
  // this variable, with no credentials.
  process.env.PUBSUB_EMULATOR_HOST = emulator.host;
  process.env.GOOGLE_CLOUD_PROJECT = PROJECT;
  pubsub = new PubSub({ projectId: PROJECT });
  [topic] = await pubsub.createTopic(EVENTS_TOPIC);
}, 90_000);

afterAll(async () => {
  await pubsub?.close();
  await emulator?.stop();
  process.env = savedEnv;
}, 30_000);

/** A fresh pull subscription with ordering on; it sees only messages published after this call. */
async function aSubscription(): Promise<Subscription> {
  subscriptionCount += 1;
  const [subscription] = await topic.createSubscription(`test-${subscriptionCount}`, {
    enableMessageOrdering: true,
    ackDeadlineSeconds: 10,
  });
  return subscription;
}

/**
 * Pulls (streaming pull) until `count` messages were received, handing each to `onMessage`
 * (which acks or nacks it), or fails after `timeoutMs` naming what did arrive.
 */
async function pull(
  subscription: Subscription,
  count: number,
  onMessage: (message: Message) => Promise<void> | void = (m) => m.ack(),
  timeoutMs = 15_000,
): Promise<Message[]> {
  const received: Message[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`received ${received.length} of ${count} messages in ${timeoutMs} ms`)),
        timeoutMs,
      );
      subscription.on('error', reject);
      subscription.on('message', (message: Message) => {
        received.push(message);
        void Promise.resolve(onMessage(message)).then(() => {
          if (received.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        }, reject);
      });
    });
  } finally {
    await subscription.close();
  }
  return received;
}

/** The CloudEvent Eventarc pushes to a Pub/Sub-triggered function for this message. */
function messagePublished(message: Message, subscription: Subscription): CloudEvent<MessagePublishedData> {
  return {
    specversion: '1.0',
    id: message.id,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/${EVENTS_TOPIC}`,
    time: message.publishTime.toISOString(),
    datacontenttype: 'application/json',
    data: {
      message: {
        data: message.data.toString('base64'),
        attributes: { ...message.attributes },
        messageId: message.id,
        publishTime: message.publishTime.toISOString(),
        orderingKey: message.orderingKey,
      },
      subscription: subscription.name,
    },
  };
}

/** Delivers a pulled message to a CloudEvent handler as the push would: ack on success, nack on a throw. */
function deliverTo(handler: (event: CloudEvent<MessagePublishedData>) => Promise<void>, subscription: Subscription) {
  return async (message: Message) => {
    try {
      await handler(messagePublished(message, subscription));
      message.ack();
    } catch {
      message.nack();
    }
  };
}

let sequence = 0;
function anEvent(envelope: Partial<Omit<EventOf<'appointment.booked'>, 'type' | 'data'>> = {}): DomainEvent {
  sequence += 1;
  return exampleEvent(
    'appointment.booked',
    { appointmentId: `a-${sequence}`, centreId: 'c-0001', vaccineId: 'comirnaty', dose: 1, localDate: '2026-03-10' },
    {
      id: `evt-${sequence}`,
      occurredAt: '2026-03-02T08:15:00.000Z',
      actor: { role: 'patient', id: 'p-1' },
      subjectId: `a-${sequence}`,
      ...envelope,
    },
  );
}

function analyticsDb(): { db: DatabaseSync; sink: SqliteAnalytics; rows(): unknown[] } {
  const db = new DatabaseSync(':memory:');
  prepareDatabase(db);
  const sink = new SqliteAnalytics(db, TEST_ANALYTICS);
  return { db, sink, rows: () => db.prepare('SELECT event_id, type, dose FROM report_events').all() };
}

/** The payload of the outbox documents below, as the relay should publish it. */
const STORED_DATA = {
  centreId: 'c-0001',
  vaccineId: 'comirnaty',
  dose: 1,
  localDate: '2026-03-10',
  slotIds: ['s-1', 's-2'],
  firstVisit: true,
};

/** The Firestore document the store writes to `outbox/{eventId}`, as Firestore values (JSON form). */
function outboxFields(event: DomainEvent) {
  const str = (s: string) => ({ stringValue: s });
  return {
    id: str(event.id),
    type: str(event.type),
    occurredAt: str(event.occurredAt),
    subjectId: str(event.subjectId),
    actor: { mapValue: { fields: { role: str(event.actor.role), id: str(event.actor.id) } } },
    data: {
      mapValue: {
        fields: {
          centreId: str('c-0001'),
          vaccineId: str('comirnaty'),
          dose: { integerValue: '1' },
          localDate: str('2026-03-10'),
          slotIds: { arrayValue: { values: [str('s-1'), str('s-2')] } },
          firstVisit: { booleanValue: true },
        },
      },
    },
  };
}

function firestoreCreated(event: DomainEvent, form: 'protobuf' | 'json'): CloudEvent<unknown> {
  return documentCreatedEvent({
    project: PROJECT,
    document: `outbox/${event.id}`,
    fields: outboxFields(event),
    form,
    at: new Date('2026-03-02T08:15:00.100Z'),
  });
}

describe('the outbox relay on the Pub/Sub emulator', () => {
  test('publishes the event as JSON with type and eventId attributes and the subject as ordering key', async () => {
    const subscription = await aSubscription();
    const event = anEvent();

    await relayOutboxEvent(event, eventsTopic(pubsub));
    const [message] = await pull(subscription, 1);

    expect(JSON.parse(message?.data.toString('utf8') ?? '')).toEqual(event);
    expect(message?.attributes).toEqual({ type: 'appointment.booked', eventId: event.id, traceparent: TRACEPARENT });
    expect(message?.orderingKey).toBe(event.subjectId);
  }, 30_000);

  test('an event written in a request’s trace is published in it: its traceparent continues the trace', async () => {
    const subscription = await aSubscription();
    const event = { ...anEvent(), trace: `00-${CALLER_TRACE}-00f067aa0ba902b7-01` };

    await relayOutboxEvent(event, eventsTopic(pubsub));
    const [message] = await pull(subscription, 1);

    expect(message?.attributes.traceparent).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
    expect(message?.attributes.traceparent).not.toContain('00f067aa0ba902b7');
    expect(JSON.parse(message?.data.toString('utf8') ?? '').trace).toBe(event.trace);
  }, 30_000);

  test('events about one subject arrive in the order they were relayed', async () => {
    const subscription = await aSubscription();
    const publisher = eventsTopic(pubsub);
    const events = [1, 2, 3, 4, 5].map((n) => anEvent({ subjectId: 'a-ordered', id: `evt-ordered-${n}` }));

    await Promise.all(events.map((e) => relayOutboxEvent(e, publisher)));
    const received = await pull(subscription, events.length);

    expect(received.map((m) => m.attributes.eventId)).toEqual(events.map((e) => e.id));
  }, 30_000);

  test('the Firestore-triggered handler relays the outbox document of a protobuf CloudEvent', async () => {
    const subscription = await aSubscription();
    const event = anEvent();

    await onOutboxCreated(firestoreCreated(event, 'protobuf'));
    const [message] = await pull(subscription, 1);

    expect(message?.attributes).toEqual({ type: 'appointment.booked', eventId: event.id, traceparent: TRACEPARENT });
    expect(message?.orderingKey).toBe(event.subjectId);
    expect(JSON.parse(message?.data.toString('utf8') ?? '')).toEqual({
      ...event,
      data: STORED_DATA,
    });
  }, 30_000);

  test('the handler registered on the functions-framework relays a binary-mode protobuf CloudEvent', async () => {
    const subscription = await aSubscription();
    const event = anEvent();
    const created = firestoreCreated(event, 'protobuf');
    cloudEvent('onOutboxCreated', onOutboxCreated);

    const reply = await request(getTestServer('onOutboxCreated'))
      .post('/')
      .set('content-type', 'application/protobuf')
      .set('ce-specversion', '1.0')
      .set('ce-id', created.id)
      .set('ce-type', created.type)
      .set('ce-source', created.source)
      .set('ce-subject', created.subject ?? '')
      .set('ce-document', `outbox/${event.id}`)
      .send(created.data as Buffer);
    const [message] = await pull(subscription, 1);

    expect(reply.status).toBe(204);
    expect(message?.attributes).toEqual({ type: 'appointment.booked', eventId: event.id, traceparent: TRACEPARENT });
  }, 30_000);

  test('the Firestore-triggered handler accepts the JSON form of the event data too', async () => {
    const subscription = await aSubscription();
    const event = anEvent();

    await onOutboxCreated(firestoreCreated(event, 'json'));
    const [message] = await pull(subscription, 1);

    expect(JSON.parse(message?.data.toString('utf8') ?? '')).toEqual({
      ...event,
      data: STORED_DATA,
    });
  }, 30_000);

  test('an outbox document that holds no domain event makes the handler throw, naming the document', async () => {
    const event = anEvent();
    const bad = firestoreCreated(event, 'json');
    (bad.data as { value: { fields: Record<string, unknown> } }).value.fields.type = { stringValue: 'no.such_type' };

    await expect(onOutboxCreated(bad)).rejects.toThrow(`outbox/${event.id} does not hold a domain event`);
  });

  test('the same event relayed twice reaches the consumer twice and is stored once', async () => {
    const subscription = await aSubscription();
    const analytics = analyticsDb();
    const handler = eventConsumerFunction(analytics.sink);
    const event = anEvent();

    const publisher = eventsTopic(pubsub);
    await relayOutboxEvent(event, publisher);
    await relayOutboxEvent(event, publisher);
    const delivered = await pull(subscription, 2, deliverTo(handler, subscription));

    expect(delivered.map((m) => m.attributes.eventId)).toEqual([event.id, event.id]);
    expect(analytics.rows()).toEqual([{ event_id: event.id, type: 'appointment.booked', dose: 1 }]);
    analytics.db.close();
  }, 30_000);

  test('a consumer that fails on the first delivery gets the message again and the effect happens once', async () => {
    const subscription = await aSubscription();
    const analytics = analyticsDb();
    let calls = 0;
    const flaky: EventConsumer = {
      name: 'flaky-analytics',
      async handle(e) {
        calls += 1;
        if (calls === 1) throw new Error('database briefly unavailable');
        await analytics.sink.handle(e);
      },
    };
    const event = anEvent();

    await relayOutboxEvent(event, eventsTopic(pubsub));
    const delivered = await pull(subscription, 2, deliverTo(eventConsumerFunction(flaky), subscription));

    expect(calls).toBe(2);
    expect(delivered.map((m) => m.id)).toEqual([delivered[0]?.id, delivered[0]?.id]);
    expect(analytics.rows()).toEqual([{ event_id: event.id, type: 'appointment.booked', dose: 1 }]);
    analytics.db.close();
  }, 30_000);
});

describe('the Pub/Sub consumer function', () => {
  const envelope = (data: string, attributes: Record<string, string> = {}): CloudEvent<MessagePublishedData> => ({
    specversion: '1.0',
    id: 'm-1',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/${EVENTS_TOPIC}`,
    data: { message: { data, attributes, messageId: 'm-1' } },
  });

  test('rejects a message whose eventId attribute differs from the event in its body', async () => {
    const event = anEvent();
    const handled: string[] = [];
    const handler = eventConsumerFunction({ name: 'spy', handle: async (e) => void handled.push(e.id) });

    await expect(
      handler(envelope(Buffer.from(JSON.stringify(event)).toString('base64'), { eventId: 'other' })),
    ).rejects.toThrow(`attribute eventId other ≠ body id ${event.id}`);
    expect(handled).toEqual([]);
  });

  test('handles the event in the trace of the message’s traceparent, and says so in a line of that trace', async () => {
    const event = anEvent();
    const lines: Array<Record<string, unknown>> = [];
    const restore = configureLogging({ write: (line) => lines.push(JSON.parse(line)) });
    try {
      const handler = eventConsumerFunction({ name: 'spy', handle: async () => {} });
      const traceparent = `00-${CALLER_TRACE}-00f067aa0ba902b7-01`;
      await handler(
        envelope(Buffer.from(JSON.stringify(event)).toString('base64'), { eventId: event.id, traceparent }),
      );
    } finally {
      restore();
    }
    expect(lines).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        consumer: 'spy',
        eventId: event.id,
        eventType: 'appointment.booked',
        'logging.googleapis.com/trace': CALLER_TRACE,
      }),
    ]);
  });

  test('rejects a message with no data, so it is redelivered and then dead-lettered', async () => {
    const handler = eventConsumerFunction({ name: 'spy', handle: async () => {} });
    await expect(handler(envelope(''))).rejects.toThrow('Pub/Sub message has no data');
  });
});
