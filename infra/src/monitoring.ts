import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/**
 * Who is told when something goes wrong, and how much is too much. Read from the stack
 * (`pulumi config set …`); no address or number is written in this program.
 */
export interface MonitoringSettings {
  /** `alertEmails`: every alert goes to each of these addresses. */
  emails: string[];
  /** `alertSmsNumbers`: the pages (critical alerts) are also texted to these numbers (E.164). */
  smsNumbers: string[];
  /** `alertWebhookUrl` (secret): the pages also go to this https URL (an on-call service's webhook). */
  webhookUrl: pulumi.Output<string> | undefined;
  /** `runbookUrl`: where docs/operations.md is read (https); each alert then links to its section there. */
  runbookUrl: string | undefined;
  /** `alertOutboxLagSeconds`: the oldest undelivered event may be this old, for five minutes at most. */
  outboxLagSeconds: number;
  /** `alertSmsFailurePercent`: failed sends out of all sends, over a quarter of an hour. */
  smsFailurePercent: number;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTPS_URL = /^https:\/\/\S+$/;

/** The stack's alerting settings; a malformed one stops the preview with its key's name. */
export function loadMonitoringSettings(): MonitoringSettings {
  const config = new pulumi.Config();
  const list = (key: string, pattern: RegExp, what: string): string[] => {
    const value = config.getObject<unknown>(key) ?? [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !pattern.test(item))) {
      throw new Error(`${key} must be a list of ${what} (pulumi config set --path '${key}[0]' …)`);
    }
    return value as string[];
  };
  return {
    emails: list('alertEmails', EMAIL, 'e-mail addresses'),
    smsNumbers: list('alertSmsNumbers', E164, 'phone numbers in E.164 form (+48…)'),
    webhookUrl: config.getSecret('alertWebhookUrl', { pattern: HTTPS_URL }),
    runbookUrl: config.get('runbookUrl', { pattern: HTTPS_URL }),
    outboxLagSeconds: config.getNumber('alertOutboxLagSeconds', { min: 10, max: 3600 }) ?? 120,
    smsFailurePercent: config.getNumber('alertSmsFailurePercent', { min: 0.1, max: 100 }) ?? 5,
  };
}

/**
 * The user-facing functions the service level objectives cover, with what their users may expect.
 * The latency bounds follow what each does at the reference peaks of DESIGN (750 logins/s, 350,000
 * searches/h, 888,000 bookings/day; docs/capacity.md §1, §6): a search is a read of a cached
 * projection (≈ 50 ms measured locally, assumed in the cloud), so 300 ms; a login verifies an
 * assertion, may enrol the person and signs a session (≈ 80 ms), so 500 ms; a booking is a
 * transaction of three round trips (≈ 100–150 ms) that contention may retry up to 8 times
 * (§5), so 1 s. 99.9 % of requests answer without a server error, measured over 28 days: about
 * 40 minutes of a full outage, or an opening evening with 1 % errors for an hour at the peak.
 */
export const SERVICE_OBJECTIVES = {
  login: { title: 'Login', latencyMs: 500 },
  search: { title: 'Slot search', latencyMs: 300 },
  booking: { title: 'Booking', latencyMs: 1000 },
} as const;
export type ObservedFunction = keyof typeof SERVICE_OBJECTIVES;
export const OBSERVED_FUNCTIONS = Object.keys(SERVICE_OBJECTIVES) as ObservedFunction[];

/** Requests answered without a 5xx, over the rolling period. */
export const AVAILABILITY_GOAL = 0.999;
/** Requests answered within the function's latency bound, over the rolling period. */
export const LATENCY_GOAL = 0.95;
export const ROLLING_PERIOD_DAYS = 28;

/**
 * Burn-rate alerts (the error budget spent this many times faster than the period allows): the fast
 * one pages when 2 % of the 28 days' budget goes in an hour, the slow one opens a ticket when 5 %
 * goes in six hours.
 */
export const BURN_RATES = {
  fast: { lookback: '3600s', threshold: 14.4, duration: '300s', severity: 'CRITICAL' },
  slow: { lookback: '21600s', threshold: 6, duration: '1800s', severity: 'WARNING' },
} as const;

/** The dead-letter topic and its subscription, which holds what the consumers gave up on. */
export const DEAD_LETTER_TOPIC = 'events-dead-letter';
export const DEAD_LETTER_SUBSCRIPTION = 'events-dead-letter-hold';

