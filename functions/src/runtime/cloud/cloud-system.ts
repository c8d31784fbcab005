import { createHmac, randomUUID } from 'node:crypto';
import {
  ActorPseudonyms,
  analyticsPseudonyms,
  CentreDirectory,
  type Clock,
  closeDueDays,
  DEFAULT_RATE_LIMITS,
  DEFAULT_SETTINGS,
  DEFAULT_SMS_SETTINGS,
  type Deps,
  type EventFunctionName,
  type FunctionName,
  HotlineSessionIdentity,
  LiveStaffAccounts,
  LiveSubjectIdentity,
  limitsOfScope,
  publishDueSlots,
  RateLimits,
  type SmsDeps,
  type SmsFunctionName,
  SmsPlanner,
  type SmsSender,
  // The standby list
  StandbyNotes,
  sampleLookupsForReview,
  VaccineCatalogue,
  type WebLoginConfig,
} from '@ereg/shared';
import { BigQuery } from '@google-cloud/bigquery';
import { Firestore } from '@google-cloud/firestore';
import { MetricExporter } from '@google-cloud/opentelemetry-cloud-monitoring-exporter';
import { PubSub } from '@google-cloud/pubsub';
import { CloudTasksClient } from '@google-cloud/tasks';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { type App, deleteApp, initializeApp } from 'firebase-admin/app';
import { type Auth, getAuth } from 'firebase-admin/auth';
import { BigQueryAnalytics } from '../../adapters/bigquery/bigquery-analytics.ts';
import { BigQueryReports } from '../../adapters/bigquery/bigquery-reports.ts';
import { BigQueryWarehouseTables, writeWarehouseNight } from '../../adapters/bigquery/bigquery-warehouse-tables.ts';
import { CloudTasksQueue, type TasksApi } from '../../adapters/cloud-tasks/cloud-tasks-queue.ts';
import { FirebaseIdentity } from '../../adapters/firebase/firebase-identity.ts';
import { FirebaseStaffAccounts } from '../../adapters/firebase/firebase-staff-accounts.ts';
import { FirestoreAvailabilityProjector } from '../../adapters/firestore/firestore-availability.ts';
import { FirestoreBookingMeter } from '../../adapters/firestore/firestore-booking-meter.ts';
import { FirestoreLease } from '../../adapters/firestore/firestore-lease.ts';
import { FirestoreRateLimiter } from '../../adapters/firestore/firestore-rate-limiter.ts';
import { FirestoreStore } from '../../adapters/firestore/firestore-store.ts';
import { oncePerEvent } from '../../adapters/firestore/processed-events.ts';
import { polishPostalCodes } from '../../adapters/geonames/postal-codes.ts';
import { eventConsumerFunction } from '../../adapters/pubsub/event-consumer-function.ts';
import { type EventPublisher, eventsTopic, outboxRelayHandler } from '../../adapters/pubsub/outbox-relay.ts';
import { scatteredIds, systemClock } from '../../adapters/system/clock-and-ids.ts';
import { isValidTwilioSignature } from '../../adapters/twilio/twilio-signature.ts';
import { createTwilioClient, type MessagesApi, TwilioSms } from '../../adapters/twilio/twilio-sms.ts';
import { keylessWaitingRoomDeps, waitingRoomDeps } from '../../adapters/waiting-room/ticket-signer.ts';
import { buildHttpFunctions } from '../../http/functions.ts';
import type { HttpFunction } from '../../http/http-types.ts';
import { buildSmsTaskTarget, buildSmsWebhooks } from '../../http/sms-functions.ts';
import { writeLog } from '../../observability/logger.ts';
import { CLOUD_METRIC_PREFIX, cloudMetrics, type Metrics } from '../../observability/metrics.ts';
import { admitQueueHandler } from './admit-queue.ts';
import type { CloudConfig } from './config.ts';
import type { EventFunction } from './event-functions.ts';
import { matchStandbyHandler, STANDBY_MATCHER_LEASE } from './match-standby.ts';

