import { MetricExporter } from '@google-cloud/opentelemetry-cloud-monitoring-exporter';
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { CLOUD_EXPORT_INTERVAL_MS, CLOUD_METRIC_PREFIX, cloudMetrics, localMetrics, METRIC_NAMES } from './metrics.ts';

describe('the cloud metrics', () => {
  test('are pushed by a periodic reader once a minute', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const { reader, provider } = cloudMetrics(exporter);
    expect(reader).toBeInstanceOf(PeriodicExportingMetricReader);
    // The reader keeps its interval to itself: read it as the SDK stores it.
    expect((reader as unknown as { _exportInterval: number })._exportInterval).toBe(CLOUD_EXPORT_INTERVAL_MS);
    expect(CLOUD_EXPORT_INTERVAL_MS).toBe(60_000);
    await provider.shutdown();
  });

  test('reach the exporter with the names, units and attributes of docs/metrics.md', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const { metrics, provider } = cloudMetrics(exporter);
    metrics.booked('phone', 3);
    metrics.bookingRefused('SLOT_FULL');
    metrics.unitOfWork('firestore', 4, true);
    metrics.requestServed('booking', 'POST /appointments', 201, 42);
    await provider.forceFlush();
    const exported = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const named = (name: string) => exported.find((m) => m.descriptor.name === name);
    expect(named(METRIC_NAMES.bookings)?.dataPoints).toEqual([
      expect.objectContaining({ attributes: { channel: 'phone' }, value: 3 }),
    ]);
    expect(named(METRIC_NAMES.bookingRefusals)?.dataPoints[0]?.attributes).toEqual({ code: 'SLOT_FULL' });
    expect(named(METRIC_NAMES.transactionContended)?.dataPoints[0]?.value).toBe(1);
    const duration = named(METRIC_NAMES.httpDuration);
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration?.descriptor.unit).toBe('ms');
    expect(duration?.dataPoints[0]?.attributes).toEqual({
      function: 'booking',
      route: 'POST /appointments',
      status_class: '2xx',
    });
    await provider.shutdown();
  });

  test('go to Cloud Monitoring under workload.googleapis.com, built without a call to it', () => {
    expect(CLOUD_METRIC_PREFIX).toBe('workload.googleapis.com');
    const exporter = new MetricExporter({ projectId: 'ereg-test', prefix: CLOUD_METRIC_PREFIX });
    // The exporter keeps its prefix to itself: read it as the exporter stores it.
    expect((exporter as unknown as { _metricPrefix: string })._metricPrefix).toBe('workload.googleapis.com');
  });
});

describe('the local metrics', () => {
  test('record nothing when turned off, through the same calls', async () => {
    const off = localMetrics({ enabled: false });
    off.metrics.booked('web', 1);
    off.metrics.requestServed('booking', 'POST /appointments', 201, 5);
    expect(await off.prometheusText()).toBe('');
    const on = localMetrics();
    on.metrics.booked('web', 2);
    expect(await on.prometheusText()).toMatch(/^ereg_bookings_total\{channel="web"[^}]*\} 2$/m);
    await on.shutdown();
  });
});