/**
 * The monitored resource the functions' OpenTelemetry metrics are written under: Google's exporter
 * maps a Cloud Run instance to `generic_task`, and anything it cannot place to `generic_node`.
 */
const WORKLOAD_RESOURCES = 'resource.type = one_of("generic_task", "generic_node")';
const workloadMetric = (name: string) => `metric.type = "workload.googleapis.com/${name}" AND ${WORKLOAD_RESOURCES}`;

/** A 2nd-gen function is a Cloud Run service named as the function, in lower case. */
const cloudRunMetric = (metric: string, fn: ObservedFunction) =>
  `metric.type = "run.googleapis.com/${metric}" AND resource.type = "cloud_run_revision" AND ` +
  `resource.label."service_name" = "${fn.toLowerCase()}"`;

export interface MonitoringArgs {
  project: string;
  settings: MonitoringSettings;
}

export interface Monitoring {
  channels: { page: gcp.monitoring.NotificationChannel[]; ticket: gcp.monitoring.NotificationChannel[] };
  services: Record<ObservedFunction, gcp.monitoring.CustomService>;
  slos: gcp.monitoring.Slo[];
  policies: gcp.monitoring.AlertPolicy[];
  deadLetter: { topic: gcp.pubsub.Topic; subscription: gcp.pubsub.Subscription };
}

type Severity = 'CRITICAL' | 'ERROR' | 'WARNING';

/**
 * The service level objectives of login, search and booking, the alerts on them and on what the
 * functions measure (docs/metrics.md), the dead-letter topic of the events' subscriptions, and the
 * notification channels of the stack. Pages (critical) go to every channel; the rest to the e-mail
 * addresses (or every channel, when there are none). Each alert says what it means and links to
 * its section of docs/operations.md.
 */