/** The Google clients, built once per instance and shared by all its concurrent requests. */
export interface CloudClients {
  firebase: App;
  auth: Auth;
  firestore: Firestore;
  pubsub: PubSub;
  events: EventPublisher;
  bigquery: BigQuery;
  tasks: TasksApi & { close(): Promise<void> };
  /** Null in a function that is not given Twilio's token (only smsTasks sends). */
  twilio: MessagesApi | null;
}

export interface CloudSystem {
  deps: Deps;
  store: FirestoreStore;
  identity: FirebaseIdentity;
  centres: CentreDirectory;
  smsDeps: SmsDeps;
  /** The reports' reader on BigQuery, with the answers this instance keeps. */
  reports: BigQueryReports;
  /** The HTTP functions (login, search, booking, centres, admin, reports). */
  functions: Record<FunctionName, HttpFunction>;
  /** Twilio's webhooks (`sms`, public) and the send tasks' target (`smsTasks`, private). */
  smsFunctions: Record<SmsFunctionName, HttpFunction>;
  /** The event-triggered functions. */
  events: Record<EventFunctionName, EventFunction>;
  taskQueue: CloudTasksQueue;
  sms: SmsSender;
  /** The limits per caller in force on this instance, and how many requests each has refused here. */
  rateLimits: RateLimits;
  rateLimiter: FirestoreRateLimiter;
  /** What this instance's bookings measured, shared with the other instances for the admission tick. */
  bookingMeter: FirestoreBookingMeter;
  /** This instance's metrics, pushed to Cloud Monitoring every minute (docs/metrics.md). */
  metrics: Metrics;
  close(): Promise<void>;
}

/** What a test may replace: the wait between the admission tick's seconds. */
export interface CloudSystemOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Where the metrics go (default Cloud Monitoring, as `workload.googleapis.com/<name>`). */
  metricExporter?: PushMetricExporter;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The waiting room's key: derived from the PESEL secret under its own label, so every booking instance
 * signs and verifies the same tickets, and the secret itself keys nothing else here.
 */
function queueTicketKey(peselSecret: string): string {
  return createHmac('sha256', peselSecret).update('ereg waiting-room tickets').digest('base64url');
}

/**
 * Opens every Google client from configuration and the environment: credentials are the function's
 * service account (Application Default Credentials); FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST,
 * FIREBASE_AUTH_EMULATOR_HOST and BIGQUERY_EMULATOR_HOST are honoured by the clients themselves.
 */
export function openCloudClients(config: CloudConfig): CloudClients {
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  const firebase = initializeApp({ projectId }, `ereg-${projectId}-${Date.now().toString(36)}`);
  const firestore = new Firestore({
    projectId,
    databaseId: config.FIRESTORE_DATABASE,
    ignoreUndefinedProperties: true,
  });
  const pubsub = new PubSub({ projectId });
  const tasksEndpoint = config.CLOUD_TASKS_API_ENDPOINT ? new URL(config.CLOUD_TASKS_API_ENDPOINT) : null;
  const tasks = new CloudTasksClient(
    tasksEndpoint
      ? {
          // A REST stand-in: the client's HTTP/1.1 transport instead of gRPC.
          fallback: true,
          apiEndpoint: tasksEndpoint.hostname,
          port: Number(tasksEndpoint.port || (tasksEndpoint.protocol === 'https:' ? 443 : 80)),
          protocol: tasksEndpoint.protocol.replace(':', ''),
        }
      : {},
  );
  return {
    firebase,
    auth: getAuth(firebase),
    firestore,
    pubsub,
    events: eventsTopic(pubsub, config.EVENTS_TOPIC),
    bigquery: new BigQuery({ projectId }),
    tasks,
    twilio: config.TWILIO_AUTH_TOKEN
      ? createTwilioClient({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          ...(config.TWILIO_API_BASE_URL ? { baseUrl: config.TWILIO_API_BASE_URL } : {}),
        })
      : null,
  };
}

