import {
  forbidden,
  type HttpMethod,
  type Identity,
  type LimitClass,
  networkKey,
  type Principal,
  RateLimitedError,
  type RateLimits,
  type Role,
  subjectKey,
  unauthenticated,
} from '@ereg/shared';
import type { z } from 'zod';
import { noteRoute } from '../observability/trace-context.ts';
import { errorResponse, HttpError, type LogSink } from './error-response.ts';
import { checkPathEncoding } from './http-request.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from './http-types.ts';

/**
 * A route of any HTTP surface: the API's ROUTES entries, the text messages' webhooks, the development
 * tools and the local pages. The schemas say what it reads; the router parses that before the handler runs.
 */
export interface RouteDef {
  method: HttpMethod;
  /** Path inside the surface, with `:param` segments. */
  path: string;
  /** Who may call it; `public` (or none) needs no token. */
  roles?: readonly Role[] | 'public';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The headers the route reads, named as HTTP spells them; looked up whatever their case. */
  headers?: z.ZodObject;
  /** Status of a successful answer. */
  status?: number;
  /** The limits that count its requests: per network before the token is read, per caller after. */
  limit?: LimitClass;
}

type Parsed<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** What a handler gets: each part of the request its route reads, parsed by the route's schema. */
export interface RouteInput<R extends RouteDef> {
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
  headers: Parsed<R, 'headers'>;
}

export interface RouteContext<R extends RouteDef> {
  /** The caller, for routes with roles (authenticated before the handler runs); null on public ones. */
  principal: R extends { readonly roles: readonly Role[] } ? Principal : null;
  /** The request as it came, for what no schema covers (the host, the whole signed form). */
  request: ApiRequest;
}

export type Handler<R extends RouteDef, Result> = (input: RouteInput<R>, context: RouteContext<R>) => Promise<Result>;

/** An answer a handler writes itself (a page, a redirect, TwiML), sent as it is. */
export class Reply {
  readonly response: ApiResponse;
  constructor(response: ApiResponse) {
    this.response = response;
  }
}

interface ParsedInput {
  params: unknown;
  query: unknown;
  body: unknown;
  headers: unknown;
}

/** A route and its handler, ready for a router. */
export interface BoundRoute {
  def: RouteDef;
  run: (input: ParsedInput, context: { principal: Principal | null; request: ApiRequest }) => Promise<unknown>;
}

/** Binds a handler to its route: the handler's input and caller are typed from the route's schemas and roles. */
export function handle<R extends RouteDef, Result>(def: R, handler: Handler<R, Result>): BoundRoute {
  // The router parses every part with exactly these schemas, so the parsed values have R's types.
  return { def, run: handler as unknown as BoundRoute['run'] };
}

/** Handlers for every route of a table, each typed by its own route. */
export type TableHandlers<T extends Record<string, RouteDef>> = { [N in keyof T]: Handler<T[N], unknown> };

/** Binds each route of a table to its handler (the table's key names both). */
export function bindRoutes<T extends Record<string, RouteDef>>(table: T, handlers: TableHandlers<T>): BoundRoute[] {
  return (Object.keys(table) as Array<keyof T>).map((name) => handle(table[name], handlers[name]));
}

export interface RouterOptions {
  /** Names the surface in log lines (`booking`, `sms`, `dev-idp`). */
  surface: string;
  /** Verifies bearer sessions; needed when a route has roles. */
  identity?: Identity;
  /** Checked on every matched request before its input is read (the webhooks' signature). */
  guard?: (request: ApiRequest) => void | Promise<void>;
  /** The rate limits of the routes that declare a `limit`; none are applied without it. */
  limits?: RateLimits | undefined;
  log?: LogSink | undefined;
}

/** One HTTP surface: answers every request, and says whether a request has a route here. */
export interface Router extends HttpFunction {
  matches(method: string, path: string): boolean;
}

interface Compiled {
  route: BoundRoute;
  segments: string[];
}

const split = (path: string) => path.split('/').filter((s) => s.length > 0);

function match(compiled: Compiled, segments: string[]): Record<string, string> | null {
  if (compiled.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const pattern = compiled.segments[i] as string;
    const actual = segments[i] as string;
    if (pattern.startsWith(':')) {
      try {
        params[pattern.slice(1)] = decodeURIComponent(actual);
      } catch {
        throw new HttpError(400, 'INVALID_PATH', 'The path is not validly encoded.');
      }
    } else if (pattern !== actual) return null;
  }
  return params;
}

