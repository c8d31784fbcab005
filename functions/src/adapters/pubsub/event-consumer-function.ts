import { type DomainEvent, type EventConsumer, parseDomainEvent } from '@ereg/shared';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { logger } from '../../observability/logger.ts';
import { inSpan, SpanKind, traceOfEvent } from '../../observability/trace-context.ts';

/** The data of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. */
export interface MessagePublishedData {
  message: {
    /** base64 of the published bytes (the relay publishes the DomainEvent as JSON). */
    data?: string;
    attributes?: Record<string, string>;
    messageId?: string;
    publishTime?: string;
    orderingKey?: string;
  };
  subscription?: string;
}

/** Decodes the DomainEvent a Pub/Sub message carries; a message that holds none is an error. */
export function eventFromMessage(data: MessagePublishedData): DomainEvent {
  const message = data?.message;
  if (!message?.data) throw new Error('Pub/Sub message has no data');
  let event: DomainEvent;
  try {
    event = parseDomainEvent(JSON.parse(Buffer.from(message.data, 'base64').toString('utf8')));
  } catch (error) {
    throw new Error(`Pub/Sub message ${message.messageId ?? ''} does not hold a domain event`, { cause: error });
  }
  const attributeId = message.attributes?.eventId;
  if (attributeId !== undefined && attributeId !== event.id) {
    throw new Error(
      `Pub/Sub message ${message.messageId ?? ''}: attribute eventId ${attributeId} ≠ body id ${event.id}`,
    );
  }
  return event;
}

/**
 * Turns an EventConsumer into the handler of a Pub/Sub-triggered CloudEvent function. The consumer
 * is idempotent by event id (delivery is at least once: the relay may publish twice, Pub/Sub may
 * deliver twice). A throw — from the consumer or from a message that cannot be decoded — fails the
 * delivery, so Pub/Sub redelivers it with backoff; the subscription's dead-letter policy ends that
 * for a message that can never succeed.
 */
export function eventConsumerFunction(consumer: EventConsumer) {
  return async (cloudEvent: CloudEvent<MessagePublishedData>): Promise<void> => {
    if (!cloudEvent.data) throw new Error(`CloudEvent ${cloudEvent.id} has no Pub/Sub message`);
    const event = eventFromMessage(cloudEvent.data);
    await handleTraced(consumer, event, cloudEvent.data.message.attributes?.traceparent ?? traceOfEvent(event));
  };
}

/**
 * Hands one event to a consumer in a span of the event's trace (from the message's `traceparent`, or
 * the one the event carries), with a log line when it is handled and when it fails.
 */
export async function handleTraced(consumer: EventConsumer, event: DomainEvent, traceparent: string | undefined) {
  const attributes = { 'ereg.consumer': consumer.name, 'ereg.event.type': event.type, 'ereg.event.id': event.id };
  const fields = { consumer: consumer.name, eventId: event.id, eventType: event.type };
  await inSpan(
    `consume ${consumer.name}`,
    { kind: SpanKind.CONSUMER, parent: traceparent ?? null, attributes },
    async () => {
      try {
        await consumer.handle(event);
        await consumer.afterBatch?.();
      } catch (error) {
        logger.error(`Consumer ${consumer.name} failed on event ${event.id}; it will be delivered again.`, {
          ...fields,
          error,
        });
        throw error;
      }
      logger.info(`Consumer ${consumer.name} handled ${event.type} ${event.id}.`, fields);
    },
  );
}
