import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import {
  ActorPseudonyms,
  // The waiting room
  admissionTick,
  analyticsPseudonyms,
  CentreDirectory,
  type Clock,
  closeDueDays,
  DEFAULT_RATE_LIMITS,
  DEFAULT_SETTINGS,
  DEFAULT_SMS_SETTINGS,
  type Deps,
  type FunctionName,
  HotlineSessionIdentity,
  InProcessRateLimiter,
  LiveStaffAccounts,
  LiveSubjectIdentity,
  publishDueSlots,
  type RateLimitPolicy,
  RateLimits,
  type Settings,
  type SmsDeps,
  SmsPlanner,
  type SmsSettings,
  // The standby list
  StandbyNotes,
  type StandbyTick,
  sampleLookupsForReview,
  standbyTick,
  type TickReport,
  VaccineCatalogue,
} from '@ereg/shared';
import { polishPostalCodes } from '../../adapters/geonames/postal-codes.ts';
import {
  AvailabilityProjector,
  availabilityNeedsRebuild,
  rebuildAvailability,
} from '../../adapters/sqlite/availability-projector.ts';
import { startCheckpointer } from '../../adapters/sqlite/checkpointer.ts';
import { LocalSms } from '../../adapters/sqlite/local-sms.ts';
import { inEveryProcess, inStoreTransaction, OutboxDispatcher } from '../../adapters/sqlite/outbox-dispatcher.ts';
import { Poller } from '../../adapters/sqlite/poller.ts';
import { RetentionPurge } from '../../adapters/sqlite/retention-purge.ts';
import { BUSY_TIMEOUT_MS, prepareDatabase } from '../../adapters/sqlite/schema.ts';
import { SqliteAnalytics } from '../../adapters/sqlite/sqlite-analytics.ts';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.ts';
import { SqliteTaskQueue, TaskRunner } from '../../adapters/sqlite/sqlite-task-queue.ts';
import { randomIds, systemClock } from '../../adapters/system/clock-and-ids.ts';
import { isValidTwilioSignature } from '../../adapters/twilio/twilio-signature.ts';
// The waiting room
import { SlidingBookingMeter, withLoopDelay } from '../../adapters/waiting-room/booking-meter.ts';
import { waitingRoomDeps } from '../../adapters/waiting-room/ticket-signer.ts';
import { loadDemoData } from '../../demo/load-demo-data.ts';
import { loadReportHistory } from '../../demo/load-report-history.ts';
import { DevIdentity, loadOrCreateDevKeys } from '../../dev/dev-identity.ts';
import { DevPeople } from '../../dev/dev-people.ts';
import type { LocalSmsSurface } from '../../dev/dev-sms.ts';
import { buildHttpFunctions } from '../../http/functions.ts';
import type { HttpFunction } from '../../http/http-types.ts';
import { buildSmsWebhooks } from '../../http/sms-functions.ts';
import { createLogger, type LogWriter } from '../../observability/logger.ts';
import { type LocalMetrics, localMetrics } from '../../observability/metrics.ts';
import { LocalReports, REFRESH_REST_TIMES } from '../../reports/local-reports.ts';
import { loadOrCreateSmsToken, runLocalSmsTask } from './local-sms-wiring.ts';

