import { admissionTick, type BookingMeter, type Deps } from '@ereg/shared';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { LeaseTaken } from '../../adapters/firestore/firestore-lease.ts';
import type { MessagePublishedData } from '../../adapters/pubsub/event-consumer-function.ts';

/** How many seconds a run ticks when its message does not say: the minute to the next run, less its start. */
export const DEFAULT_ADMIT_SECONDS = 55;
const MAX_ADMIT_SECONDS = 58;
/** The lease outlives the run's planned end by this much (its start, a slow last tick). */
const LEASE_SLACK_MS = 5_000;

/** How many seconds the scheduler's message asks for: `{"seconds":55}`, 1–58; null when it says nothing usable. */
export function secondsAsked(data: MessagePublishedData | undefined): { seconds: number; invalid: string | null } {
  const raw = data?.message?.data;
  if (!raw) return { seconds: DEFAULT_ADMIT_SECONDS, invalid: null };
  let asked: unknown;
  try {
    asked = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return { seconds: DEFAULT_ADMIT_SECONDS, invalid: 'the message is not JSON' };
  }
  if (asked === null || typeof asked !== 'object' || !('seconds' in asked))
    return { seconds: DEFAULT_ADMIT_SECONDS, invalid: null };
  const { seconds } = asked as { seconds: unknown };
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ADMIT_SECONDS)
    return { seconds: DEFAULT_ADMIT_SECONDS, invalid: `seconds must be a whole number from 1 to ${MAX_ADMIT_SECONDS}` };
  return { seconds, invalid: null };
}

type Log = (severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

export interface AdmitQueueParts {
  deps: Deps;
  meter: BookingMeter;
  lease: {
    take(holder: string, until: Date, now: Date): Promise<LeaseTaken>;
    release(holder: string): Promise<void>;
  };
  /** This instance's id: with the message's, the lease's holder. */
  instanceId: string;
  /** Waits between ticks (a timer; tests pass their own). */
  sleep: (ms: number) => Promise<void>;
  log: Log;
}

/**
 * The waiting rooms' admission on Google Cloud. Cloud Scheduler publishes to `admit-queue` every
 * minute (its finest cadence); one run ticks once a second for the seconds its message asks, under a
 * lease in Firestore so two runs never tick at once. A run that finds the lease held logs and returns.
 * Each tick that shuffled, admitted or expired anyone is one log line: rooms and counts, nobody's id.
 */
export function admitQueueHandler(
  parts: AdmitQueueParts,
): (cloudEvent: CloudEvent<MessagePublishedData>) => Promise<void> {
  const { deps, log } = parts;
  return async (cloudEvent) => {
    const { seconds, invalid } = secondsAsked(cloudEvent.data);
    if (invalid)
      log('WARNING', `The admission message is not usable (${invalid}); ticking ${seconds} seconds.`, {
        trigger: cloudEvent.id,
      });
    const holder = `${parts.instanceId}/${cloudEvent.id}`;
    const start = deps.clock.now().getTime();
    const until = new Date(start + seconds * 1000 + LEASE_SLACK_MS);
    const taken = await parts.lease.take(holder, until, new Date(start));
    if (!taken.taken) {
      log('INFO', `Another run admits until ${taken.until.toISOString()}; this one does not tick.`, {
        trigger: cloudEvent.id,
        holder: taken.holder,
      });
      return;
    }
    let ticks = 0;
    try {
      for (let i = 0; i < seconds; i++) {
        if (i > 0) await parts.sleep(Math.max(0, start + i * 1000 - deps.clock.now().getTime()));
        ticks++;
        try {
          const rooms = (await admissionTick(deps, parts.meter)).filter((r) => r.admitted + r.expired + r.shuffled > 0);
          if (rooms.length > 0) {
            const admitted = rooms.reduce((n, r) => n + r.admitted, 0);
            const expired = rooms.reduce((n, r) => n + r.expired, 0);
            log('INFO', `Admitted ${admitted} and expired ${expired} in ${rooms.length} waiting rooms.`, {
              trigger: cloudEvent.id,
              tick: i,
              rooms,
            });
          }
        } catch (error) {
          // The next second tries again; a room's record only moves forward.
          log('ERROR', `An admission tick failed: ${String(error)}`, { trigger: cloudEvent.id, tick: i });
        }
      }
    } finally {
      await parts.lease
        .release(holder)
        .catch((error: unknown) => log('WARNING', `The admission lease was not released: ${String(error)}`));
    }
    log('INFO', `Ticked ${ticks} times.`, { trigger: cloudEvent.id, ticks });
  };
}
