import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildOpenApiDocument, FUNCTION_NAMES } from '@ereg/shared';
import { type DevIdpSystem, devIdpRouter } from '../../dev/dev-idp.ts';
import { devSmsRouter, type LocalSmsSurface } from '../../dev/dev-sms.ts';
import { HOME_PAGE, HOME_PAGE_CSP } from '../../dev/home-page.ts';
import { OPS_PAGE_CSP, OpsPage } from '../../dev/ops-page.ts';
import { SMS_PAGE, SMS_PAGE_CSP } from '../../dev/sms-page.ts';
import { errorResponse, HttpError, type LogSink } from '../../http/error-response.ts';
import {
  checkNoDotSegments,
  checkPathEncoding,
  clientAddress,
  flattenHeaders,
  flattenQuery,
  mountOf,
  withinMount,
} from '../../http/http-request.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from '../../http/http-types.ts';
import { bindRoutes, createRouter, Reply, type RouteDef } from '../../http/router.ts';
import { answerHeaders, maxBodyBytes } from '../../http/security-headers.ts';
import { isStreamed, writeStreamed } from '../../http/streamed-answer.ts';
import { type LocalMetrics, localMetrics } from '../../observability/metrics.ts';
import { beginRequest, endRequest, serveInScope } from '../../observability/request-log.ts';
import { compressAnswer } from './compression.ts';
import type { LocalSystem } from './local-system.ts';
import { serveStatic } from './static-files.ts';

/** What the server uses of a system, whatever store is behind it: the functions and the identity provider. */
export type ServedSystem = Pick<LocalSystem, 'functions'> &
  Partial<Pick<LocalSystem, 'rateLimits'>> &
  DevIdpSystem & { sms?: LocalSmsSurface; metrics?: LocalMetrics };

function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        // Answered, then the connection closed: destroying the request would lose the answer.
        const message = `The request body exceeds ${limit} bytes.`;
        reject(new HttpError(413, 'BODY_TOO_LARGE', message, { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      const text = Buffer.concat(chunks).toString('utf8');
      // Twilio's webhooks and the identity provider's page post forms; everything else speaks JSON.
      if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        return resolve(Object.fromEntries(new URLSearchParams(text)));
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.'));
      }
    });
  });
}