export interface LocalSystemOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  clock?: Clock;
  settings?: Partial<Settings>;
  /** Demo data to load on first start; null for an empty system. */
  demo?: { seed: number; centres: number; citizens: number } | null;
  sessionSeconds?: number;
  /** Where the system's log lines go (JSON, one per line); the process's output unless given. */
  log?: LogWriter;
  /**
   * Extend every centre's slots to the horizon before answering ('await', the default), or after,
   * without delaying start-up ('background'; `published` settles when done).
   */
  publish?: 'await' | 'background';
  /** How long search may reuse what it read (availability, first slots, answers); 0 for never. */
  searchCacheMs?: number;
  smsSettings?: Partial<SmsSettings>;
  /**
   * Run the outbox dispatcher, the task runner and the WAL checkpointer on their own (the default).
   * `false` leaves them to the caller (`dispatcher.drain()`, `sms.runner.runDue()`): tests step them.
   */
  background?: boolean;
  /** How often the dispatcher and the task runner look for work when running on their own, and the purge runs. */
  pollMs?: {
    outbox?: number;
    tasks?: number;
    purge?: number;
    closeDays?: number;
    sampleLookups?: number;
    /** How often the reports' views take in new events (a vaccination shows within this and a request). */
    reports?: number;
    // The waiting room
    /** How often the waiting rooms admit (default every second). */
    queue?: number;
    // The standby list
    /** How often held places lapse and noted places are offered (default every 5 seconds). */
    standby?: number;
  };
  /**
   * The rate limits, counted in this process on the system's clock (default DEFAULT_RATE_LIMITS;
   * NO_RATE_LIMITS for none).
   */
  rateLimits?: RateLimitPolicy;
  /**
   * Keep the metrics (`/metrics`, `/dev/ops`; the default), or record nothing (the benchmark's
   * baseline). `gaugeCacheMs`: how long the gauges reuse what they read from the store (default 5 s).
   */
  metrics?: { enabled?: boolean; gaugeCacheMs?: number };
}

interface Parts {
  deps: Deps;
  db: DatabaseSync;
  store: SqliteStore;
  identity: DevIdentity;
  people: DevPeople;
  centres: CentreDirectory;
  functions: Record<FunctionName, HttpFunction>;
  dispatcher: OutboxDispatcher;
  retention: RetentionPurge;
  sms: LocalSmsSurface & { tasks: SqliteTaskQueue };
  rateLimits: RateLimits;
  published: Promise<void>;
  reports: LocalReports;
  // The waiting room
  queue: LocalQueue;
  // The standby list
  standby: LocalStandby;
  metrics: LocalMetrics;
}

/** The waiting rooms' admission: what it measures of booking, and one tick run now (tests run it themselves). */
export interface LocalQueue {
  meter: SlidingBookingMeter;
  tick(): Promise<TickReport[]>;
}

/** The standby list's run: lapses, then offers; on its own in the background (tests run `tick()` themselves). */
export interface LocalStandby {
  tick(): Promise<StandbyTick>;
}

/**
 * The embedded default, composed once for every way it runs (`npm start`, the functions-framework
 * with `EREG_RUNTIME=local`, the tests and the browser harness): SQLite store, development identity
 * provider, the outbox dispatcher feeding the availability read model, SQL analytics, the SMS planner
 * and the centre cache, the task runner sending text messages, and every HTTP function.
 */
export class LocalSystem {
  readonly deps: Deps;
  readonly db: DatabaseSync;
  readonly store: SqliteStore;
  readonly identity: DevIdentity;
  readonly people: DevPeople;
  readonly centres: CentreDirectory;
  readonly functions: Record<FunctionName, HttpFunction>;
  readonly dispatcher: OutboxDispatcher;
  /** Deletes what has outlived its retention (docs/data-inventory.md); on its own in the background. */
  readonly retention: RetentionPurge;
  /** Text messages: the ledger's use cases, the local phone, the task queue and runner, Twilio-style webhooks. */
  readonly sms: LocalSmsSurface & { tasks: SqliteTaskQueue };
  /** The limits in force, and how many requests each has refused. */
  readonly rateLimits: RateLimits;
  /** Settles when the start-up publication of slots is done. */
  readonly published: Promise<void>;
  /** The reports' warehouse on this database, refreshed on its own in the background (`refresh()` in tests). */
  readonly reports: LocalReports;
  // The waiting room
  readonly queue: LocalQueue;
  // The standby list
  readonly standby: LocalStandby;
  /** The metrics this process records, read by `/metrics` and `/dev/ops` (docs/metrics.md). */
  readonly metrics: LocalMetrics;
  private readonly shutdown: () => Promise<void>;
  private stopping: Promise<void> | null = null;

