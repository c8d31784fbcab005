import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';

export { SpanKind, SpanStatusCode };

/** What is running now: its span, and for an HTTP request the request's id, function and route pattern. */
export interface Scope {
  span: Span;
  /** The request span's id: the request log line and every error answer of the request carry it. */
  requestId?: string | undefined;
  function?: string | undefined;
  /** The route's pattern (`POST /appointments`), once the router has matched one. */
  route?: string | undefined;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The scope of the code running now (a request, a consumer's event, a task), if any. */
export function currentScope(): Scope | undefined {
  return scopes.getStore();
}

/** Names the route pattern the router matched, for the request log line and the span. */
export function noteRoute(pattern: string): void {
  const scope = scopes.getStore();
  if (!scope) return;
  scope.route = pattern;
  scope.span.setAttribute('http.route', pattern);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Reads a W3C `traceparent` header (version-traceid-parentid-flags); null when it is absent or broken,
 * as the specification says a receiver then starts a new trace.
 */
export function parseTraceparent(header: string | undefined): SpanContext | null {
  if (!header) return null;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}

const CLOUD_TRACE = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?$/;

/** Reads Google's `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1` (the span id in decimal). */
export function parseCloudTraceContext(header: string | undefined): SpanContext | null {
  if (!header) return null;
  const match = CLOUD_TRACE.exec(header.trim());
  if (!match) return null;
  const traceId = (match[1] as string).toLowerCase();
  let spanId = ZERO_SPAN;
  try {
    spanId = BigInt(match[2] ?? '0')
      .toString(16)
      .padStart(16, '0');
  } catch {
    return null;
  }
  if (traceId === ZERO_TRACE || spanId.length > 16 || spanId === ZERO_SPAN) return null;
  return { traceId, spanId, traceFlags: match[3] === '1' ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true };
}

/** The caller's trace of an HTTP request: `traceparent` first, then Google's header; null starts a new one. */
export function traceOfHeaders(headers: Readonly<Record<string, string | undefined>>): SpanContext | null {
  return parseTraceparent(headers.traceparent) ?? parseCloudTraceContext(headers['x-cloud-trace-context']);
}

/** A span's context as a `traceparent` value, to carry it across a boundary (event, message, task). */
export function formatTraceparent(context: SpanContext): string {
  const flags = context.traceFlags & TraceFlags.SAMPLED ? '01' : '00';
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** The `traceparent` of what runs now, or undefined outside any scope. */
export function currentTraceparent(): string | undefined {
  const scope = scopes.getStore();
  return scope ? formatTraceparent(scope.span.spanContext()) : undefined;
}

/** A fresh `traceparent` (a new sampled trace), for work that starts with no caller. */
export function freshTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export interface TracingOptions {
  /** Where finished spans go: Cloud Trace in the cloud, memory in tests; none keeps spans for logs only. */
  exporter?: SpanExporter | undefined;
  /** Export in batches (the cloud) rather than as each span ends (tests). */
  batch?: boolean | undefined;
  /** The share of new traces recorded (a caller's decision is followed); 1 unless told. */
  sampleRatio?: number | undefined;
}

let provider = new BasicTracerProvider();
let tracer: Tracer = provider.getTracer('ereg');

/**
 * Sets where spans go for this process (once, in a composition root). Without it spans are still
 * made — their ids are in every log line — but go nowhere.
 */
export function configureTracing(options: TracingOptions = {}): BasicTracerProvider {
  const processors: SpanProcessor[] = options.exporter
    ? [options.batch ? new BatchSpanProcessor(options.exporter) : new SimpleSpanProcessor(options.exporter)]
    : [];
  const ratio = options.sampleRatio ?? 1;
  provider = new BasicTracerProvider({
    spanProcessors: processors,
    sampler: new ParentBasedSampler({ root: ratio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio) }),
  });
  tracer = provider.getTracer('ereg');
  return provider;
}

/** Sends what spans are still buffered (before an instance stops). */
export function flushTraces(): Promise<void> {
  return provider.forceFlush();
}

/** Where a new span hangs: a caller's context, a carried `traceparent`, or what runs now. */
export type Parent = SpanContext | string | null | undefined;

function parentContext(parent: Parent): Context {
  if (parent === null) return ROOT_CONTEXT;
  if (parent === undefined) {
    const scope = scopes.getStore();
    return scope ? trace.setSpan(ROOT_CONTEXT, scope.span) : ROOT_CONTEXT;
  }
  const context = typeof parent === 'string' ? parseTraceparent(parent) : parent;
  return context ? trace.setSpanContext(ROOT_CONTEXT, context) : ROOT_CONTEXT;
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Undefined: under what runs now; null: a new trace; otherwise the carried context. */
  parent?: Parent;
  attributes?: Attributes;
}

/** Starts a span without making it current (the HTTP hosts end it when the answer is written). */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  return tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    parentContext(options.parent),
  );
}

/** Runs `work` with `scope` current: log lines and child spans written meanwhile belong to it. */
export function runInScope<T>(scope: Scope, work: () => T): T {
  return scopes.run(scope, work);
}

/**
 * Runs `work` in a new span, current for its duration (and for what it awaits), ended when it
 * settles; a throw marks the span as an error and goes on.
 */
export async function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const span = startSpan(name, options);
  const outer = scopes.getStore();
  const scope: Scope = outer && options.parent === undefined ? { ...outer, span } : { span };
  try {
    return await scopes.run(scope, () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** The `traceparent` an event carries from the request that wrote it, if it was recorded. */
export function traceOfEvent(event: object): string | undefined {
  return 'trace' in event && typeof event.trace === 'string' ? event.trace : undefined;
}
