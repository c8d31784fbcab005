import {
  DEFAULT_RATE_LIMITS,
  type Identity,
  InProcessRateLimiter,
  notFound,
  type Principal,
  type RateLimitPolicy,
  RateLimits,
  ROUTES,
  unauthenticated,
} from '@ereg/shared';
import { FakeClock } from '@ereg/shared/testing';
import { z } from 'zod';
import type { ApiRequest } from './http-types.ts';
import { bindRoutes, createRouter, handle, Reply, type RouteDef } from './router.ts';

const AGENT: Principal = { role: 'agent', agentId: 'agent-1' };

/** Accepts one token, for the agent. */
const identity: Identity = {
  verifyAssertion: () => Promise.reject(new Error('not used')),
  issueSession: () => Promise.reject(new Error('not used')),
  verifySession: async (token) => {
    if (token !== 'agent-token') throw unauthenticated('INVALID_TOKEN', 'Unknown token.');
    return AGENT;
  },
};

const request = (method: string, path: string, parts: Partial<ApiRequest> = {}): ApiRequest => ({
  method,
  path,
  query: {},
  headers: { authorization: 'Bearer agent-token' },
  body: undefined,
  ...parts,
});

const TABLE = {
  hello: { method: 'GET', path: '/hello/:name', params: z.object({ name: z.string().min(2) }) },
  count: { method: 'GET', path: '/count', query: z.object({ n: z.coerce.number().int() }) },
  lookup: { method: 'POST', path: '/hello/lookup', body: z.object({ pesel: z.string() }).strict() },
  boom: { method: 'POST', path: '/boom' },
  missing: { method: 'GET', path: '/missing' },
  page: { method: 'GET', path: '/page' },
} as const satisfies Record<string, RouteDef>;

function testRouter() {
  const lines: string[] = [];
  const seen: unknown[] = [];
  const routes = [
    ...bindRoutes(TABLE, {
      hello: async ({ params }) => ({ greeting: `Hello ${params.name}` }),
      count: async ({ query }) => ({ doubled: query.n * 2 }),
      lookup: async ({ body }) => ({ pesel: body.pesel }),
      boom: async () => {
        throw new Error('database connection lost at 10.0.0.7');
      },
      missing: async () => {
        throw notFound('THING_NOT_FOUND', 'There is no such thing.', 'thing');
      },
      page: async () => new Reply({ status: 200, body: '<p>hi</p>', headers: { 'content-type': 'text/html' } }),
    }),
    handle(ROUTES.book, async (input, context) => {
      seen.push({ input, principal: context.principal });
      return { bookingId: 'b-1', appointments: [] };
    }),
  ];
  const router = createRouter(routes, { surface: 'test', identity, log: (line) => lines.push(line) });
  const logged = () => lines.map((line) => JSON.parse(line));
  return { router, seen, logged };
}

