/** @jest-environment node */
import { ApiError, createApiClient, newIdempotencyKey } from './api-client.ts';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function server(...answers: Array<{ status?: number; body?: unknown; headers?: Record<string, string> } | Error>) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body === undefined ? undefined : JSON.parse(init.body as string),
    });
    const answer = answers.shift() ?? { status: 200, body: {} };
    if (answer instanceof Error) throw answer;
    const status = answer.status ?? 200;
    return {
      ok: status < 300,
      status,
      headers: new Headers(answer.headers ?? {}),
      json: async () => {
        if (answer.body === undefined) throw new SyntaxError('Unexpected end of JSON input');
        return answer.body;
      },
    } as Response;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('the API client', () => {
  it('books with the session’s bearer token and the Idempotency-Key it is given', async () => {
    const api = server({ status: 201, body: { bookingId: 'bkg-1', appointments: [] } });
    const client = createApiClient({ fetch: api.fetch, getToken: async () => 'tok-1' });
    const result = await client.book({ slotId: 's-1' }, 'key-1');
    expect(result.bookingId).toBe('bkg-1');
    const [call] = api.calls;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/api/booking/appointments');
    expect(call?.headers.authorization).toBe('Bearer tok-1');
    expect(call?.headers['Idempotency-Key']).toBe('key-1');
    expect(call?.headers['content-type']).toBe('application/json');
    expect(call?.body).toEqual({ slotId: 's-1' });
  });

  it('sends no token to the public search, and builds its query from what is given', async () => {
    const api = server({ body: { origin: {}, results: [] } });
    const client = createApiClient({ fetch: api.fetch, getToken: async () => 'tok-1', baseUrl: 'https://api.example' });
    await client.search({ postalCode: '00-950', vaccineId: undefined, radiusKm: 25 });
    expect(api.calls[0]?.url).toBe('https://api.example/api/search?postalCode=00-950&radiusKm=25');
    expect(api.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('puts ids into paths safely', async () => {
    const api = server({ body: { cancelled: [] } });
    const client = createApiClient({ fetch: api.fetch, getToken: async () => 't' });
    await client.cancel('a/b c', { reason: 'cannot come' });
    expect(api.calls[0]?.url).toBe('/api/booking/appointments/a%2Fb%20c/cancel');
    expect(api.calls[0]?.body).toEqual({ reason: 'cannot come' });
  });

  it('calls any route by name: its method and path from the route table, a token only where the route has roles', async () => {
    const api = server({ body: {} }, { body: { vaccines: [] } });
    const client = createApiClient({ fetch: api.fetch, getToken: async () => 't' });
    await client.call('checkIn', { params: { centreId: 'c 1', appointmentId: 'a/1' } });
    await client.call('vaccines');
    expect(api.calls.map((c) => `${c.method} ${c.url} ${c.headers.authorization ?? 'no token'}`)).toEqual([
      'POST /api/centres/c%201/appointments/a%2F1/check-in Bearer t',
      'GET /api/search/vaccines no token',
    ]);
  });

  it('turns an error answer into an ApiError with its code, field and details', async () => {
    const alternatives = [{ slotId: 's-2', start: '2026-01-13T07:15:00.000Z', free: 2 }];
    const api = server(
      { status: 400, body: { error: { code: 'INVALID_POSTAL_CODE', message: 'bad', field: 'postalCode' } } },
      { status: 409, body: { error: { code: 'SLOT_FULL', message: 'taken', details: { alternatives } } } },
      { status: 500, body: { error: { code: 'INTERNAL', message: 'oops', correlationId: 'c-1' } } },
    );
    const client = createApiClient({ fetch: api.fetch, getToken: async () => 't' });
    const invalid = await client.search({ postalCode: 'x' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'INVALID_POSTAL_CODE', field: 'postalCode' });
    const full = (await client.book({ slotId: 's-1' }, 'k').catch((e: unknown) => e)) as ApiError;
    expect(full).toMatchObject({ status: 409, code: 'SLOT_FULL' });
    expect(full.alternatives).toEqual(alternatives);
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ code: 'INTERNAL', correlationId: 'c-1' });
  });

  it('keeps how long a refusal asks to wait (Retry-After in seconds), and nothing when it does not say', async () => {
    const limited = { error: { code: 'RATE_LIMITED', message: 'Too many requests' } };
    const api = server(
      { status: 429, body: limited, headers: { 'retry-after': '90' } },
      { status: 429, headers: { 'Retry-After': '5' } },
      { status: 429, body: limited, headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' } },
      { status: 429, body: limited },
    );
    const client = createApiClient({ fetch: api.fetch });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 90,
    });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ code: 'HTTP_429', retryAfterSeconds: 5 });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ retryAfterSeconds: undefined });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ retryAfterSeconds: undefined });
  });

  it('names a failure without a readable error body by its status, and a lost connection NETWORK', async () => {
    const api = server({ status: 502 }, new TypeError('Failed to fetch'));
    const client = createApiClient({ fetch: api.fetch });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'HTTP_502' });
    expect(await client.vaccines().catch((e: unknown) => e)).toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('reports a refused session so the app can send the person to log in, but not a refused public call', async () => {
    const refused: string[] = [];
    const api = server(
      { status: 401, body: { error: { code: 'INVALID_TOKEN', message: 'no' } } },
      { status: 401, body: { error: { code: 'INVALID_ASSERTION', message: 'no' } } },
    );
    const client = createApiClient({
      fetch: api.fetch,
      getToken: async () => 't',
      onUnauthenticated: (error) => refused.push(error.code),
    });
    await expect(client.me()).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(client.login({ assertion: 'a', language: 'en' })).rejects.toMatchObject({ code: 'INVALID_ASSERTION' });
    expect(refused).toEqual(['INVALID_TOKEN']);
  });

  it('does not call the API for a protected route when nobody is logged in', async () => {
    const refused: string[] = [];
    const api = server();
    const client = createApiClient({
      fetch: api.fetch,
      getToken: async () => null,
      onUnauthenticated: (e) => refused.push(e.code),
    });
    await expect(client.listAppointments('pat-1')).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(api.calls).toHaveLength(0);
    expect(refused).toEqual(['UNAUTHENTICATED']);
  });

  it('renews an expired token once and repeats the request with the new one', async () => {
    let token = 'old';
    const api = server(
      { status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } },
      { body: { appointments: [] } },
    );
    const client = createApiClient({
      fetch: api.fetch,
      getToken: async () => token,
      renew: async () => {
        token = 'new';
        return true;
      },
    });
    await client.listAppointments('pat-1');
    expect(api.calls.map((c) => c.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('makes a different idempotency key each time', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key.length).toBeGreaterThanOrEqual(32);
  });
});