/** The SMS provider of a function that is not given Twilio's token: it sends nothing, and says why. */
const smsNotGiven: SmsSender = {
  send: () => Promise.reject(new Error('This function is not given TWILIO_AUTH_TOKEN; only smsTasks sends.')),
};

/**
 * How the web apps sign people in on Google Cloud: patients through the identity provider, then a
 * Firebase session; centre staff, hotline agents and supervisors, the ministry's analysts and
 * administrators with their Firebase Authentication account (its custom claim `role` saying which;
 * agents and supervisors with a second factor), in the Auth emulator when the functions use one.
 */
export function webLoginOf(config: CloudConfig): WebLoginConfig {
  const apiKey = config.FIREBASE_WEB_API_KEY;
  const emulator = config.FIREBASE_AUTH_EMULATOR_HOST;
  const accounts = {
    kind: 'firebase',
    apiKey,
    ...(emulator ? { authEmulatorUrl: `http://${emulator}` } : {}),
  } as const;
  return {
    idpLoginUrl: config.IDP_LOGIN_URL,
    session: { kind: 'firebase', apiKey },
    staff: accounts,
    hotline: accounts,
    reports: accounts,
  };
}

/** One structured log line, through the one logger (its redaction, the trace of what runs now). */
const log = (severity: 'INFO' | 'WARNING' | 'ERROR', message: string, fields: Record<string, unknown> = {}): void =>
  writeLog(severity, message, fields);

/**
 * The composition root of the Google Cloud runtime: the same use cases and HTTP functions as the
 * embedded default, on Firestore, Firebase Authentication, Pub/Sub, BigQuery, Cloud Tasks and Twilio.
 */
