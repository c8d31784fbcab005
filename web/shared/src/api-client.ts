import type { LoginResponse, RouteName, RouteRequest, RouteResponse, SearchQuery, WebLoginConfig } from '@ereg/shared';
import { apiPath, ROUTE_PATHS } from '@ereg/shared/route-paths';

/** How the web app logs in: where the identity provider is, and what kind of session the API hands out. */
export type LoginConfig = WebLoginConfig;

export type TokenKind = LoginResponse['tokenKind'];

export type LoginRequest = RouteRequest<'login'>['body'];
export type BookRequest = RouteRequest<'book'>['body'];
export type PreviewRequest = RouteRequest<'previewBooking'>['body'];
export type FreeSlotsQuery = RouteRequest<'centreSlots'>['query'];
export type CancelRequest = RouteRequest<'cancel'>['body'];
export type RescheduleRequest = RouteRequest<'reschedule'>['body'];
export type ContactRequest = RouteRequest<'updateContact'>['body'];

export type { LoginResponse };

/** A free slot the API offers instead of one that was taken meanwhile (409 SLOT_FULL / SLOT_BUSY). */
export interface AlternativeSlot {
  slotId: string;
  start: string;
  free: number;
}

/** Codes this client gives failures that never reached the API or came back unreadable. */
export const NETWORK_ERROR = 'NETWORK';
export const UNREADABLE_ANSWER = 'UNREADABLE_ANSWER';

/** A refusal of the API (`{ error: { code, message, field?, details? } }`), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly correlationId: string | undefined;
  /** How long to wait before trying again, from a refusal's `Retry-After` (seconds), when it says. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    extra: {
      field?: string;
      details?: Record<string, unknown>;
      correlationId?: string;
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = extra.field;
    this.details = extra.details;
    this.correlationId = extra.correlationId;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }

  /** The slots offered instead of a taken one; empty when the answer offered none. */
  get alternatives(): AlternativeSlot[] {
    const offered = this.details?.alternatives;
    if (!Array.isArray(offered)) return [];
    return offered.filter(
      (a): a is AlternativeSlot =>
        typeof a === 'object' && a !== null && typeof a.slotId === 'string' && typeof a.start === 'string',
    );
  }
}

/** A fresh key per booking attempt, so that a retried or double-sent request books once. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; plain http on a LAN address is not one.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ApiClientOptions {
  /** Prefix of every path; empty when the app is served by the API's own host. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The bearer token for calls that need one (refreshed when due), or null when nobody is logged in. */
  getToken?: () => Promise<string | null>;
  /** Renews the session once when the API says the token expired; true when a new token is at hand. */
  renew?: () => Promise<boolean>;
  /** The API refused the session: the app sends the person to log in again. */
  onUnauthenticated?: (error: ApiError) => void;
}

export interface RequestOptions {
  body?: unknown;
  query?: object | undefined;
  headers?: Record<string, string | undefined> | undefined;
  /** Sends the session's bearer token. */
  auth?: boolean;
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `Retry-After` in seconds (the API sends whole seconds; a date, or nothing, gives undefined). */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  return value !== null && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

async function readError(response: Response): Promise<ApiError> {
  const retryAfterSeconds = retryAfterOf(response);
  const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(response.status, error.code, typeof error.message === 'string' ? error.message : error.code, {
      ...(typeof error.field === 'string' ? { field: error.field } : {}),
      ...(typeof error.details === 'object' && error.details !== null
        ? { details: error.details as Record<string, unknown> }
        : {}),
      ...(typeof error.correlationId === 'string' ? { correlationId: error.correlationId } : {}),
      ...retry,
    });
  }
  return new ApiError(response.status, `HTTP_${response.status}`, `The server answered ${response.status}.`, retry);
}

/** What a call to route N sends: the parts its route reads (path parameters, query, body, headers). */
export type CallInput<N extends RouteName> = RouteRequest<N>;

type OptionalWhenEmpty<N extends RouteName> =
  Record<string, never> extends RouteRequest<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** The typed client of the e-Registration API used by the web apps. */
export function createApiClient(options: ApiClientOptions = {}) {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  const refuse = (error: ApiError): never => {
    if (error.status === 401) options.onUnauthenticated?.(error);
    throw error;
  };

  async function send(method: string, url: string, spec: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(spec.headers ?? {})) if (value !== undefined) headers[name] = value;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (spec.auth) {
      let token: string | null;
      try {
        token = (await options.getToken?.()) ?? null;
      } catch (error) {
        if (error instanceof ApiError) return refuse(error);
        throw error;
      }
      if (!token) return refuse(new ApiError(401, 'UNAUTHENTICATED', 'Log in first.'));
      headers.authorization = `Bearer ${token}`;
    }
    try {
      return await doFetch(url, {
        method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
      });
    } catch (cause) {
      throw new ApiError(0, NETWORK_ERROR, 'The server could not be reached.', { cause });
    }
  }

  async function request<T>(method: string, route: string, spec: RequestOptions = {}): Promise<T> {
    const url = `${base}${route}${queryString(spec.query)}`;
    let response = await send(method, url, spec);
    if (response.status === 401 && spec.auth && options.renew) {
      const error = await readError(response);
      if (error.code !== 'TOKEN_EXPIRED' || !(await options.renew())) return refuse(error);
      response = await send(method, url, spec);
    }
    if (!response.ok) {
      const error = await readError(response);
      if (spec.auth) return refuse(error);
      throw error;
    }
    try {
      return (await response.json()) as T;
    } catch (cause) {
      throw new ApiError(response.status, UNREADABLE_ANSWER, 'The server’s answer could not be read.', { cause });
    }
  }

  /** Calls one route of the API by name: its path, method and session come from the route table. */
  function call<N extends RouteName>(name: N, ...[input]: OptionalWhenEmpty<N>): Promise<RouteResponse<N>> {
    const route = ROUTE_PATHS[name];
    const parts: {
      params?: Record<string, string>;
      query?: object;
      body?: unknown;
      headers?: Record<string, string | undefined>;
    } = input ?? {};
    return request<RouteResponse<N>>(route.method, apiPath(route, parts.params), {
      query: parts.query,
      body: parts.body,
      headers: parts.headers,
      auth: route.roles !== 'public',
    });
  }

  return {
    call,
    /**
     * Calls a path of the API outside the route table (`/api/admin/…`), with the same session, renewal
     * and refusals as `call`; the caller types the answer.
     */
    request,
    loginConfig: () => call('loginConfig'),
    login: (body: LoginRequest) => call('login', { body }),
    me: () => call('me'),
    search: (query: SearchQuery) => call('search', { query }),
    vaccines: () => call('vaccines'),
    book: (body: BookRequest, idempotencyKey: string) =>
      call('book', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
    previewBooking: (body: PreviewRequest) => call('previewBooking', { body }),
    centreSlots: (centreId: string, query: FreeSlotsQuery) => call('centreSlots', { params: { centreId }, query }),
    listAppointments: (patientId: string) => call('listAppointments', { params: { patientId } }),
    getAppointment: (appointmentId: string) => call('getAppointment', { params: { appointmentId } }),
    cancel: (appointmentId: string, body: CancelRequest = {}) => call('cancel', { params: { appointmentId }, body }),
    reschedule: (appointmentId: string, body: RescheduleRequest) =>
      call('reschedule', { params: { appointmentId }, body }),
    updateContact: (patientId: string, body: ContactRequest) => call('updateContact', { params: { patientId }, body }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
