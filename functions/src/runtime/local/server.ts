import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildOpenApiDocument, FUNCTION_NAMES, type FunctionName } from '@ereg/shared';
import { type DevIdpSystem, handleDevIdp } from '../../dev/dev-idp.ts';
import { handleDevSms, type LocalSmsSurface } from '../../dev/dev-sms.ts';
import { HOME_PAGE } from '../../dev/home-page.ts';
import { SMS_PAGE } from '../../dev/sms-page.ts';
import type { ApiRequest, ApiResponse } from '../../http/http-types.ts';
import type { LocalSystem } from './local-system.ts';
import { serveStatic } from './static-files.ts';

/** What the server uses of a system, whatever store is behind it: the functions and the identity provider. */
export type ServedSystem = Pick<LocalSystem, 'functions'> & DevIdpSystem & { sms?: LocalSmsSurface };

const MAX_BODY_BYTES = 256 * 1024;

class BodyError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyError(413, 'BODY_TOO_LARGE', `The request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      const text = Buffer.concat(chunks).toString('utf8');
      // Twilio's webhooks post forms; everything else speaks JSON.
      if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        return resolve(Object.fromEntries(new URLSearchParams(text)));
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError(400, 'INVALID_JSON', 'The request body is not valid JSON.'));
      }
    });
  });
}

function send(res: ServerResponse, response: ApiResponse): void {
  const isText = typeof response.body === 'string';
  const payload = isText ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}

function toApiRequest(req: IncomingMessage, url: URL, path: string, body: unknown): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), headers, body };
}

/**
 * The lean local host: every HTTP function under `/api/<name>/…` on one node:http server, with
 * `/healthz`, the OpenAPI document and the development identity provider beside them.
 */
export function createLocalServer(system: ServedSystem, options: { webRoot?: string } = {}): Server {
  const openApi = buildOpenApiDocument();
  const functions = system.functions as Record<string, (r: ApiRequest) => Promise<ApiResponse>>;
  const names = new Set<string>(FUNCTION_NAMES);

  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const segments = url.pathname.split('/');
      // segments: ['', 'api', '<function>', ...rest]
      if (segments[1] === 'api' && segments[2] && names.has(segments[2])) {
        const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
        const path = `/${segments.slice(3).join('/')}`;
        const fn = functions[segments[2] as FunctionName] as (r: ApiRequest) => Promise<ApiResponse>;
        send(res, await fn(toApiRequest(req, url, path, body)));
        return;
      }
      const sms = system.sms;
      if (sms && url.pathname.startsWith('/api/sms/')) {
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        return send(res, await sms.webhooks(toApiRequest(req, url, url.pathname.slice('/api/sms'.length), body)));
      }
      if (sms && url.pathname.startsWith('/dev-sms/')) {
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        const base = `http://${req.headers.host ?? '127.0.0.1'}`;
        return send(
          res,
          await handleDevSms(sms, toApiRequest(req, url, url.pathname.slice('/dev-sms'.length), body), base),
        );
      }
      if (sms && url.pathname === '/sms' && req.method === 'GET') return send(res, { status: 200, body: SMS_PAGE });
      if (url.pathname === '/healthz') return send(res, { status: 200, body: { status: 'ok' } });
      // The benchmark's baseline: what this server does per request before any function runs.
      if (url.pathname === '/bench/hello') return send(res, { status: 200, body: { hello: 'world' } });
      if (url.pathname === '/api/openapi.json') return send(res, { status: 200, body: openApi });
      if (url.pathname.startsWith('/dev-idp/')) {
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        const path = url.pathname.slice('/dev-idp'.length);
        return send(res, await handleDevIdp(system, toApiRequest(req, url, path, body)));
      }
      if (url.pathname === '/dev' && req.method === 'GET') return send(res, { status: 200, body: HOME_PAGE });
      // The patients' app: its files, and its index.html for the app's own routes.
      if (options.webRoot && serveStatic(options.webRoot, url.pathname, req.method ?? 'GET', res)) return;
      if (url.pathname === '/' && req.method === 'GET') return send(res, { status: 200, body: HOME_PAGE });
      send(res, { status: 404, body: { error: { code: 'NOT_FOUND', message: `Nothing at ${url.pathname}.` } } });
    } catch (error) {
      if (error instanceof BodyError) {
        send(res, { status: error.status, body: { error: { code: error.code, message: error.message } } });
        return;
      }
      console.error(error);
      send(res, { status: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } } });
    }
  });
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