export function deployMonitoring(args: MonitoringArgs, opts: pulumi.CustomResourceOptions): Monitoring {
  const { project, settings } = args;
  const emailChannels = settings.emails.map(
    (email, i) =>
      new gcp.monitoring.NotificationChannel(
        `alert-email-${i}`,
        { project, type: 'email', displayName: `e-Registration alerts: ${email}`, labels: { email_address: email } },
        opts,
      ),
  );
  const smsChannels = settings.smsNumbers.map(
    (number, i) =>
      new gcp.monitoring.NotificationChannel(
        `alert-sms-${i}`,
        { project, type: 'sms', displayName: `e-Registration pages: ${number}`, labels: { number } },
        opts,
      ),
  );
  const webhookChannels = settings.webhookUrl
    ? [
        new gcp.monitoring.NotificationChannel(
          'alert-webhook',
          {
            project,
            type: 'webhook_tokenauth',
            displayName: 'e-Registration pages: on-call webhook',
            // The URL carries its token: a secret of the stack, encrypted in its state.
            labels: { url: settings.webhookUrl },
          },
          opts,
        ),
      ]
    : [];
  const page = [...emailChannels, ...smsChannels, ...webhookChannels];
  const ticket = emailChannels.length > 0 ? emailChannels : page;
  if (page.length === 0) {
    void pulumi.log.warn(
      'No alert goes anywhere: set alertEmails (and alertSmsNumbers or alertWebhookUrl for pages), docs/operations.md',
    );
  }
  const channelsFor = (severity: Severity) => (severity === 'CRITICAL' ? page : ticket).map((c) => c.name);
  // A section's anchor as the Markdown renderers spell it: lower case, spaces as hyphens.
  const links = (section: string) =>
    settings.runbookUrl
      ? [{ displayName: section, url: `${settings.runbookUrl}#${section.toLowerCase().replaceAll(' ', '-')}` }]
      : [];

  const policy = (
    name: string,
    spec: {
      title: string;
      severity: Severity;
      section: string;
      meaning: string;
      condition: gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold;
      autoClose?: string;
    },
    dependsOn: pulumi.Resource[] = [],
  ) =>
    new gcp.monitoring.AlertPolicy(
      name,
      {
        project,
        displayName: spec.title,
        combiner: 'OR',
        severity: spec.severity,
        conditions: [{ displayName: spec.title, conditionThreshold: spec.condition }],
        notificationChannels: channelsFor(spec.severity),
        alertStrategy: { autoClose: spec.autoClose ?? '1800s' },
        documentation: {
          mimeType: 'text/markdown',
          subject: `e-Registration: ${spec.title}`,
          content: `${spec.meaning}\n\nWhat to do: docs/operations.md, section "${spec.section}".`,
          links: links(spec.section),
        },
        userLabels: { app: 'ereg' },
      },
      { ...opts, dependsOn: [...dependsOnOf(opts), ...dependsOn] },
    );

  const services = {} as Record<ObservedFunction, gcp.monitoring.CustomService>;
  const slos: gcp.monitoring.Slo[] = [];
  const policies: gcp.monitoring.AlertPolicy[] = [];
  for (const fn of OBSERVED_FUNCTIONS) {
    const objective = SERVICE_OBJECTIVES[fn];
    const service = new gcp.monitoring.CustomService(
      `slo-service-${fn}`,
      { project, serviceId: `ereg-${fn}`, displayName: `e-Registration ${objective.title} (${fn})` },
      opts,
    );
    services[fn] = service;
    const availability = new gcp.monitoring.Slo(
      `slo-${fn}-availability`,
      {
        project,
        service: service.serviceId,
        sloId: `${fn}-availability`,
        displayName: `${objective.title}: ${AVAILABILITY_GOAL * 100} % of requests without a server error`,
        goal: AVAILABILITY_GOAL,
        rollingPeriodDays: ROLLING_PERIOD_DAYS,
        // Cloud Run counts every request, also those of an instance that crashed before it could export.
        requestBasedSli: {
          goodTotalRatio: {
            totalServiceFilter: cloudRunMetric('request_count', fn),
            badServiceFilter: `${cloudRunMetric('request_count', fn)} AND metric.label."response_code_class" = "5xx"`,
          },
        },
      },
      opts,
    );
    const latency = new gcp.monitoring.Slo(
      `slo-${fn}-latency`,
      {
        project,
        service: service.serviceId,
        sloId: `${fn}-latency`,
        displayName: `${objective.title}: ${LATENCY_GOAL * 100} % of requests within ${objective.latencyMs} ms`,
        goal: LATENCY_GOAL,
        rollingPeriodDays: ROLLING_PERIOD_DAYS,
        requestBasedSli: {
          distributionCut: {
            distributionFilter: cloudRunMetric('request_latencies', fn),
            range: { max: objective.latencyMs },
          },
        },
      },
      opts,
    );
    slos.push(availability, latency);
    for (const [kind, slo] of [
      ['availability', availability],
      ['latency', latency],
    ] as const) {
      const sloName = pulumi.interpolate`projects/${project}/services/${service.serviceId}/serviceLevelObjectives/${slo.sloId}`;
      for (const [speed, burn] of Object.entries(BURN_RATES)) {
        const what = kind === 'availability' ? 'server errors' : `answers slower than ${objective.latencyMs} ms`;
        policies.push(
          policy(
            `alert-${fn}-${kind}-burn-${speed}`,
            {
              title: `${objective.title} ${kind}: error budget burning ${speed === 'fast' ? 'fast' : 'slowly'}`,
              severity: burn.severity,
              section: 'SLO burn rate',
              meaning:
                `${objective.title} (${fn}) is spending its ${ROLLING_PERIOD_DAYS}-day budget of ${what} ` +
                `${burn.threshold} times faster than it may, measured over ${Number.parseInt(burn.lookback, 10) / 3600} h.`,
              condition: {
                filter: pulumi.interpolate`select_slo_burn_rate("${sloName}", "${burn.lookback}")`,
                comparison: 'COMPARISON_GT',
                thresholdValue: burn.threshold,
                duration: burn.duration,
              },
            },
            [slo],
          ),
        );
      }
    }
  }

  policies.push(
    policy('alert-outbox-lag', {
      title: 'Events are not being delivered (outbox lag)',
      severity: 'CRITICAL',
      section: 'Outbox lag',
      meaning:
        `The oldest event a consumer has not yet taken is more than ${settings.outboxLagSeconds} s old, for five ` +
        'minutes: confirmations, reminders, availability and analytics wait behind it.',
      condition: {
        // In the cloud the outbox is relayed as each event is written, so what waits, waits in the events'
        // subscriptions (Eventarc's, whose names it chooses): all but the dead letters' hold.
        filter:
          'metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND ' +
          `resource.type = "pubsub_subscription" AND NOT resource.label."subscription_id" = "${DEAD_LETTER_SUBSCRIPTION}"`,
        comparison: 'COMPARISON_GT',
        thresholdValue: settings.outboxLagSeconds,
        duration: '300s',
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_MAX' }],
      },
    }),
    policy('alert-sms-failures', {
      title: 'Text messages are failing',
      severity: 'CRITICAL',
      section: 'SMS failures',
      meaning:
        `More than ${settings.smsFailurePercent} % of the text messages handed to Twilio failed over the last ` +
        'quarter of an hour (failed out of sent and failed).',
      condition: {
        filter: `${workloadMetric('ereg.sms.messages')} AND metric.label."outcome" = "failed"`,
        denominatorFilter: `${workloadMetric('ereg.sms.messages')} AND metric.label."outcome" = one_of("sent", "failed")`,
        comparison: 'COMPARISON_GT',
        thresholdValue: settings.smsFailurePercent / 100,
        duration: '900s',
        aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
        denominatorAggregations: [
          { alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' },
        ],
      },
    }),
    policy('alert-dead-letters', {
      title: 'Events were given up on (dead letters)',
      severity: 'ERROR',
      section: 'Dead letters',
      meaning:
        `The subscription ${DEAD_LETTER_SUBSCRIPTION} holds events a consumer failed on too often: ` +
        'their effects (availability, messages, analytics) are missing until they are replayed.',
      autoClose: '86400s',
      condition: {
        filter:
          'metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages" AND ' +
          `resource.type = "pubsub_subscription" AND resource.label."subscription_id" = "${DEAD_LETTER_SUBSCRIPTION}"`,
        comparison: 'COMPARISON_GT',
        thresholdValue: 0,
        duration: '60s',
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM' }],
      },
    }),
    policy('alert-firestore-contention', {
      title: 'Firestore transactions give up (contention)',
      severity: 'ERROR',
      section: 'Firestore contention',
      meaning:
        'More than one unit of work a second gave up after all its attempts, for five minutes: people are told ' +
        'a slot is busy although it may have room (a hot document, or traffic faster than the 500/50/5 ramp).',
      condition: {
        filter: `${workloadMetric('ereg.store.transaction.contended')} AND metric.label."store" = "firestore"`,
        comparison: 'COMPARISON_GT',
        thresholdValue: 1,
        duration: '300s',
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
      },
    }),
    policy('alert-firestore-attempts', {
      title: 'Firestore transactions retry often',
      severity: 'WARNING',
      section: 'Firestore contention',
      meaning:
        'The 95th percentile of attempts per unit of work is above 3 for ten minutes: transactions meet each ' +
        'other on the same documents (docs/capacity.md §5 expects at most 1.8 per booking when spread).',
      condition: {
        filter: `${workloadMetric('ereg.store.transaction.attempts')} AND metric.label."store" = "firestore"`,
        comparison: 'COMPARISON_GT',
        thresholdValue: 3,
        duration: '600s',
        aggregations: [
          { alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: 'REDUCE_PERCENTILE_95' },
        ],
      },
    }),
  );

  // Eventarc owns the consumers' subscriptions; their dead-letter policy names this topic (docs/operations.md).
  const deadLetterTopic = new gcp.pubsub.Topic(DEAD_LETTER_TOPIC, { project, name: DEAD_LETTER_TOPIC }, opts);
  const deadLetterSubscription = new gcp.pubsub.Subscription(
    DEAD_LETTER_SUBSCRIPTION,
    {
      project,
      name: DEAD_LETTER_SUBSCRIPTION,
      topic: deadLetterTopic.name,
      // Kept as long as Pub/Sub allows, and never deleted for want of readers: it is read only to replay.
      messageRetentionDuration: '604800s',
      expirationPolicy: { ttl: '' },
      ackDeadlineSeconds: 60,
    },
    opts,
  );

  return {
    channels: { page, ticket },
    services,
    slos,
    policies,
    deadLetter: { topic: deadLetterTopic, subscription: deadLetterSubscription },
  };
}

function dependsOnOf(opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
  const base = opts.dependsOn;
  if (base === undefined) return [];
  if (Array.isArray(base)) return base as pulumi.Resource[];
  if (pulumi.Resource.isInstance(base)) return [base];
  throw new Error('Monitoring is declared after a list of resources or one resource, not a promise of them');
}