export function createCloudSystem(
  config: CloudConfig,
  clients: CloudClients = openCloudClients(config),
  clock: Clock = systemClock,
  options: CloudSystemOptions = {},
): CloudSystem {
  const store = new FirestoreStore(clients.firestore, { peselSecret: config.PESEL_HMAC_SECRET });
  const observed = cloudMetrics(
    options.metricExporter ??
      new MetricExporter({ projectId: config.GOOGLE_CLOUD_PROJECT, prefix: CLOUD_METRIC_PREFIX }),
  );
  const metrics = observed.metrics;
  store.onUnitOfWork = (attempts, contended) => metrics.unitOfWork('firestore', attempts, contended);
  const identity = new FirebaseIdentity({
    auth: clients.auth,
    assertion: { publicKeyPem: config.IDP_PUBLIC_KEY_PEM, issuer: config.IDP_ISSUER, audience: config.IDP_AUDIENCE },
    clock,
  });
  // Sessions of staff who are no longer in the store are refused.
  const live = new LiveSubjectIdentity(identity, store, clock);
  // The stored catalogue, read at start and every minute (CATALOGUE_REFRESH_MS): an instance sees a
  // product changed elsewhere within that delay; until the first read it has the built-in list.
  const catalogue = new VaccineCatalogue(store);
  catalogue.start().catch((error: unknown) => log('WARNING', `Reading the vaccine catalogue failed: ${String(error)}`));
  const deps: Deps = {
    store,
    clock,
    ids: scatteredIds,
    // Hotline sessions end after a time idle and a time in all, whatever their tokens say.
    identity: new HotlineSessionIdentity(live, store, clock, DEFAULT_SETTINGS),
    // Accounts with role and centre claims; removing a member revokes their tokens and disables the
    // account, and this instance forgets the member at once.
    staffAccounts: new LiveStaffAccounts(live, new FirebaseStaffAccounts(clients.auth)),
    vaccines: catalogue.vaccines,
    catalogue,
    settings: DEFAULT_SETTINGS,
    // Keyed by the PESEL secret: the functions that show patients their access log have it.
    pseudonyms: new ActorPseudonyms(config.PESEL_HMAC_SECRET),
    // The waiting room. Booking (given the PESEL secret) signs and verifies tickets under a key derived
    // from it. Search is given no secret: its gate reads the person's ticket from the store and never
    // signs or verifies one, so its signer signs nothing (throws) and verifies nothing; admitQueue
    // signs nothing either. The other functions without the secret never reach the waiting room.
    queue: config.PESEL_HMAC_SECRET
      ? waitingRoomDeps(queueTicketKey(config.PESEL_HMAC_SECRET))
      : keylessWaitingRoomDeps(),
    // The operators' metrics: bookings, cancellations, refusals and text outcomes as they are committed.
    ...{ telemetry: metrics },
  };
  const centres = new CentreDirectory(store, clock, polishPostalCodes());
  // Booking records here; admitQueue reads every booking instance's summary (one document each).
  const instanceId = randomUUID();
  const bookingMeter = new FirestoreBookingMeter(clients.firestore, {
    instanceId,
    clock,
    onWriteFailed: (reason) => log('WARNING', `The booking meter's summary was not written: ${String(reason)}`),
  });
  // Per caller, counted in Firestore across instances; per network, at the edge (Cloud Armor, infra/src/edge.ts).
  const rateLimiter = new FirestoreRateLimiter(clients.firestore, {
    clock,
    keySecret: config.PESEL_HMAC_SECRET,
    onFailOpen: (reason) => log('WARNING', `A rate limit was not counted: ${String(reason)}`, { failOpen: true }),
  });
  const rateLimits = new RateLimits(rateLimiter, limitsOfScope(config.RATE_LIMITS ?? DEFAULT_RATE_LIMITS, 'identity'));
  metrics.observe({
    rateLimitRefusals: () => rateLimits.refusals.list().map((r) => ({ limit: r.limit, refused: r.refused })),
  });
  const analytics = new BigQueryAnalytics(
    clients.bigquery.dataset(config.BIGQUERY_DATASET).table(config.BIGQUERY_TABLE),
    { timeZone: DEFAULT_SETTINGS.timeZone, pseudonym: analyticsPseudonyms(config.PESEL_HMAC_SECRET), clock },
  );
  // Read by the reports function; kept for the instance, so its answers serve every request it takes.
  const reports = new BigQueryReports(clients.bigquery, {
    projectId: config.GOOGLE_CLOUD_PROJECT,
    dataset: config.BIGQUERY_DATASET,
    clock,
    timeZone: DEFAULT_SETTINGS.timeZone,
  });
  const warehouseTables = new BigQueryWarehouseTables(clients.bigquery.dataset(config.BIGQUERY_DATASET));
  const taskQueue = new CloudTasksQueue(clients.tasks, {
    queuePath: config.TASKS_QUEUE_PATH,
    url: config.TASKS_TARGET_URL,
    serviceAccountEmail: config.TASKS_SERVICE_ACCOUNT,
  });
  const sms = clients.twilio
    ? new TwilioSms(clients.twilio, {
        messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
        statusCallback: `${config.SMS_WEBHOOK_URL}/status`,
      })
    : smsNotGiven;
  const smsDeps: SmsDeps = {
    ...deps,
    tasks: taskQueue,
    sms,
    smsSettings: {
      ...DEFAULT_SMS_SETTINGS,
      contact: { hotline: config.SMS_HOTLINE, web: config.SMS_WEB_URL ?? null },
      peoplePerPhonePerDay: config.SMS_PEOPLE_PER_PHONE_PER_DAY,
    },
    centres,
  };
  return {
    deps,
    smsDeps,
    store,
    identity,
    centres,
    reports,
    functions: buildHttpFunctions(deps, centres, {
      web: webLoginOf(config),
      limits: rateLimits,
      reports: reports.reader,
      preview: reports.preview,
      bookingMeter,
    }),
    smsFunctions: {
      sms: buildSmsWebhooks(
        smsDeps,
        {
          publicUrl: () => config.SMS_WEBHOOK_URL,
          verify: (url, params, signature) =>
            config.TWILIO_AUTH_TOKEN !== undefined &&
            isValidTwilioSignature(config.TWILIO_AUTH_TOKEN, url, params, signature),
        },
        { limits: rateLimits },
      ),
      smsTasks: buildSmsTaskTarget(smsDeps),
    },
    events: {
      relayOutbox: outboxRelayHandler(() => clients.events),
      projectAvailability: eventConsumerFunction(new FirestoreAvailabilityProjector(store)),
      recordAnalytics: eventConsumerFunction(oncePerEvent(clients.firestore, analytics)),
      // Planning is idempotent by message key and task name: no marks needed.
      planMessages: eventConsumerFunction(new SmsPlanner(smsDeps)),
      // Cloud Scheduler publishes to a topic once a night; what the message says does not matter.
      // Once the night's slots are out, the warehouse gets the day's snapshot and fresh dimensions;
      // a run retried after a failure publishes nothing new and writes the same day again, in place.
      publishDueSlots: async (cloudEvent) => {
        const published = await publishDueSlots(deps);
        log('INFO', `Published ${published.created} new slots across ${published.centres} centres.`, {
          trigger: cloudEvent.id,
          ...published,
        });
        const written = await writeWarehouseNight(deps, warehouseTables);
        log(
          written.centresWithoutPlace > 0 ? 'WARNING' : 'INFO',
          `Wrote the availability snapshot of ${written.date} (${written.snapshots} rows) and the dimensions ` +
            `(${written.centres} centres, ${written.vaccines} vaccines, ${written.population} population rows)` +
            (written.centresWithoutPlace > 0
              ? `; ${written.centresWithoutPlace} centres have no voivodeship that can be told from their address.`
              : '.'),
          { trigger: cloudEvent.id, warehouse: written },
        );
      },
      // Cloud Scheduler publishes to `sample-lookups` once a night.
      sampleLookups: async (cloudEvent) => {
        const sampled = await sampleLookupsForReview(deps);
        log('INFO', `Queued ${sampled.queued} of ${sampled.looked} look-ups of ${sampled.date} for review.`, {
          trigger: cloudEvent.id,
          ...sampled,
        });
      },
      // Cloud Scheduler publishes to `close-days` every quarter of an hour.
      closeCentreDays: async (cloudEvent) => {
        const closed = await closeDueDays(deps);
        log('INFO', `Closed ${closed.days} centre days; ${closed.noShows} visits nobody came to are no-shows.`, {
          trigger: cloudEvent.id,
          ...closed,
        });
      },
      // Cloud Scheduler publishes `{"seconds":55}` to `admit-queue` every minute.
      admitQueue: admitQueueHandler({
        deps,
        meter: bookingMeter,
        lease: new FirestoreLease(clients.firestore),
        instanceId,
        sleep: options.sleep ?? sleepFor,
        log,
      }),
      // The standby list: Cloud Scheduler publishes `{"seconds":55}` to `match-standby` every minute.
      matchStandby: matchStandbyHandler({
        deps,
        lease: new FirestoreLease(clients.firestore, STANDBY_MATCHER_LEASE),
        instanceId,
        sleep: options.sleep ?? sleepFor,
        log,
      }),
      noteStandby: eventConsumerFunction(new StandbyNotes(deps)),
    },
    taskQueue,
    sms,
    rateLimits,
    rateLimiter,
    bookingMeter,
    metrics,
    async close() {
      // What was recorded since the last export goes out before the instance ends.
      await observed.provider.shutdown().catch(() => {});
      catalogue.stop();
      bookingMeter.stop();
      await bookingMeter.settled();
      await Promise.allSettled([
        clients.firestore.terminate(),
        clients.pubsub.close(),
        clients.tasks.close(),
        deleteApp(clients.firebase),
      ]);
    },
  };
}
