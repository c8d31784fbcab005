import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Histogram,
  type Meter,
  type ObservableResult,
} from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/**
 * The system's metrics, by their OpenTelemetry names (docs/metrics.md). Cloud Monitoring shows them as
 * `workload.googleapis.com/<name>`; the Prometheus text writes dots as underscores, counters with `_total`.
 */
export const METRIC_NAMES = {
  httpDuration: 'ereg.http.server.duration',
  bookings: 'ereg.bookings',
  cancellations: 'ereg.cancellations',
  bookingRefusals: 'ereg.booking.refusals',
  transactionAttempts: 'ereg.store.transaction.attempts',
  transactionContended: 'ereg.store.transaction.contended',
  outboxLag: 'ereg.outbox.lag',
  taskQueueDepth: 'ereg.tasks.queue.depth',
  smsMessages: 'ereg.sms.messages',
  rateLimitRefusals: 'ereg.rate_limit.refusals',
  waitingRoomWaiting: 'ereg.waiting_room.waiting',
} as const;

/** Request durations in ms: fine below a tenth of a second, where the API answers, coarse above. */
const DURATION_BUCKETS_MS = [1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000, 10_000];
/** Attempts a unit of work took: Firestore retries a contended one up to its limit. */
const ATTEMPT_BUCKETS = [1, 2, 3, 5, 8, 13];

export type StoreKind = 'sqlite' | 'firestore';
/** The channels of the domain's `BookingChannel`: the app, the hotline, a text message, a centre's desk. */
export type BookingChannel = 'web' | 'phone' | 'sms' | 'desk';
export type SmsOutcomeName = 'sent' | 'failed' | 'delivered' | 'undelivered';

/**
 * What the gauges read from the store when metrics are collected: each query cheap (an index's first
 * row, a count of a small set). A source that fails is left out of that collection.
 */
export interface GaugeSources {
  /** When the oldest event not yet delivered to every consumer happened; null when none waits. */
  oldestUndeliveredEvent?(): Promise<Date | null>;
  /** Tasks due and not yet done, per queue. */
  taskQueueDepths?(): Promise<ReadonlyArray<{ queue: string; depth: number }>>;
  /** People waiting in each waiting room that has any. */
  waitingRooms?(): Promise<ReadonlyArray<{ room: string; waiting: number }>>;
  /** Requests each rate limit has refused since this process started. */
  rateLimitRefusals?(): ReadonlyArray<{ limit: string; refused: number }>;
}

