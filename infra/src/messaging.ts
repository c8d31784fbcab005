import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { TopicRole } from './function-specs.ts';

/** A declared topic and its full name, which triggers and publishers refer to. */
export interface DeclaredTopic {
  topic: gcp.pubsub.Topic;
  /** `projects/<project>/topics/<name>`. */
  path: pulumi.Output<string>;
}

export interface MessagingArgs {
  project: string;
  region: string;
  publishSlots: { schedule: string; timeZone: string };
  closeDays: { schedule: string; timeZone: string };
  sampleLookups: { schedule: string; timeZone: string };
  /** The waiting rooms' admission: every minute (Cloud Scheduler's finest cadence), in this zone. */
  admitQueue: { timeZone: string };
  /** The standby list's matcher: every minute, in this zone. */
  matchStandby: { timeZone: string };
  reminders: { maxDispatchesPerSecond: number; maxConcurrentDispatches: number };
}

export interface Messaging {
  topics: Record<TopicRole, DeclaredTopic>;
  publishSlotsJob: gcp.cloudscheduler.Job;
  closeDaysJob: gcp.cloudscheduler.Job;
  sampleLookupsJob: gcp.cloudscheduler.Job;
  admitQueueJob: gcp.cloudscheduler.Job;
  matchStandbyJob: gcp.cloudscheduler.Job;
  reminders: gcp.cloudtasks.Queue;
  /** `projects/<project>/locations/<region>/queues/<name>`: TASKS_QUEUE_PATH. */
  remindersPath: pulumi.Output<string>;
}

/**
 * Ten attempts, 10 s apart at first, doubling five times (to 320 s) and then growing by 320 s: a
 * message whose send keeps failing (smsTasks answers 503 while Twilio is unavailable) is retried for
 * about an hour, then dropped. Every attempt re-reads the message, so a cancelled visit's is skipped.
 */
/** Every minute: Cloud Scheduler's finest cadence; the function ticks once a second within the minute. */
export const ADMIT_QUEUE_SCHEDULE = '* * * * *';
/** The message of each minute's run: how many seconds it ticks (functions/src/runtime/cloud/admit-queue.ts). */
export const ADMIT_QUEUE_DATA = '{"seconds":55}';

/** Every minute; the function runs the standby list every few seconds within the minute. */
export const MATCH_STANDBY_SCHEDULE = '* * * * *';
/** The message of each minute's run: how many seconds it runs (functions/src/runtime/cloud/match-standby.ts). */
export const MATCH_STANDBY_DATA = '{"seconds":55}';

const SEND_RETRIES = { maxAttempts: 10, minBackoff: '10s', maxBackoff: '3600s', maxDoublings: 5 };

/**
 * The topic every domain event goes to (`events`: the relay publishes, the consumers' triggers
 * subscribe), the nightly Cloud Scheduler job that feeds publishDueSlots through `publish-slots`, the
 * quarter-hourly one that feeds closeCentreDays through `close-days`, the nightly one that feeds
 * sampleLookups through `sample-lookups`, the ones a minute that feed admitQueue through `admit-queue` and
 * matchStandby through `match-standby`, and
 * the Cloud Tasks queue every text message is sent from (`reminders`: confirmations, reminders, replies).
 */
