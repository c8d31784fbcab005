import { type Deps, standbyTick } from '@ereg/shared';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { LeaseTaken } from '../../adapters/firestore/firestore-lease.ts';
import type { MessagePublishedData } from '../../adapters/pubsub/event-consumer-function.ts';
import { secondsAsked } from './admit-queue.ts';

/** The standby list's lease: one run of the matcher at a time. */
export const STANDBY_MATCHER_LEASE = 'standbyMatcher/lease';
/** Seconds between two runs within one scheduled run: a freed place is offered within this of being noted. */
export const STANDBY_EVERY_SECONDS = 5;
/** The lease outlives the run's planned end by this much (its start, a slow last run). */
const LEASE_SLACK_MS = 15_000;

type Log = (severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields?: Record<string, unknown>) => void;

export interface MatchStandbyParts {
  deps: Deps;
  lease: {
    take(holder: string, until: Date, now: Date): Promise<LeaseTaken>;
    release(holder: string): Promise<void>;
  };
  /** This instance's id: with the message's, the lease's holder. */
  instanceId: string;
  /** Waits between runs (a timer; tests pass their own). */
  sleep: (ms: number) => Promise<void>;
  log: Log;
}

/**
 * The standby list on Google Cloud. Cloud Scheduler publishes `{"seconds":55}` to `match-standby` every
 * minute; one run lets lapsed holds pass on and offers noted places every few seconds for those seconds,
 * under a lease in Firestore so two runs never overlap (each hold is its own transaction anyway, so an
 * overlap would cost reads, not correctness). A run that finds the lease held logs and returns. Each
 * run that offered or let lapse anything is one log line of counts, nobody's id.
 */
export function matchStandbyHandler(
  parts: MatchStandbyParts,
): (cloudEvent: CloudEvent<MessagePublishedData>) => Promise<void> {
  const { deps, log } = parts;
  return async (cloudEvent) => {
    const { seconds, invalid } = secondsAsked(cloudEvent.data);
    if (invalid)
      log('WARNING', `The standby message is not usable (${invalid}); running ${seconds} seconds.`, {
        trigger: cloudEvent.id,
      });
    const holder = `${parts.instanceId}/${cloudEvent.id}`;
    const start = deps.clock.now().getTime();
    const until = new Date(start + seconds * 1000 + LEASE_SLACK_MS);
    const taken = await parts.lease.take(holder, until, new Date(start));
    if (!taken.taken) {
      log('INFO', `Another run offers standby places until ${taken.until.toISOString()}; this one does not run.`, {
        trigger: cloudEvent.id,
        holder: taken.holder,
      });
      return;
    }
    let runs = 0;
    try {
      for (let at = 0; at < seconds; at += STANDBY_EVERY_SECONDS) {
        if (at > 0) await parts.sleep(Math.max(0, start + at * 1000 - deps.clock.now().getTime()));
        runs++;
        try {
          const run = await standbyTick(deps);
          if (run.offered + run.expired > 0) {
            log('INFO', `Standby list: ${run.offered} places offered, ${run.expired} holds lapsed.`, {
              trigger: cloudEvent.id,
              run: runs,
              ...run,
            });
          }
        } catch (error) {
          // The next run tries again: a note stays until offered, a hold until it lapses.
          log('ERROR', `A standby run failed: ${String(error)}`, { trigger: cloudEvent.id, run: runs });
        }
      }
    } finally {
      await parts.lease
        .release(holder)
        .catch((error: unknown) => log('WARNING', `The standby lease was not released: ${String(error)}`));
    }
    log('INFO', `Ran the standby list ${runs} times.`, { trigger: cloudEvent.id, runs });
  };
}