/** A value read at most once per `maxAgeMs`: a scrape every second does not query the store every second. */
class Cached<T> {
  private value: { at: number; read: Promise<T> } | null = null;
  private readonly read: () => Promise<T>;
  private readonly maxAgeMs: number;
  constructor(read: () => Promise<T>, maxAgeMs: number) {
    this.read = read;
    this.maxAgeMs = maxAgeMs;
  }
  get(now: number): Promise<T> {
    if (!this.value || now - this.value.at >= this.maxAgeMs) {
      const read = this.read();
      // A failed read is not kept: the next collection tries again.
      read.catch(() => {
        if (this.value?.read === read) this.value = null;
      });
      this.value = { at: now, read };
    }
    return this.value.read;
  }
}

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * The instruments of docs/metrics.md on one meter, recorded where the facts happen: the hosts time
 * each request, the stores count attempts, the use cases tell bookings, cancellations, refusals and
 * text outcomes (it is the domain's `Telemetry`), the gauges read the store when collected. Built on a
 * no-op meter, every call costs a function call and records nothing.
 */
export class Metrics {
  private readonly meter: Meter;
  private readonly duration: Histogram;
  private readonly bookings: Counter;
  private readonly cancellations: Counter;
  private readonly refusals: Counter;
  private readonly attempts: Histogram;
  private readonly contended: Counter;
  private readonly sms: Counter;
  /** The attribute sets of the hot paths, built once each. */
  private readonly attributeCache = new Map<string, Attributes>();

  constructor(meter: Meter) {
    this.meter = meter;
    this.duration = meter.createHistogram(METRIC_NAMES.httpDuration, {
      description: 'How long the server took to answer a request, by function, route pattern and status class.',
      unit: 'ms',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_MS },
    });
    this.bookings = meter.createCounter(METRIC_NAMES.bookings, {
      description: 'Bookings made (one per person booked; a replay of the same request is not counted).',
      unit: '1',
    });
    this.cancellations = meter.createCounter(METRIC_NAMES.cancellations, {
      description: 'Visits cancelled at the request of the person, an agent or a centre’s desk.',
      unit: '1',
    });
    this.refusals = meter.createCounter(METRIC_NAMES.bookingRefusals, {
      description: 'Bookings refused, by the code the person was told (SLOT_FULL, SLOT_BUSY, …).',
      unit: '1',
    });
    this.attempts = meter.createHistogram(METRIC_NAMES.transactionAttempts, {
      description: 'Attempts each unit of work took in the store before it committed or gave up.',
      unit: '1',
      advice: { explicitBucketBoundaries: ATTEMPT_BUCKETS },
    });
    this.contended = meter.createCounter(METRIC_NAMES.transactionContended, {
      description: 'Units of work that gave up after every attempt lost to others (CONTENDED).',
      unit: '1',
    });
    this.sms = meter.createCounter(METRIC_NAMES.smsMessages, {
      description: 'Text messages by outcome: accepted by the provider (sent), failed, delivered, undelivered.',
      unit: '1',
    });
  }

  /** Metrics that record nothing (the benchmark's baseline, and a runtime that keeps none). */
  static disabled(): Metrics {
    return new Metrics(createNoopMeter());
  }

  private attributes(key: string, make: () => Attributes): Attributes {
    let attributes = this.attributeCache.get(key);
    if (!attributes) {
      attributes = make();
      this.attributeCache.set(key, attributes);
    }
    return attributes;
  }

  /** A request answered: `fn` the function (or local page surface), `route` its pattern (`unmatched` when none). */
  requestServed(fn: string, route: string | undefined, status: number, ms: number): void {
    const pattern = route ?? 'unmatched';
    const cls = statusClass(status);
    const attributes = this.attributes(`${fn}\u0000${pattern}\u0000${cls}`, () => ({
      function: fn,
      route: pattern,
      status_class: cls,
    }));
    this.duration.record(ms, attributes);
  }

  booked(channel: BookingChannel, count: number): void {
    if (count > 0)
      this.bookings.add(
        count,
        this.attributes(`c:${channel}`, () => ({ channel })),
      );
  }

  cancelled(channel: BookingChannel, count: number): void {
    if (count > 0)
      this.cancellations.add(
        count,
        this.attributes(`c:${channel}`, () => ({ channel })),
      );
  }

  bookingRefused(code: string): void {
    this.refusals.add(
      1,
      this.attributes(`r:${code}`, () => ({ code })),
    );
  }

  smsOutcome(outcome: SmsOutcomeName): void {
    this.sms.add(
      1,
      this.attributes(`s:${outcome}`, () => ({ outcome })),
    );
  }

  /** A unit of work done (or given up) in a store after `attempts` attempts. */
  unitOfWork(store: StoreKind, attempts: number, contended: boolean): void {
    const attributes = this.attributes(`u:${store}`, () => ({ store }));
    this.attempts.record(attempts, attributes);
    if (contended) this.contended.add(1, attributes);
  }

  /**
   * Registers the gauges (and the rate limits' refusals, counted by the limits themselves), read from
   * `sources` when metrics are collected; a store's answers are reused for `cacheMs`.
   */
  observe(sources: GaugeSources, options: { clock?: () => Date; cacheMs?: number } = {}): void {
    const clock = options.clock ?? (() => new Date());
    const cacheMs = options.cacheMs ?? 5000;
    const lag = this.meter.createObservableGauge(METRIC_NAMES.outboxLag, {
      description: 'Age of the oldest event not yet delivered to every consumer (0 when none waits).',
      unit: 's',
    });
    const depth = this.meter.createObservableGauge(METRIC_NAMES.taskQueueDepth, {
      description: 'Tasks due and not yet done, per queue.',
      unit: '1',
    });
    const waiting = this.meter.createObservableGauge(METRIC_NAMES.waitingRoomWaiting, {
      description: 'People waiting in a waiting room for their turn.',
      unit: '1',
    });
    const limited = this.meter.createObservableCounter(METRIC_NAMES.rateLimitRefusals, {
      description: 'Requests refused by a rate limit (429, or a text dropped), per limit.',
      unit: '1',
    });
    const oldest = sources.oldestUndeliveredEvent
      ? new Cached(sources.oldestUndeliveredEvent.bind(sources), cacheMs)
      : null;
    const depths = sources.taskQueueDepths ? new Cached(sources.taskQueueDepths.bind(sources), cacheMs) : null;
    const rooms = sources.waitingRooms ? new Cached(sources.waitingRooms.bind(sources), cacheMs) : null;
    const settled = async <T>(read: Promise<T> | undefined): Promise<T | undefined> => {
      try {
        return await read;
      } catch {
        return undefined;
      }
    };
    if (oldest) {
      lag.addCallback(async (result: ObservableResult) => {
        const now = clock();
        const at = await settled(oldest.get(Date.now()));
        if (at === undefined) return;
        result.observe(at === null ? 0 : Math.max(0, (now.getTime() - at.getTime()) / 1000));
      });
    }
    if (depths) {
      depth.addCallback(async (result: ObservableResult) => {
        for (const { queue, depth: n } of (await settled(depths.get(Date.now()))) ?? []) result.observe(n, { queue });
      });
    }
    if (rooms) {
      waiting.addCallback(async (result: ObservableResult) => {
        for (const { room, waiting: n } of (await settled(rooms.get(Date.now()))) ?? []) result.observe(n, { room });
      });
    }
    const refusals = sources.rateLimitRefusals?.bind(sources);
    if (refusals) {
      limited.addCallback((result: ObservableResult) => {
        for (const { limit, refused } of refusals()) result.observe(refused, { limit });
      });
    }
  }
}