export function deployMessaging(args: MessagingArgs, opts: pulumi.CustomResourceOptions): Messaging {
  const topic = (resourceName: string, name: string): DeclaredTopic => {
    const created = new gcp.pubsub.Topic(resourceName, { project: args.project, name }, opts);
    return { topic: created, path: pulumi.interpolate`projects/${args.project}/topics/${created.name}` };
  };
  const topics: Record<TopicRole, DeclaredTopic> = {
    events: topic('events', 'events'),
    publishSlots: topic('publish-slots', 'publish-slots'),
    closeDays: topic('close-days', 'close-days'),
    sampleLookups: topic('sample-lookups', 'sample-lookups'),
    admitQueue: topic('admit-queue', 'admit-queue'),
    matchStandby: topic('match-standby', 'match-standby'),
  };
  const publishSlotsJob = new gcp.cloudscheduler.Job(
    'publish-due-slots',
    {
      project: args.project,
      region: args.region,
      name: 'publish-due-slots',
      description: 'Publishes the slots that come into the booking horizon, once a night',
      schedule: args.publishSlots.schedule,
      timeZone: args.publishSlots.timeZone,
      // The function reads nothing from the message; it publishes whatever is due.
      pubsubTarget: { topicName: topics.publishSlots.path, data: Buffer.from('{}').toString('base64') },
    },
    opts,
  );
  const closeDaysJob = new gcp.cloudscheduler.Job(
    'close-centre-days',
    {
      project: args.project,
      region: args.region,
      name: 'close-centre-days',
      description: 'Closes the centre days that are over (visits nobody came to become no-shows)',
      schedule: args.closeDays.schedule,
      timeZone: args.closeDays.timeZone,
      pubsubTarget: { topicName: topics.closeDays.path, data: Buffer.from('{}').toString('base64') },
    },
    opts,
  );
  const sampleLookupsJob = new gcp.cloudscheduler.Job(
    'sample-lookups',
    {
      project: args.project,
      region: args.region,
      name: 'sample-lookups',
      description: 'Draws yesterday’s sample of hotline look-ups for the supervisors to review',
      schedule: args.sampleLookups.schedule,
      timeZone: args.sampleLookups.timeZone,
      pubsubTarget: { topicName: topics.sampleLookups.path, data: Buffer.from('{}').toString('base64') },
    },
    opts,
  );
  const admitQueueJob = new gcp.cloudscheduler.Job(
    'admit-queue',
    {
      project: args.project,
      region: args.region,
      name: 'admit-queue',
      description: 'Admits people from the waiting rooms: one run a minute ticks once a second for 55 seconds',
      schedule: ADMIT_QUEUE_SCHEDULE,
      timeZone: args.admitQueue.timeZone,
      // The run ticks this many seconds and ends before the next minute's run starts.
      pubsubTarget: { topicName: topics.admitQueue.path, data: Buffer.from(ADMIT_QUEUE_DATA).toString('base64') },
    },
    opts,
  );
  const matchStandbyJob = new gcp.cloudscheduler.Job(
    'match-standby',
    {
      project: args.project,
      region: args.region,
      name: 'match-standby',
      description: 'Offers freed places to the standby list: one run a minute, every 5 seconds for 55 seconds',
      schedule: MATCH_STANDBY_SCHEDULE,
      timeZone: args.matchStandby.timeZone,
      pubsubTarget: {
        topicName: topics.matchStandby.path,
        data: Buffer.from(MATCH_STANDBY_DATA).toString('base64'),
      },
    },
    opts,
  );
  const reminders = new gcp.cloudtasks.Queue(
    'reminders',
    {
      project: args.project,
      location: args.region,
      name: 'reminders',
      // Each dispatch sends one message: dispatch no faster than the contracted Twilio rate and
      // concurrency allow (docs/capacity.md §7.2, §7.3). The backlog then waits here, where a cancelled
      // visit's reminder is still skipped, instead of in Twilio's queue, where it would still be sent.
      rateLimits: {
        maxDispatchesPerSecond: args.reminders.maxDispatchesPerSecond,
        maxConcurrentDispatches: args.reminders.maxConcurrentDispatches,
      },
      retryConfig: SEND_RETRIES,
    },
    opts,
  );
  const remindersPath = pulumi.interpolate`projects/${args.project}/locations/${reminders.location}/queues/${reminders.name}`;
  return {
    topics,
    publishSlotsJob,
    closeDaysJob,
    sampleLookupsJob,
    admitQueueJob,
    matchStandbyJob,
    reminders,
    remindersPath,
  };
}
