import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import {
  type Clock,
  type DomainEvent,
  deliverMessage,
  type EventConsumer,
  planMessagesFor,
  type SmsDeps,
  type TaskQueue,
} from '@ereg/shared';

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