/** A reader collected on demand: the local `/metrics` and `/dev/ops` pull from it, nothing is pushed. */
export class PullReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The local runtime's metrics: a provider with one pull reader, and the Prometheus text of what it holds. */
export interface LocalMetrics {
  metrics: Metrics;
  /** Everything recorded so far (cumulative), as the SDK holds it. */
  collect(): Promise<ResourceMetrics>;
  /** The same, as Prometheus text (version 0.0.4). */
  prometheusText(): Promise<string>;
  shutdown(): Promise<void>;
}

const SERVICE = { 'service.name': 'ereg-functions' };

/**
 * Metrics for the local server, or none (`enabled: false`, the benchmark's baseline): the same
 * surface, with an empty collection.
 */
export function localMetrics(options: { enabled?: boolean } = {}): LocalMetrics {
  if (options.enabled === false) {
    const empty: ResourceMetrics = { resource: resourceFromAttributes(SERVICE), scopeMetrics: [] };
    return {
      metrics: Metrics.disabled(),
      collect: async () => empty,
      prometheusText: async () => '',
      shutdown: async () => {},
    };
  }
  const reader = new PullReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes(SERVICE), readers: [reader] });
  const serializer = new PrometheusSerializer('', false);
  const collect = async () => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics;
  };
  return {
    metrics: new Metrics(provider.getMeter('ereg')),
    collect,
    prometheusText: async () => serializer.serialize(await collect()),
    shutdown: () => provider.shutdown(),
  };
}

/** How often the cloud pushes its metrics to Cloud Monitoring (its smallest useful period). */
export const CLOUD_EXPORT_INTERVAL_MS = 60_000;
/** The prefix Cloud Monitoring gives metrics a workload writes. */
export const CLOUD_METRIC_PREFIX = 'workload.googleapis.com';

/**
 * The cloud runtime's metrics: a provider whose periodic reader hands what was recorded to `exporter`
 * (Cloud Monitoring's) every minute.
 */
export function cloudMetrics(exporter: PushMetricExporter, options: { intervalMs?: number } = {}) {
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: options.intervalMs ?? CLOUD_EXPORT_INTERVAL_MS,
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes(SERVICE), readers: [reader] });
  return { metrics: new Metrics(provider.getMeter('ereg')), reader, provider };
}