  private constructor(parts: Parts, shutdown: () => Promise<void>) {
    this.deps = parts.deps;
    this.db = parts.db;
    this.store = parts.store;
    this.identity = parts.identity;
    this.people = parts.people;
    this.centres = parts.centres;
    this.functions = parts.functions;
    this.dispatcher = parts.dispatcher;
    this.retention = parts.retention;
    this.sms = parts.sms;
    this.rateLimits = parts.rateLimits;
    this.published = parts.published;
    this.reports = parts.reports;
    // The waiting room
    this.queue = parts.queue;
    // The standby list
    this.standby = parts.standby;
    this.metrics = parts.metrics;
    this.shutdown = shutdown;
  }

  /** Opens the database, builds every part and starts the background ones (see `background`). */
  static async start(options: LocalSystemOptions): Promise<LocalSystem> {
    // Every line through the one logger; `options.log` takes the finished JSON lines instead of the output.
    const write = options.log;
    const log = createLogger(write);
    const say = (message: string) => log.info(message);
    if (options.dbPath !== ':memory:') mkdirSync(dirname(options.dbPath), { recursive: true });
    const db = new DatabaseSync(options.dbPath, { timeout: BUSY_TIMEOUT_MS });
    prepareDatabase(db);
    const clock = options.clock ?? systemClock;
    if (availabilityNeedsRebuild(db)) {
      log.info('Building the availability read model from the slots (once)…');
      rebuildAvailability(db);
    }
    const store = new SqliteStore(db);
    const observed = localMetrics({ enabled: options.metrics?.enabled ?? true });
    if (options.metrics?.enabled !== false) {
      store.onUnitOfWork = (attempts, contended) => observed.metrics.unitOfWork('sqlite', attempts, contended);
    }
    const identity = new DevIdentity(loadOrCreateDevKeys(db), clock, options.sessionSeconds);
    const people = new DevPeople(db);
    // A generated data set records how far ahead its slots go; publishing further would take minutes.
    const horizon = db.prepare("SELECT value FROM meta WHERE key = 'settings.slotHorizonDays'").get() as
      | { value: string }
      | undefined;
    // Sessions of staff who are no longer in the store are refused; a removal takes effect at once in
    // this process (LiveStaffAccounts), within 30 s in another on the same file.
    const live = new LiveSubjectIdentity(identity, store, clock);
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      ...(horizon ? { slotHorizonDays: Number(horizon.value) } : {}),
      ...options.settings,
    };
    // The stored catalogue (seeded on a new file): read again on each save's event, and every minute.
    const catalogue = new VaccineCatalogue(store);
    await catalogue.refresh();
    const deps: Deps = {
      store,
      clock,
      ids: randomIds,
      // Hotline sessions end after a time idle and a time in all, whatever their tokens say.
      identity: new HotlineSessionIdentity(live, store, clock, settings),
      staffAccounts: new LiveStaffAccounts(live),
      vaccines: catalogue.vaccines,
      catalogue,
      settings,
      pseudonyms: new ActorPseudonyms(loadOrCreateDevKeys(db).sessionSecret),
      // The waiting room
      queue: waitingRoomDeps(loadOrCreateDevKeys(db).sessionSecret),
      // The operators' metrics: bookings, cancellations, refusals and text outcomes as they are committed.
      ...{ telemetry: observed.metrics },
    };
    const centres = new CentreDirectory(store, clock, polishPostalCodes(), 10_000, options.searchCacheMs ?? 2000);
    const tasks = new SqliteTaskQueue(store, clock);
    const phone = new LocalSms(store, clock);
    const smsDeps: SmsDeps = {
      ...deps,
      tasks,
      sms: phone,
      smsSettings: { ...DEFAULT_SMS_SETTINGS, ...options.smsSettings },
      centres,
    };
    const runner = new TaskRunner(store, clock, (task) => runLocalSmsTask(smsDeps, task.payload), { log: write });
    const analytics = new SqliteAnalytics(db, {
      timeZone: settings.timeZone,
      pseudonym: analyticsPseudonyms(loadOrCreateDevKeys(db).sessionSecret),
      clock,
    });
    // Built before the demo data and the first publication, so the centre cache follows their events.
    const dispatcher = new OutboxDispatcher(
      store,
      [
        inStoreTransaction(new AvailabilityProjector(db)),
        inStoreTransaction(analytics),
        new SmsPlanner(smsDeps),
        inEveryProcess(centres.follower()),
        inEveryProcess(catalogue.follower()),
        // The standby list: freed places noted, entries of people booked elsewhere ended.
        new StandbyNotes(deps),
      ],
      write,
    );
    const retention = new RetentionPurge(store, clock, { log: write });
    // As Cloud Scheduler does in the cloud: every quarter of an hour, the centre-days that are over are closed.
    let closing: Promise<unknown> = Promise.resolve();
    const dayCloser = new Poller(
      () => {
        closing = closeDueDays(deps).then((closed) => {
          if (closed.days > 0)
            log.info(`Closed ${closed.days} centre days; ${closed.noShows} visits nobody came to are no-shows.`);
        });
        return closing;
      },
      (error) => log.warn(`Closing centre days failed: ${String(error)}`),
    );
    // As Cloud Scheduler does in the cloud once a night: yesterday's look-ups are sampled (a day already
    // sampled gains nothing from another run, so every six hours is enough).
    let sampling: Promise<unknown> = Promise.resolve();
    const lookupSampler = new Poller(
      () => {
        sampling = sampleLookupsForReview(deps).then((sampled) => {
          if (sampled.queued > 0) log.info(`Queued ${sampled.queued} look-ups of ${sampled.date} for review.`);
        });
        return sampling;
      },
      (error) => log.warn(`Sampling look-ups for review failed: ${String(error)}`),
    );
    const reports = new LocalReports(db, store, deps);
    let refreshing: Promise<unknown> = Promise.resolve();
    let warming: Promise<unknown> = Promise.resolve();
    const reportsRefresher = new Poller(
      () => {
        refreshing = reports.refresh().then((refreshed) => {
          const slow = refreshed.filter((r) => r.ms >= 1000);
          if (slow.length > 0) log.info(`Reports refreshed: ${slow.map((r) => `${r.view} ${r.ms} ms`).join(', ')}.`);
        });
        return refreshing;
      },
      (error) => log.warn(`Refreshing the reports failed: ${String(error)}`),
    );
    // The waiting room: as the scheduled function does in the cloud, every second the rooms admit.
    // It measures bookings and how long the server's one event loop was held up.
    const meter = new SlidingBookingMeter();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const measured = withLoopDelay(meter, loopDelay);
    let ticking: Promise<unknown> = Promise.resolve();
    const queue: LocalQueue = { meter, tick: () => admissionTick(deps, measured) };
    const admitter = new Poller(
      () => {
        ticking = queue.tick();
        return ticking;
      },
      (error) => log.warn(`Admitting from the waiting rooms failed: ${String(error)}`),
    );
    // The standby list: as the scheduled function does in the cloud, every few seconds held places lapse
    // and noted places are offered.
    let matching: Promise<unknown> = Promise.resolve();
    const standby: LocalStandby = { tick: () => standbyTick(deps) };
    const matcher = new Poller(
      () => {
        matching = standby.tick().then((run) => {
          if (run.offered + run.expired > 0)
            log.info(`Standby list: ${run.offered} places offered, ${run.expired} lapsed.`);
        });
        return matching;
      },
      (error) => log.warn(`Offering places to the standby list failed: ${String(error)}`),
    );
    if (options.demo) await loadDemoData(deps, db, people, options.demo, say);
    const publishing = publishDueSlots(deps).then((published) => {
      if (published.created > 0)
        log.info(`Published ${published.created} new slots across ${published.centres} centres.`);
    });
    if (options.publish !== 'background') await publishing;
    else publishing.catch((error: unknown) => log.warn(`Publishing slots failed: ${String(error)}`));
    // In memory: a restart forgets the counts, and the hot path touches no store.
    const rateLimits = new RateLimits(new InProcessRateLimiter(clock), options.rateLimits ?? DEFAULT_RATE_LIMITS);
    const authToken = loadOrCreateSmsToken(db);
    const webhooks = buildSmsWebhooks(
      smsDeps,
      {
        // Locally the public URL is wherever the server was reached.
        publicUrl: (request) => `http://${request.headers.host ?? '127.0.0.1'}/api/sms`,
        verify: (url, params, signature) => isValidTwilioSignature(authToken, url, params, signature),
      },
      { log: write, limits: rateLimits },
    );
    observed.metrics.observe(
      {
        oldestUndeliveredEvent: async () => dispatcher.oldestUndelivered(),
        taskQueueDepths: async () => [{ queue: 'sms', depth: dueTasks(db, clock.now()) }],
        waitingRooms: async () => waitingRooms(db),
        rateLimitRefusals: () => rateLimits.refusals.list().map((r) => ({ limit: r.limit, refused: r.refused })),
      },
      { clock: () => clock.now(), cacheMs: options.metrics?.gaugeCacheMs },
    );
    const background = options.background ?? true;
    const checkpointer =
      background && options.dbPath !== ':memory:'
        ? startCheckpointer(db, options.dbPath, (message) => log.warn(message))
        : null;
    if (background) {
      dispatcher.start(options.pollMs?.outbox);
      await catalogue.start();
      runner.start(options.pollMs?.tasks);
      retention.start(options.pollMs?.purge);
      dayCloser.start(options.pollMs?.closeDays ?? 15 * 60_000);
      lookupSampler.start(options.pollMs?.sampleLookups ?? 6 * 3_600_000);
      reportsRefresher.start(options.pollMs?.reports ?? 20_000, { restTimes: REFRESH_REST_TIMES });
      // The waiting room
      admitter.start(options.pollMs?.queue ?? 1000);
      // The standby list
      matcher.start(options.pollMs?.standby ?? 5000);
      // Not waited for: a demo's reports get their history, then every view its first refresh.
      const demo = options.demo;
      warming = (async () => {
        if (demo) await loadReportHistory(deps, db, store, analytics, reports, demo.seed, say);
        await reports.refresh();
      })().catch((error: unknown) => log.warn(`Preparing the reports failed: ${String(error)}`));
    }
    return new LocalSystem(
      {
        deps,
        db,
        store,
        identity,
        people,
        centres,
        functions: buildHttpFunctions(deps, centres, {
          log: write,
          limits: rateLimits,
          reports: reports.reader,
          preview: reports.preview,
          // The waiting room
          bookingMeter: meter,
        }),
        dispatcher,
        retention,
        sms: { deps: smsDeps, phone, runner, webhooks, authToken, tasks },
        rateLimits,
        published: publishing.catch(() => {}),
        reports,
        // The waiting room
        queue,
        // The standby list
        standby,
        metrics: observed,
      },
      async () => {
        await publishing.catch(() => {});
        await dispatcher.stop();
        catalogue.stop();
        await runner.stop();
        await retention.stop();
        dayCloser.stop();
        lookupSampler.stop();
        reportsRefresher.stop();
        // The waiting room
        admitter.stop();
        loopDelay.disable();
        await ticking.catch(() => {});
        // The standby list
        matcher.stop();
        await matching.catch(() => {});
        await warming;
        await refreshing.catch(() => {});
        await closing.catch(() => {});
        await sampling.catch(() => {});
        await store.flush();
        await checkpointer?.stop();
        db.close();
        await observed.shutdown();
      },
    );
  }

  /** Stops the background parts, lets the work in progress finish and closes the database; idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }
}

/** Tasks due and not yet done (pending and due, or running): the local task queue's depth. */
function dueTasks(db: DatabaseSync, now: Date): number {
  const row = db
    .prepare(
      `SELECT (SELECT count(*) FROM scheduled_tasks WHERE status = 'pending' AND run_at <= ?)
            + (SELECT count(*) FROM scheduled_tasks WHERE status = 'running') AS n`,
    )
    .get(now.toISOString()) as { n: number };
  return row.n;
}

/** People waiting in each waiting room that has any. */
function waitingRooms(db: DatabaseSync): Array<{ room: string; waiting: number }> {
  const rows = db
    .prepare("SELECT room_id AS room, count(*) AS waiting FROM queue_tickets WHERE status = 'waiting' GROUP BY room_id")
    .all() as Array<{ room: string; waiting: number }>;
  return rows.map((r) => ({ room: r.room, waiting: Number(r.waiting) }));
}