describe('the router', () => {
  test('gives the handler its path parameters, query, body and headers parsed by the route’s schemas', async () => {
    const { router, seen } = testRouter();
    expect(await router(request('GET', '/hello/Ada'))).toEqual({
      status: 200,
      body: { greeting: 'Hello Ada' },
      route: 'GET /hello/:name',
    });
    expect((await router(request('GET', '/count', { query: { n: '21' } }))).body).toEqual({ doubled: 42 });
    const booked = await router(
      request('POST', '/appointments', {
        headers: { authorization: 'Bearer agent-token', 'idempotency-key': 'attempt-0001' },
        body: { slotId: 'slot-1', patientId: 'p-1', reason: 'caller asked' },
      }),
    );
    expect(booked.status).toBe(201);
    expect(seen).toEqual([
      {
        input: {
          params: undefined,
          query: undefined,
          body: { slotId: 'slot-1', patientId: 'p-1', reason: 'caller asked' },
          headers: { 'Idempotency-Key': 'attempt-0001' },
        },
        principal: AGENT,
      },
    ]);
  });

  test('prefers a literal segment over a parameter', async () => {
    const { router } = testRouter();
    const reply = await router(request('POST', '/hello/lookup', { body: { pesel: '44051401359' } }));
    expect(reply).toEqual({ status: 200, body: { pesel: '44051401359' }, route: 'POST /hello/lookup' });
  });

  test('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const { router } = testRouter();
    const reply = await router(request('GET', '/nowhere/at/all'));
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    expect(router.matches('GET', '/nowhere/at/all')).toBe(false);
    expect(router.matches('GET', '/hello/Ada')).toBe(true);
  });

  test('answers a known path with another method with 405 and the allowed methods', async () => {
    const { router } = testRouter();
    const reply = await router(request('DELETE', '/hello/lookup'));
    expect(reply.status).toBe(405);
    expect(reply.headers).toEqual({ allow: 'POST, GET' });
    expect(reply.body).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  test('refuses a malformed Idempotency-Key with 400 naming the header, before the handler runs', async () => {
    const { router, seen } = testRouter();
    for (const key of ['short', 'has spaces in it', 'x'.repeat(129)]) {
      const reply = await router(
        request('POST', '/appointments', {
          headers: { authorization: 'Bearer agent-token', 'idempotency-key': key },
          body: { slotId: 'slot-1', patientId: 'p-1', reason: 'caller asked' },
        }),
      );
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'Idempotency-Key' } });
    }
    expect(seen).toEqual([]);
  });

  test('names the bad field of a body, a query and a path parameter', async () => {
    const { router } = testRouter();
    const unknown = await router(request('POST', '/hello/lookup', { body: { pesel: '1', extra: true } }));
    expect(unknown.body).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'extra' } });
    const query = await router(request('GET', '/count', { query: { n: 'many' } }));
    expect(query.body).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'n' } });
    const param = await router(request('GET', '/hello/A'));
    expect(param.body).toMatchObject({ error: { code: 'INVALID_INPUT', field: 'name' } });
  });

  test('authenticates routes with roles: no token is 401, a role not listed is 403', async () => {
    const { router } = testRouter();
    const body = { slotId: 'slot-1' };
    const anonymous = await router(request('POST', '/appointments', { headers: {}, body }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const table = { adminOnly: { method: 'GET', path: '/admin', roles: ['admin'] } } as const;
    const admin = createRouter(bindRoutes(table, { adminOnly: async () => ({}) }), {
      surface: 'test',
      identity,
      log: () => {},
    });
    const refused = await admin(request('GET', '/admin'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'ROLE_NOT_ALLOWED' } });
  });

  test('every error answer carries a correlation id, found again in its one log line', async () => {
    const { router, logged } = testRouter();
    const replies = [
      await router(request('GET', '/nowhere')),
      await router(request('PUT', '/count')),
      await router(request('GET', '/count', { query: { n: 'x' } })),
      await router(request('GET', '/missing')),
      await router(request('POST', '/boom')),
    ];
    const lines = logged();
    expect(lines).toHaveLength(replies.length);
    replies.forEach((reply, i) => {
      const error = (reply.body as { error: { correlationId: string; code: string } }).error;
      expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines[i]).toMatchObject({ correlationId: error.correlationId, code: error.code, status: reply.status });
    });
    expect(new Set(lines.map((line) => line.correlationId)).size).toBe(replies.length);
    expect(lines[3]).toMatchObject({ severity: 'WARNING', route: 'test GET /missing', status: 404 });
  });

  test('a failure that is not the domain’s is a 500 with a generic message; the log line has the stack', async () => {
    const { router, logged } = testRouter();
    const reply = await router(request('POST', '/boom'));
    expect(reply.status).toBe(500);
    const error = (reply.body as { error: Record<string, string> }).error;
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' });
    expect(JSON.stringify(reply.body)).not.toContain('10.0.0.7');
    const [line] = logged();
    expect(line).toMatchObject({ severity: 'ERROR', status: 500, route: 'test POST /boom' });
    expect(line.stack).toContain('database connection lost at 10.0.0.7');
    expect(line.correlationId).toBe(error.correlationId);
  });

  test('a reply a handler writes itself is sent as it is', async () => {
    const { router } = testRouter();
    expect(await router(request('GET', '/page'))).toEqual({
      status: 200,
      body: '<p>hi</p>',
      headers: { 'content-type': 'text/html' },
      route: 'GET /page',
    });
  });
});

describe('the route table', () => {
  test('each route’s path parameters are exactly the keys of its params schema', () => {
    for (const [name, spec] of Object.entries(ROUTES)) {
      const inPath = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).sort();
      const schema: RouteDef['params'] = 'params' in spec ? spec.params : undefined;
      const inSchema = schema instanceof z.ZodObject ? Object.keys(schema.shape).sort() : [];
      expect({ name, params: inSchema }).toEqual({ name, params: inPath });
    }
  });
});

