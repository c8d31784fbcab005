import { type DomainEvent, parseDomainEvent } from '@ereg/shared';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { PubSub } from '@google-cloud/pubsub';
import { currentTraceparent, inSpan, SpanKind, traceOfEvent } from '../../observability/trace-context.ts';
import { documentFromEventData, type FirestoreDocument } from '../firestore/firestore-event-data.ts';

/** The one topic every domain event is published to; consumers filter on the `type` attribute. */
export const EVENTS_TOPIC = 'events';

/** The slice of a Pub/Sub `Topic` the relay uses (a `Topic` opened with `enableMessageOrdering`). */
export interface EventPublisher {
  publishMessage(message: { data: Buffer; attributes: Record<string, string>; orderingKey: string }): Promise<string>;
  /** After a failed publish the client pauses the ordering key; this lets the next try through. */
  resumePublishing?(orderingKey: string): void;
}

/** Opens the events topic with message ordering on (ordering is a publisher setting, not a topic one). */
export function eventsTopic(pubsub: PubSub, name = EVENTS_TOPIC): EventPublisher {
  return pubsub.topic(name, { messageOrdering: true });
}

/**
 * Publishes one outbox event: the event as JSON, attributes `type`, `eventId` and `traceparent` (the
 * W3C trace context of the relay's span, in the trace of the request that wrote the event), ordering key the
 * event's subject (so the events of one appointment arrive in order to an ordered subscription).
 * Firestore triggers are at-least-once, so one event may be published more than once; its id travels
 * as the `eventId` attribute and inside the body, and consumers de-duplicate on it.
 */
export function relayOutboxEvent(event: DomainEvent, publisher: EventPublisher): Promise<string> {
  // The relay's span joins the trace of the request that wrote the event; `traceparent` carries it on.
  const attributes = { 'messaging.system': 'gcp_pubsub', 'ereg.event.type': event.type, 'ereg.event.id': event.id };
  return inSpan(
    'outbox.relay',
    { kind: SpanKind.PRODUCER, parent: traceOfEvent(event) ?? null, attributes },
    async () => {
      const traceparent = currentTraceparent();
      const message = {
        data: Buffer.from(JSON.stringify(event)),
        attributes: { type: event.type, eventId: event.id, ...(traceparent ? { traceparent } : {}) },
        orderingKey: event.subjectId,
      };
      try {
        return await publisher.publishMessage(message);
      } catch (error) {
        publisher.resumePublishing?.(event.subjectId);
        throw error;
      }
    },
  );
}

/** The DomainEvent stored in an `outbox/{eventId}` document (its fields, or under an `event` map). */
export function eventFromOutboxDocument(doc: FirestoreDocument): DomainEvent {
  const fields = isRecord(doc.fields.event) ? doc.fields.event : doc.fields;
  const id = typeof fields.id === 'string' ? fields.id : doc.name.split('/').pop();
  try {
    return parseDomainEvent({ ...fields, id });
  } catch (error) {
    throw new Error(`outbox document ${doc.name} does not hold a domain event`, { cause: error });
  }
}

/**
 * The handler of the Firestore-triggered function (`google.cloud.firestore.document.v1.created` on
 * `outbox/{eventId}`) for a given publisher. A throw makes Eventarc retry when the function is
 * deployed with retries on; a retry publishes again, which consumers absorb by event id.
 */
export function outboxRelayHandler(publisher: () => EventPublisher) {
  return async (cloudEvent: CloudEvent<unknown>): Promise<void> => {
    const doc = documentFromEventData(cloudEvent.data);
    if (!doc) throw new Error(`Firestore event ${cloudEvent.id} carries no document`);
    await relayOutboxEvent(eventFromOutboxDocument(doc), publisher());
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
