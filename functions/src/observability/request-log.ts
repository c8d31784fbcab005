import type { LogWriter } from './logger.ts';
import { latencyOf, severityOfStatus, writeLog } from './logger.ts';
import { runInScope, type Scope, SpanKind, SpanStatusCode, startSpan, traceOfHeaders } from './trace-context.ts';

/** What a host knows of a request when it ends, for its log line and span. */
export interface FinishedRequest {
  method: string;
  /** The request target as sent; its query is left out of the log line. */
  url: string;
  status: number;
  userAgent?: string | undefined;
  remoteIp?: string | undefined;
}

/** A request being served: its scope (span, request id, function, route) and when it began. */
export interface RequestScope extends Scope {
  startedMs: number;
}

/**
 * Opens the scope of one HTTP request: its span continues the caller's trace (`traceparent`, or
 * Google's `X-Cloud-Trace-Context`) or starts a new one; the span's id is the request's id.
 */
export function beginRequest(
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  functionName?: string,
): RequestScope {
  const parent = traceOfHeaders(headers as Record<string, string | undefined>);
  const span = startSpan(method, {
    kind: SpanKind.SERVER,
    parent,
    attributes: { 'http.request.method': method },
  });
  return { span, requestId: span.spanContext().spanId, function: functionName, startedMs: performance.now() };
}

/** Runs a request's handling with its scope current. */
export const serveInScope = <T>(scope: RequestScope, work: () => Promise<T>): Promise<T> => runInScope(scope, work);

/**
 * Ends a request: one log line in Cloud Logging's `httpRequest` shape (with the function, the route's
 * pattern and the status beside it), and its span named by method and route.
 */
export function endRequest(scope: RequestScope, request: FinishedRequest, write?: LogWriter): void {
  const path = pathOf(request.url);
  const route = scope.route;
  const latency = latencyOf(scope.startedMs, performance.now());
  runInScope(scope, () =>
    writeLog(
      severityOfStatus(request.status),
      `${scope.function ? `${scope.function} ` : ''}${route ?? `${request.method} ${path}`} ${request.status}`,
      {
        httpRequest: {
          requestMethod: request.method,
          requestUrl: path,
          status: request.status,
          latency,
          ...(request.userAgent ? { userAgent: request.userAgent } : {}),
          ...(request.remoteIp ? { remoteIp: request.remoteIp } : {}),
        },
        status: request.status,
      },
      write,
    ),
  );
  const { span } = scope;
  span.updateName(route ?? request.method);
  span.setAttribute('http.response.status_code', request.status);
  span.setAttribute('url.path', path);
  if (scope.function) span.setAttribute('faas.name', scope.function);
  if (request.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};
