import type { HttpFunction as FrameworkHandler, Request, Response } from '@google-cloud/functions-framework';
import type { HttpFunction } from '../../http/http-types.ts';

function withinFunction(path: string, mounted: string | null): string {
  if (!mounted) return path;
  if (path === mounted) return '/';
  return path.startsWith(`${mounted}/`) ? path.slice(mounted.length) : path;
}

/**
 * Serves one of our handlers on the functions-framework (the Cloud Functions host). The framework
 * has already parsed a JSON body; the path it gives is the part after the function's name.
 */
export function onFunctionsFramework(handler: Promise<HttpFunction>, name?: string): FrameworkHandler {
  // Behind a Firebase Hosting rewrite the function sees the site's path, `/api/<name>/…`.
  const mounted = name ? `/api/${name}` : null;
  return async (req: Request, res: Response) => {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.query)) if (typeof value === 'string') query[name] = value;
    const hasBody =
      req.body !== undefined &&
      !(typeof req.body === 'object' && Object.keys(req.body as object).length === 0 && !req.headers['content-length']);
    const response = await (await handler)({
      method: req.method,
      path: withinFunction(req.path || '/', mounted),
      query,
      headers,
      body: hasBody ? req.body : undefined,
    });
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    // A text body (TwiML for Twilio) goes as it is, with the content type the handler set.
    if (typeof response.body === 'string') res.status(response.status).send(response.body);
    else res.status(response.status).json(response.body);
  };
}
