import type { HttpFunction as FrameworkHandler, Request, Response } from '@google-cloud/functions-framework';
import { errorResponse, type LogSink } from '../../http/error-response.ts';
import { flattenHeaders, flattenQuery, mountOf, withinMount } from '../../http/http-request.ts';
import type { ApiResponse, HttpFunction } from '../../http/http-types.ts';

/**
 * Serves one of our handlers on the functions-framework (the Cloud Functions host). The framework
 * has already parsed a JSON body; the path it gives is the part after the function's name.
 */
export function onFunctionsFramework(handler: Promise<HttpFunction>, name?: string, log?: LogSink): FrameworkHandler {
  // Behind a Firebase Hosting rewrite the function sees the site's path, `/api/<name>/…`.
  const mount = name ? mountOf(name) : null;
  return async (req: Request, res: Response) => {
    const path = req.path || '/';
    let response: ApiResponse;
    try {
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
      });
    } catch (error) {
      // The system failed to start (a handler itself answers its own errors).
      response = errorResponse(error, { route: `${name ?? 'function'} ${req.method} ${path}`, log });
    }
    for (const [header, value] of Object.entries(response.headers ?? {})) res.setHeader(header, value);
    // A text body (TwiML for Twilio) goes as it is, with the content type the handler set.
    if (typeof response.body === 'string') res.status(response.status).send(response.body);
    else res.status(response.status).json(response.body);
  };
}
