import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { type EventPublisher, eventsTopic, outboxRelayHandler } from '../../src/adapters/pubsub/outbox-relay.ts';

/** A Firestore client for an emulator at `host` (`127.0.0.1:PORT`). */
export function firestoreForEmulator(host: string, projectId: string): Firestore {
  return new Firestore({ projectId, host, ssl: false, ignoreUndefinedProperties: true });
}

/**
 * The outbox relay as a deployed function would run it: publishing to the `events` topic with the
 * environment's credentials (`PUBSUB_EMULATOR_HOST` points it at the emulator).
 */
let publisher: EventPublisher | undefined;
export const onOutboxCreated = outboxRelayHandler(() => {
  publisher ??= eventsTopic(new PubSub());
  return publisher;
});
