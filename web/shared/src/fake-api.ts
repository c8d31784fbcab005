/*
 * A stand-in of the API for the web apps' component tests: `fetch` answered from a table of routes,
 * every request recorded. Only test files import this.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer of the stand-in API: status (200), body, and headers (a refusal's Retry-After). */
type Reply = { status?: number; body: unknown; headers?: Record<string, string> };
type Answer = Reply | (() => Reply);
type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

/** A stand-in of the API: `"GET /api/search"` → answer (or a function of the request); unknown routes 404. */
export function fakeApi(routes: Record<string, Answer | Handler>) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const request: RecordedRequest = {
      method,
      url: String(input),
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(
        Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
    };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    const answer = typeof route === 'function' ? await (route as Handler)(request) : route;
    const { status = 200, body } = answer ?? {
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND', message: 'No route.' } },
    };
    const headers = new Map(Object.entries(answer?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      json: async () => body,
    } as Response;
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** An API error answer, as the server sends it. */
export const apiError = (status: number, code: string, details?: Record<string, unknown>) => ({
  status,
  body: { error: { code, message: `${code} (server text)`, ...(details ? { details } : {}) } },
});
