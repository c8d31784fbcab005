import { HttpError } from './error-response.ts';
import type { ApiRequest } from './http-types.ts';

/** Header values as one string each, under lower-case names (node:http and Express give arrays for repeats). */
export function flattenHeaders(
  raw: Readonly<Record<string, string | readonly string[] | undefined>>,
): ApiRequest['headers'] {
  const headers: ApiRequest['headers'] = {};
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = typeof value === 'string' || value === undefined ? value : value.join(', ');
  }
  return headers;
}

/** Query parameters that occur once as strings; a repeated or nested one (Express parses those) is left out. */
export function flattenQuery(raw: Readonly<Record<string, unknown>> | URLSearchParams): ApiRequest['query'] {
  if (raw instanceof URLSearchParams) return Object.fromEntries(raw);
  const query: ApiRequest['query'] = {};
  for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') query[name] = value;
  return query;
}

/** The site path under which a function is served behind Firebase Hosting and on the local server. */
export const mountOf = (name: string): string => `/api/${name}`;

/**
 * The path inside a mounted surface (`/api/booking/appointments` under `/api/booking` → `/appointments`),
 * or null when the path is not under it.
 */
export function withinMount(path: string, mount: string): string | null {
  if (path === mount) return '/';
  return path.startsWith(`${mount}/`) ? path.slice(mount.length) : null;
}

/** Refuses a path whose percent-encoding is broken (`%E0%A4%A`, `%ZZ`): a 400 on every surface, never a 404. */
export function checkPathEncoding(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw new HttpError(400, 'INVALID_PATH', 'The path is not validly encoded.');
  }
}

/**
 * Refuses a path with a dot segment (`/a/../b`, `/a/%2E%2E/b`, `/./`): a URL parser would resolve it to
 * another path than the one sent, so the edge's rules and the router could see two different routes.
 */
export function checkNoDotSegments(path: string): void {
  const segments = path.split('?')[0]?.split('/') ?? [];
  if (segments.some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
    throw new HttpError(400, 'INVALID_PATH', 'The path may not contain "." or ".." segments.');
  }
}

/**
 * The client's address: the socket's peer, or — behind `trustedProxies` proxies that each append the
 * address they were reached from to `X-Forwarded-For` — the address the outermost trusted proxy saw.
 * Entries further left were written by the client and are not believed.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string | undefined {
  if (trustedProxies <= 0 || !forwardedFor) return socketAddress;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  if (hops.length === 0) return socketAddress;
  return hops[Math.max(0, hops.length - trustedProxies)];
}