/** Writes an answer: gzipped when it is large and the client accepts gzip (`Vary` says so to caches). */
function send(res: ServerResponse, response: ApiResponse, acceptEncoding?: string | string[]): void {
  const payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  const compressed = compressAnswer(payload, acceptEncoding);
  if (compressed) {
    const headers = answerHeaders(response);
    res.writeHead(response.status, {
      ...headers,
      'content-encoding': 'gzip',
      // Added to what the answer already varies by (a page's language, say), not in its place.
      vary: headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding',
      'content-length': compressed.length,
    });
    res.end(compressed);
    return;
  }
  res.writeHead(response.status, { ...answerHeaders(response), 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/**
 * How long a client may take, and how many may be connected at once: a client that sends its headers
 * slowly is cut off after `headersTimeout`, one whose whole request takes longer after `requestTimeout`
 * (both checked every `checkEverySeconds`), an idle kept-alive connection closes after
 * `keepAliveTimeout`, and connections beyond `maxConnections` are closed as they arrive.
 */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  checkEveryMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  checkEveryMs: 1_000,
};

/** What node:http refuses before a request exists, by its error code; anything else unreadable is a 400. */
const UNREADABLE: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request line and headers exceed 16 KiB.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.'],
};

/** Connections already answered as unreadable: node:http reports them again as more of their bytes arrive. */
const answeredUnreadable = new WeakSet<Socket>();

/**
 * How long a connection answered as unreadable still takes in (and drops) what its client sends:
 * closing it while a long header is still arriving resets it, and the reset discards the answer.
 */
const LINGER_MS = 500;

/**
 * Answers a request that node:http could not read (headers too large, not HTTP, too slow) in the
 * API's error shape, where node:http would answer with a bare status line; then closes the connection
 * (a slow client's at once, others after a short linger).
 */
function answerUnreadable(error: NodeJS.ErrnoException, socket: Socket, log: LogSink | undefined): void {
  if (answeredUnreadable.has(socket)) return;
  if (!socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  answeredUnreadable.add(socket);
  const [status, code, message] = UNREADABLE[error.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request is not valid HTTP.',
  ];
  const answer = errorResponse(new HttpError(status, code, message), { route: 'local (unreadable request)', log });
  const payload = JSON.stringify(answer.body);
  const headers = { ...answerHeaders(answer), 'content-length': Buffer.byteLength(payload), connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const reply = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${payload}`;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.end(reply, () => socket.destroy());
    return;
  }
  socket.end(reply);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** The request's target as a URL; one that no URL parser takes (`//[`, `http://:99999/`) is the client's error. */
function targetOf(req: IncomingMessage): URL {
  checkNoDotSegments(req.url ?? '/');
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, 'INVALID_PATH', 'The request target is not a valid URL.');
  }
}

const html = (body: string, csp: string) =>
  new Reply({ status: 200, body, headers: { 'content-security-policy': csp } });

/** The local server's own pages, beside the mounted functions. */
const LOCAL_PAGES = {
  healthz: { method: 'GET', path: '/healthz' },
  // The requests each limit has refused since the server started, as JSON.
  limitRefusals: { method: 'GET', path: '/healthz/limits' },
  // The benchmark's baseline: what this server does per request before any function runs.
  benchHello: { method: 'GET', path: '/bench/hello' },
  openApi: { method: 'GET', path: '/api/openapi.json' },
  smsPage: { method: 'GET', path: '/sms' },
  developerLinks: { method: 'GET', path: '/dev' },
  home: { method: 'GET', path: '/' },
  // The metrics: Prometheus text for a scraper, and a page for people (docs/metrics.md).
  metrics: { method: 'GET', path: '/metrics' },
  operations: { method: 'GET', path: '/dev/ops' },
} as const satisfies Record<string, RouteDef>;

/**
 * The lean local host: every HTTP function under `/api/<name>/…` on one node:http server, with
 * `/healthz`, the OpenAPI document, the development identity provider and the SMS page beside them.
 * Every surface is a router of the same kind, and every error (a failure of this host included) is
 * answered by the same mapper.
 */
export function createLocalServer(
  system: ServedSystem,
  options: {
    webRoot?: string;
    log?: LogSink;
    limits?: Partial<ConnectionLimits>;
    /** Proxies in front of this server whose `X-Forwarded-For` entry names the client (0: none, the default). */
    trustedProxies?: number;
  } = {},
): Server {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const log = options.log;
  const trustedProxies = options.trustedProxies ?? 0;
  const openApi = buildOpenApiDocument();
  const sms = system.sms;
  const observed = system.metrics ?? localMetrics({ enabled: false });
  const metrics = observed.metrics;
  const opsPage = new OpsPage();
  // Each mount with the function it serves, as the request metrics name it.
  const mounts: Array<[string, HttpFunction, string]> = FUNCTION_NAMES.map((name) => [
    mountOf(name),
    system.functions[name],
    name,
  ]);
  if (sms) mounts.push([mountOf('sms'), sms.webhooks, 'sms'], ['/dev-sms', devSmsRouter(sms, log), 'dev-sms']);
  mounts.push(['/dev-idp', devIdpRouter(system, log), 'dev-idp']);
  const pages = createRouter(
    bindRoutes(LOCAL_PAGES, {
      healthz: async () => ({ status: 'ok' }),
      limitRefusals: async () => ({ refusals: system.rateLimits?.refusals.list() ?? [] }),
      benchHello: async () => ({ hello: 'world' }),
      openApi: async () => openApi,
      smsPage: async () => {
        if (!sms) throw new HttpError(404, 'ROUTE_NOT_FOUND', 'This system has no SMS side.');
        return html(SMS_PAGE, SMS_PAGE_CSP);
      },
      developerLinks: async () => html(HOME_PAGE, HOME_PAGE_CSP),
      home: async () => html(HOME_PAGE, HOME_PAGE_CSP),
      metrics: async () =>
        new Reply({
          status: 200,
          body: await observed.prometheusText(),
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' },
        }),
      operations: async () => html(opsPage.render(await observed.collect()), OPS_PAGE_CSP),
    }),
    { surface: 'local', log },
  );

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkEveryMs,
    },
    async (req, res) => {
      const started = performance.now();
      const method = req.method ?? 'GET';
      const scope = beginRequest(method, req.headers, functionOf(req.url));
      let served: Served | null = null;
      try {
        served = await serveInScope(scope, () => answer(req, res, method));
      } finally {
        const userAgent = req.headers['user-agent'];
        endRequest(scope, { method, url: req.url ?? '/', status: res.statusCode, userAgent }, log);
        if (served) {
          metrics.requestServed(served.name, served.answer.route, served.answer.status, performance.now() - started);
        }
      }
    },
  );
  /**
   * Answers one request, within its scope (see the handler above); gives back the function that answered
   * and its answer, for the request's duration (none for the web apps' files).
   */
  async function answer(req: IncomingMessage, res: ServerResponse, method: string): Promise<Served | null> {
    let route = `local ${method} ${req.url ?? '/'}`;
    let served = 'local';
    try {
      const url = targetOf(req);
      route = `local ${method} ${url.pathname}`;
      checkPathEncoding(url.pathname);
      const headers = flattenHeaders(req.headers);
      const clientIp = clientAddress(req.socket.remoteAddress, headers['x-forwarded-for'], trustedProxies);
      const request = (path: string, body: unknown): ApiRequest => ({
        method,
        path,
        query: flattenQuery(url.searchParams),
        headers,
        body,
        clientIp,
      });
      for (const [mount, fn, name] of mounts) {
        const path = withinMount(url.pathname, mount);
        if (path === null) continue;
        served = name;
        const body =
          method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, maxBodyBytes(url.pathname));
        const answer = await fn(request(path, body));
        if (isStreamed(answer)) await writeStreamed(res, answer, route, log);
        else send(res, answer, req.headers['accept-encoding']);
        return { name, answer };
      }
      // The patients' app, when built: its files, and its index.html at `/` and for the app's own routes.
      const appPath = url.pathname === '/' || !pages.matches(method, url.pathname);
      if (
        options.webRoot &&
        appPath &&
        serveStatic(options.webRoot, url.pathname, method, res, req.headers['accept-encoding'])
      ) {
        return null;
      }
      const page = await pages(request(url.pathname, undefined));
      send(res, page, req.headers['accept-encoding']);
      return { name: 'local', answer: page };
    } catch (error) {
      const refused = errorResponse(error, { route, log });
      send(res, refused, req.headers['accept-encoding']);
      return { name: served, answer: refused };
    }
  }
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerUnreadable(error, socket, log));
  server.maxConnections = limits.maxConnections;
  return server;
}

/** The function that answered a request, and its answer. */
interface Served {
  name: string;
  answer: ApiResponse;
}

/** The function a request goes to (`/api/booking/…` → `booking`), or `local` for the server's own pages. */
function functionOf(url: string | undefined): string {
  const match = /^\/api\/([a-zA-Z]+)(?:[/?]|$)/.exec(url ?? '/');
  return match?.[1] ?? 'local';
}

/** Starts the server and answers its base URL once it listens. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve(`http://${host}:${address.port}`);
    });
  });
}
