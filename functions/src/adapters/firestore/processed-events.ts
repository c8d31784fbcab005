import type { DomainEvent, EventConsumer } from '@ereg/shared';
import { type Firestore, Timestamp } from '@google-cloud/firestore';

export const PROCESSED_EVENTS = 'processedEvents';

/** How long a handled mark is kept (a Firestore TTL policy on `expireAt` deletes it afterwards). */
const KEEP_DAYS = 7;

const ALREADY_EXISTS = 6;

/**
 * Makes a consumer's effect happen once per event id across redeliveries, instances and restarts:
 * a handled event leaves a mark `processedEvents/{consumer}_{eventId}`, and a marked event is skipped.
 * The mark is written after the effect, so a crash in between repeats the effect once more on
 * redelivery; consumers whose effect cannot be repeated harmlessly need their own ledger (SMS).
 */
export function oncePerEvent(firestore: Firestore, consumer: EventConsumer): EventConsumer {
  const mark = (event: DomainEvent) =>
    firestore.collection(PROCESSED_EVENTS).doc(encodeURIComponent(`${consumer.name}_${event.id}`));
  return {
    name: consumer.name,
    async handle(event) {
      const ref = mark(event);
      if ((await ref.get()).exists) return;
      await consumer.handle(event);
      await consumer.afterBatch?.();
      try {
        await ref.create({
          consumer: consumer.name,
          eventId: event.id,
          type: event.type,
          expireAt: Timestamp.fromMillis(Date.now() + KEEP_DAYS * 86_400_000),
        });
      } catch (error) {
        // Another delivery of the same event finished first: its mark stands for both.
        if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
      }
    },
  };
}
