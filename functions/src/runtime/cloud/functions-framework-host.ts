import type { HttpFunction as FrameworkHandler, Request, Response } from '@google-cloud/functions-framework';
import { errorResponse, HttpError, type LogSink } from '../../http/error-response.ts';
import { flattenHeaders, flattenQuery, mountOf, withinMount } from '../../http/http-request.ts';
import type { ApiResponse, HttpFunction } from '../../http/http-types.ts';
import { answerHeaders, maxBodyBytes } from '../../http/security-headers.ts';
import { isStreamed, writeStreamed } from '../../http/streamed-answer.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { beginRequest, endRequest, serveInScope } from '../../observability/request-log.ts';

/**
 * The framework reads bodies up to its own limit (tens of megabytes) before the handler runs; this
 * refuses what is larger than ours: by the declared length, and by the raw body it kept (a chunked
 * request declares none).
 */
function refuseLargeBody(req: Request, limit: number): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const received = req.rawBody?.length ?? 0;
  if (declared > limit || received > limit) {
    throw new HttpError(413, 'BODY_TOO_LARGE', `The request body exceeds ${limit} bytes.`);
  }
}

/**
 * Serves one of our handlers on the functions-framework (the Cloud Functions host). The framework
 * has already parsed a JSON body; the path it gives is the part after the function's name.
 */
export function onFunctionsFramework(
  handler: Promise<HttpFunction>,
  name?: string,
  log?: LogSink,
  /**
   * The function's name in log lines, spans and metrics (given when it is not mounted under its name:
   * Twilio's webhooks), and where each request's duration is recorded once the system is up (none before).
   */
  observed?: { metrics?: Promise<Metrics>; name: string },
): FrameworkHandler {
  // Behind a Firebase Hosting rewrite the function sees the site's path, `/api/<name>/…`.
  const mount = name ? mountOf(name) : null;
  const functionName = observed?.name ?? name;
  let recorder: Metrics | null = null;
  observed?.metrics?.then(
    (m) => {
      recorder = m;
    },
    () => {},
  );
  return async (req: Request, res: Response) => {
    const started = performance.now();
    const scope = beginRequest(req.method, req.headers, functionName);
    let served: ApiResponse | undefined;
    try {
      served = await serveInScope(scope, () => answer(req, res));
    } finally {
      const userAgent = req.headers['user-agent'];
      endRequest(
        scope,
        { method: req.method, url: req.originalUrl || req.url, status: res.statusCode, userAgent },
        log,
      );
      recorder?.requestServed(
        functionName ?? 'function',
        served?.route,
        served?.status ?? res.statusCode,
        performance.now() - started,
      );
    }
  };
  /** Answers the request; gives back the answer, for the duration's route and status. */
  async function answer(req: Request, res: Response): Promise<ApiResponse> {
    const path = req.path || '/';
    let response: ApiResponse;
    try {
      // The site path, whether the request came through the Hosting rewrite or to the function itself.
      const sitePath =
        mount && withinMount(path, mount) !== null ? path : `/api/${name ?? ''}${path === '/' ? '' : path}`;
      refuseLargeBody(req, maxBodyBytes(sitePath));
      const hasBody =
        req.body !== undefined &&
        !(
          typeof req.body === 'object' &&
          Object.keys(req.body as object).length === 0 &&
          !req.headers['content-length']
        );
      response = await (await handler)({
        method: req.method,
        path: (mount && withinMount(path, mount)) ?? path,
        query: flattenQuery(req.query),
        headers: flattenHeaders(req.headers),
        body: hasBody ? req.body : undefined,
        // On Cloud Functions the peer is Google's front end: limits per network are kept at the edge.
        clientIp: req.socket.remoteAddress,
      });
    } catch (error) {
      // A body too large, or the system failed to start (a handler itself answers its own errors).
      response = errorResponse(error, { route: `${name ?? 'function'} ${req.method} ${path}`, log });
    }
    if (isStreamed(response)) {
      await writeStreamed(res, response, `${name ?? 'function'} ${req.method} ${path}`, log);
      return response;
    }
    for (const [header, value] of Object.entries(answerHeaders(response))) res.setHeader(header, value);
    // A text body (TwiML for Twilio) goes as it is, with the content type the handler set.
    const payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    res.status(response.status).send(payload);
    return response;
  }
}
