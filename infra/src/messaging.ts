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
  reminders: { maxDispatchesPerSecond: number; maxConcurrentDispatches: number };
}

export interface Messaging {
  topics: Record<TopicRole, DeclaredTopic>;
  publishSlotsJob: gcp.cloudscheduler.Job;
  reminders: gcp.cloudtasks.Queue;
  /** `projects/<project>/locations/<region>/queues/<name>`: TASKS_QUEUE_PATH. */
  remindersPath: pulumi.Output<string>;
}

/**
 * The topic every domain event goes to (`events`: the relay publishes, the consumers' triggers
 * subscribe), the nightly Cloud Scheduler job that feeds publishDueSlots through `publish-slots`, and
 * the Cloud Tasks queue reminders are scheduled on.
 */
export function deployMessaging(args: MessagingArgs, opts: pulumi.CustomResourceOptions): Messaging {
  const topic = (resourceName: string, name: string): DeclaredTopic => {
    const created = new gcp.pubsub.Topic(resourceName, { project: args.project, name }, opts);
    return { topic: created, path: pulumi.interpolate`projects/${args.project}/topics/${created.name}` };
  };
  const topics: Record<TopicRole, DeclaredTopic> = {
    events: topic('events', 'events'),
    publishSlots: topic('publish-slots', 'publish-slots'),
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
  const reminders = new gcp.cloudtasks.Queue(
    'reminders',
    {
      project: args.project,
      location: args.region,
      name: 'reminders',
      // Dispatch no faster than the contracted Twilio rate and concurrency allow (docs/capacity.md §7.2):
      // the backlog then waits here, where a cancelled visit's reminder is still skipped.
      rateLimits: {
        maxDispatchesPerSecond: args.reminders.maxDispatchesPerSecond,
        maxConcurrentDispatches: args.reminders.maxConcurrentDispatches,
      },
      retryConfig: { maxAttempts: 20, minBackoff: '5s', maxBackoff: '600s', maxDoublings: 5 },
    },
    opts,
  );
  const remindersPath = pulumi.interpolate`projects/${args.project}/locations/${reminders.location}/queues/${reminders.name}`;
  return { topics, publishSlotsJob, reminders, remindersPath };
}
