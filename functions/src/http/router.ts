import {
  type FunctionName,
  forbidden,
  type Identity,
  type Principal,
  ROUTES,
  type RouteName,
  type RouteSpec,
  unauthenticated,
} from '@ereg/shared';
import { errorResponse } from './error-response.ts';
import type { ApiRequest, ApiResponse, HttpFunction } from './http-types.ts';

export interface RouteContext {
  principal: Principal | null;
  params: Record<string, string>;
  // The route's zod schema has validated these; handlers cast them to the schema's output type.
  body: unknown;
  query: unknown;
  headers: Record<string, string | undefined>;
}

export type RouteHandler = (context: RouteContext) => Promise<unknown>;

interface CompiledRoute {
  name: RouteName;
  spec: RouteSpec;
  segments: string[];
  handler: RouteHandler;
}

const split = (path: string) => path.split('/').filter((s) => s.length > 0);

function match(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const pattern = route.segments[i] as string;
    const actual = segments[i] as string;
    if (pattern.startsWith(':')) params[pattern.slice(1)] = decodeURIComponent(actual);
    else if (pattern !== actual) return null;
  }
  return params;
}

async function authenticate(identity: Identity, request: ApiRequest, spec: RouteSpec): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (spec.roles === 'public') return null;
  if (!header) throw unauthenticated('UNAUTHENTICATED', 'Log in first: send Authorization: Bearer <token>.');
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    throw unauthenticated('UNAUTHENTICATED', 'The Authorization header must be: Bearer <token>.');
  }
  const principal = await identity.verifySession(token);
  if (!spec.roles.includes(principal.role)) {
    throw forbidden('ROLE_NOT_ALLOWED', `This operation is not available to the ${principal.role} role.`);
  }
  return principal;
}

/**
 * Builds one HTTP function from its routes: match, authenticate, validate with the route's zod
 * schemas, call the handler (one use case), and map every error in one place.
 */
export function createHttpFunction(
  fn: FunctionName,
  identity: Identity,
  handlers: Partial<Record<RouteName, RouteHandler>>,
): HttpFunction {
  const routes: CompiledRoute[] = [];
  for (const [name, spec] of Object.entries(ROUTES) as Array<[RouteName, RouteSpec]>) {
    if (spec.fn !== fn) continue;
    const handler = handlers[name];
    if (!handler) throw new Error(`Route ${name} of function ${fn} has no handler.`);
    routes.push({ name, spec, segments: split(spec.path), handler });
  }
  // Literal segments win over parameters (`/patients/lookup` before `/:centreId`).
  routes.sort(
    (a, b) => b.segments.filter((s) => !s.startsWith(':')).length - a.segments.filter((s) => !s.startsWith(':')).length,
  );

  return async (request: ApiRequest): Promise<ApiResponse> => {
    try {
      const segments = split(request.path);
      let allowed: string[] = [];
      for (const route of routes) {
        const params = match(route, segments);
        if (!params) continue;
        if (route.spec.method !== request.method) {
          allowed.push(route.spec.method);
          continue;
        }
        allowed = [];
        const principal = await authenticate(identity, request, route.spec);
        const body = route.spec.body ? route.spec.body.parse(request.body ?? {}) : undefined;
        const query = route.spec.query ? route.spec.query.parse(request.query) : undefined;
        const result = await route.handler({ principal, params, body, query, headers: request.headers });
        return { status: route.spec.status ?? 200, body: result };
      }
      if (allowed.length > 0) {
        return {
          status: 405,
          headers: { allow: allowed.join(', ') },
          body: { error: { code: 'METHOD_NOT_ALLOWED', message: `Use ${allowed.join(' or ')} here.` } },
        };
      }
      return {
        status: 404,
        body: { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.path}.` } },
      };
    } catch (error) {
      return errorResponse(error);
    }
  };
}
