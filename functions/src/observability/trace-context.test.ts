import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  configureTracing,
  currentTraceparent,
  formatTraceparent,
  inSpan,
  parseCloudTraceContext,
  parseTraceparent,
  traceOfHeaders,
} from './trace-context.ts';

describe('reading a caller’s trace', () => {
  test('takes a W3C traceparent, and refuses a broken or all-zero one', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.traceFlags).toBe(0);
    for (const broken of [
      '',
      'hello',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    ]) {
      expect(parseTraceparent(broken)).toBeNull();
    }
  });

  test('a later version’s traceparent is read by its first four fields', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more')?.spanId).toBe(
      '00f067aa0ba902b7',
    );
  });

  test('takes Google’s X-Cloud-Trace-Context, its span id in decimal', () => {
    expect(parseCloudTraceContext('105445aa7843bc8bf206b12000100000/1;o=1')).toEqual({
      traceId: '105445aa7843bc8bf206b12000100000',
      spanId: '0000000000000001',
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseCloudTraceContext('105445aa7843bc8bf206b12000100000/18446744073709551615;o=0')?.spanId).toBe(
      'ffffffffffffffff',
    );
    expect(parseCloudTraceContext('105445aa7843bc8bf206b12000100000/18446744073709551616')).toBeNull();
    expect(parseCloudTraceContext('nope')).toBeNull();
  });

  test('prefers traceparent to Google’s header', () => {
    const both = traceOfHeaders({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1',
    });
    expect(both?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceOfHeaders({})).toBeNull();
  });
});

describe('spans', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => configureTracing({ exporter }));
  afterAll(() => configureTracing());
  beforeEach(() => exporter.reset());

  test('nest under what runs now, and carry on across a boundary through a traceparent', async () => {
    let carried = '';
    await inSpan('POST /appointments', { parent: null }, async () => {
      await inSpan('store.transaction', {}, async () => {
        carried = currentTraceparent() ?? '';
      });
    });
    await inSpan('consume sms', { parent: carried }, async () => {});
    const spans = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span]));
    const request = spans['POST /appointments'];
    const transaction = spans['store.transaction'];
    const consumer = spans['consume sms'];
    expect(transaction?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(consumer?.parentSpanContext?.spanId).toBe(transaction?.spanContext().spanId);
    expect(new Set([request, transaction, consumer].map((span) => span?.spanContext().traceId)).size).toBe(1);
    expect(carried).toBe(formatTraceparent(transaction?.spanContext() ?? { traceId: '', spanId: '', traceFlags: 0 }));
  });

  test('a failure marks its span as an error and goes on to the caller', async () => {
    await expect(
      inSpan('twilio.messages.create', {}, async () => {
        throw new Error('Twilio answered 503');
      }),
    ).rejects.toThrow('Twilio answered 503');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.status.message).toBe('Error');
  });

  test('outside any span there is no trace to carry', () => {
    expect(currentTraceparent()).toBeUndefined();
  });
});