describe('the router’s rate limits', () => {
  const LIMITED = {
    open: { method: 'GET', path: '/open', limit: 'search' },
    mine: { method: 'POST', path: '/mine', roles: ['agent'], limit: 'lookup' },
  } as const satisfies Record<string, RouteDef>;

  function limitedRouter(policy: RateLimitPolicy) {
    const lines: string[] = [];
    const ran: string[] = [];
    const limits = new RateLimits(new InProcessRateLimiter(new FakeClock('2026-01-12T07:00:30.000Z')), policy);
    const routes = bindRoutes(LIMITED, {
      open: async () => {
        ran.push('open');
        return {};
      },
      mine: async () => {
        ran.push('mine');
        return {};
      },
    });
    const router = createRouter(routes, { surface: 'test', identity, limits, log: (line) => lines.push(line) });
    return { router, ran, limits, logged: () => lines.map((line) => JSON.parse(line)) };
  }
  const one = (limit: number) => ({ limit, windowSeconds: 60 });

  test('counts a request per network before anything else, and answers 429 with Retry-After and the error shape', async () => {
    const { router, ran, logged, limits } = limitedRouter({
      searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, ...one(1) },
    });
    expect((await router(request('GET', '/open', { clientIp: '192.0.2.1' }))).status).toBe(200);
    const refused = await router(request('GET', '/open', { clientIp: '192.0.2.1' }));
    expect(refused).toMatchObject({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'RATE_LIMITED', correlationId: expect.any(String) } },
    });
    const { error } = refused.body as { error: { message: string; correlationId: string } };
    expect(error.message).toMatch(/try again in 30 s/);
    expect((await router(request('GET', '/open', { clientIp: '192.0.2.2' }))).status).toBe(200);
    expect(ran).toEqual(['open', 'open']);
    expect(limits.refusals.list()).toEqual([
      { limit: 'searchPerNetwork', class: 'search', scope: 'network', refused: 1 },
    ]);
    const line = logged().at(-1);
    expect(line).toMatchObject({
      severity: 'WARNING',
      status: 429,
      code: 'RATE_LIMITED',
      limit: 'searchPerNetwork',
      scope: 'network',
      correlationId: error.correlationId,
    });
    // The line names the limit, never the address it counted.
    expect(JSON.stringify(line)).not.toContain('192.0.2.1');
  });

  test('counts a signed-in caller of a public route per caller; an unverified token counts per network only', async () => {
    const { router, ran, limits, logged } = limitedRouter({
      searchPerPerson: { ...DEFAULT_RATE_LIMITS.searchPerPerson, ...one(2) },
      searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, ...one(10) },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await router(request('GET', '/open'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    // The same network, signed in as no one (a token that does not verify, or none): served.
    const forged = request('GET', '/open', { headers: { authorization: 'Bearer forged' } });
    expect((await router(forged)).status).toBe(200);
    expect((await router(request('GET', '/open', { headers: {} }))).status).toBe(200);
    expect(ran).toHaveLength(4);
    expect(limits.refusals.of('searchPerPerson')).toBe(1);
    const line = logged().at(-1);
    expect(line).toMatchObject({ severity: 'WARNING', limit: 'searchPerPerson', scope: 'identity' });
    expect(JSON.stringify(line)).not.toContain('agent-1');
  });

  test('each refused request is counted exactly once, whichever of its limits refused it', async () => {
    const { router, limits } = limitedRouter({
      searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, ...one(3) },
      searchPerPerson: { ...DEFAULT_RATE_LIMITS.searchPerPerson, ...one(1) },
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await router(request('GET', '/open'))).status);
    expect(statuses).toEqual([200, 429, 429, 429, 429]);
    // Two refused by the caller's limit (counted on the network's too), then two by the network's.
    expect(limits.refusals.list()).toEqual([
      { limit: 'searchPerNetwork', class: 'search', scope: 'network', refused: 2 },
      { limit: 'searchPerPerson', class: 'search', scope: 'identity', refused: 2 },
    ]);
  });

  test('a network past its limit is refused before its token is read', async () => {
    const { router } = limitedRouter({ lookupPerNetwork: { ...DEFAULT_RATE_LIMITS.lookupPerNetwork, ...one(1) } });
    await router(request('POST', '/mine', { clientIp: '192.0.2.1' }));
    const bad = request('POST', '/mine', { clientIp: '192.0.2.1', headers: { authorization: 'Bearer forged' } });
    expect((await router(bad)).status).toBe(429);
  });

  test('counts a request per caller after authentication, so another caller on the same network is still served', async () => {
    const { router, ran } = limitedRouter({ lookupPerAgent: { ...DEFAULT_RATE_LIMITS.lookupPerAgent, ...one(2) } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await router(request('POST', '/mine'))).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(ran).toEqual(['mine', 'mine']);
    // A request without a valid token is refused 401, and counts against no caller.
    const anonymous = request('POST', '/mine', { headers: {} });
    expect((await router(anonymous)).status).toBe(401);
  });

  test('routes without a limit class, and routers without limits, count nothing', async () => {
    const { router } = limitedRouter({ searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, ...one(1) } });
    for (let i = 0; i < 3; i++) expect((await router(request('POST', '/mine'))).status).toBe(200);
    const unlimited = createRouter(bindRoutes(LIMITED, { open: async () => ({}), mine: async () => ({}) }), {
      surface: 'test',
      identity,
    });
    for (let i = 0; i < 3; i++) expect((await unlimited(request('GET', '/open'))).status).toBe(200);
  });
});