async function authenticate(identity: Identity | undefined, request: ApiRequest, def: RouteDef) {
  if (def.roles === undefined || def.roles === 'public') return null;
  if (!identity) throw new Error(`The route ${def.method} ${def.path} has roles but its router no identity.`);
  const header = request.headers.authorization;
  if (!header) throw unauthenticated('UNAUTHENTICATED', 'Log in first: send Authorization: Bearer <token>.');
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    throw unauthenticated('UNAUTHENTICATED', 'The Authorization header must be: Bearer <token>.');
  }
  const principal = await identity.verifySession(token);
  if (!def.roles.includes(principal.role)) {
    throw forbidden('ROLE_NOT_ALLOWED', `This operation is not available to the ${principal.role} role.`);
  }
  return principal;
}

/**
 * The caller of a public route that sent a token anyway (a signed-in person searching), for the limits
 * per caller: a token that does not verify is no one, and the route answers as for anyone.
 */
async function signedInCaller(identity: Identity | undefined, request: ApiRequest): Promise<Principal | null> {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  if (!identity || scheme?.toLowerCase() !== 'bearer' || !token) return null;
  try {
    return await identity.verifySession(token);
  } catch {
    return null;
  }
}

function headersOf(schema: z.ZodObject, request: ApiRequest): Record<string, string | undefined> {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) picked[name] = request.headers[name.toLowerCase()];
  return picked;
}

function parseInput(def: RouteDef, request: ApiRequest, params: Record<string, string>): ParsedInput {
  return {
    params: def.params ? def.params.parse(params) : undefined,
    query: def.query ? def.query.parse(request.query) : undefined,
    body: def.body ? def.body.parse(request.body ?? {}) : undefined,
    headers: def.headers ? def.headers.parse(headersOf(def.headers, request)) : undefined,
  };
}

/**
 * The router of every HTTP surface: match the path (literal segments before parameters), answer 405
 * with Allow for a known path and another method, count the request against its route's limits (the
 * network's, then the caller's once authenticated — on a public route, of a caller whose token
 * verifies), count each refusal by its limit, authenticate for the route's roles, parse its
 * input with its schemas, run the handler, and map every error in one place (errorResponse).
 */
export function createRouter(routes: readonly BoundRoute[], options: RouterOptions): Router {
  const compiled: Compiled[] = routes.map((route) => ({ route, segments: split(route.def.path) }));
  const literals = (c: Compiled) => c.segments.filter((s) => !s.startsWith(':')).length;
  compiled.sort((a, b) => literals(b) - literals(a));

  function find(method: string, path: string) {
    const segments = split(path);
    const allowed = new Set<string>();
    for (const candidate of compiled) {
      const params = match(candidate, segments);
      if (!params) continue;
      if (candidate.route.def.method === method) return { candidate, params, allowed: [] };
      allowed.add(candidate.route.def.method);
    }
    return { candidate: null, allowed: [...allowed] };
  }

  const router = async (request: ApiRequest): Promise<ApiResponse> => {
    let routeName = `${options.surface} ${request.method} ${request.path}`;
    let pattern: string | undefined;
    try {
      checkPathEncoding(request.path);
      const found = find(request.method, request.path);
      if (!found.candidate) {
        if (found.allowed.length > 0) {
          const allow = found.allowed.join(', ');
          throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Use ${found.allowed.join(' or ')} here.`, { allow });
        }
        throw new HttpError(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.path}.`);
      }
      const { def, run } = found.candidate.route;
      routeName = `${options.surface} ${def.method} ${def.path}`;
      pattern = `${def.method} ${def.path}`;
      noteRoute(pattern);
      const { limits } = options;
      const limited = def.limit && limits ? def.limit : null;
      if (limited && limits?.applies(limited, 'network')) {
        await limits.admit(limited, 'network', networkKey(request.clientIp));
      }
      const principal = await authenticate(options.identity, request, def);
      if (limited && limits?.applies(limited, 'identity')) {
        const caller = principal ?? (await signedInCaller(options.identity, request));
        if (caller) await limits.admit(limited, 'identity', subjectKey(caller));
      }
      await options.guard?.(request);
      const result = await run(parseInput(def, request, found.params), { principal, request });
      if (result instanceof Reply) return { ...result.response, route: pattern };
      return { status: def.status ?? 200, body: result, route: pattern };
    } catch (error) {
      // Each refused request is counted once, here, where its 429 is answered.
      if (error instanceof RateLimitedError) options.limits?.refusals.count(error);
      const answer = errorResponse(error, { route: routeName, log: options.log });
      return pattern === undefined ? answer : { ...answer, route: pattern };
    }
  };
  return Object.assign(router, {
    matches(method: string, path: string) {
      try {
        return find(method, path).candidate !== null;
      } catch {
        return true;
      }
    },
  });
}
