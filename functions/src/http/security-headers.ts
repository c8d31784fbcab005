import { createHash } from 'node:crypto';
import { apiPath, ROUTE_PATHS } from '@ereg/shared';
import type { ApiResponse } from './http-types.ts';

/** The largest request body any host accepts; a larger one is answered 413 before it is parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The body of a list of referrals: a file of up to 1 MB, sent as a JSON string in which escapes (a quote,
 * a line end) can double it, with its name.
 */
export const MAX_UPLOAD_BODY_BYTES = 3 * 1024 * 1024;
const UPLOAD_PATHS: ReadonlySet<string> = new Set([apiPath(ROUTE_PATHS.uploadGroupReferrals)]);

/** The largest body accepted at a site path (`/api/<function>/…`): the upload's, or everyone else's. */
export function maxBodyBytes(sitePath: string): number {
  return UPLOAD_PATHS.has(sitePath) ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
}

/**
 * The patients' app's policy, served by the local host and by Firebase Hosting (firebase.json holds
 * the same string; its test compares them). The built app loads only its own files; the Firebase
 * session exchanges tokens with Google's two token endpoints.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https://identitytoolkit.googleapis.com https://securetoken.googleapis.com",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A source expression for one inline `<script>` or `<style>` block: its exact text, hashed. */
export const inlineHash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The policy of a server-written page whose inline scripts and styles are the given (fixed) texts. */
export function pageCsp(inline: { scripts?: readonly string[]; styles?: readonly string[] }): string {
  const sources = (texts: readonly string[] | undefined) => (texts ?? []).map(inlineHash).join(' ');
  return [
    "default-src 'self'",
    `script-src 'self' ${sources(inline.scripts)}`.trim(),
    `style-src 'self' ${sources(inline.styles)}`.trim(),
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What every page carries: no framing, no referrer beyond this site, no type sniffing. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': APP_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** What every JSON answer carries: never sniffed as something else, never stored by a cache. */
const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The headers an answer is written with, on either host: a text body is a page (or TwiML, whose
 * handler names its type) and gets the page headers; anything else is JSON. The handler's own
 * headers come last, so a page can carry a policy with its inline hashes.
 */
export function answerHeaders(response: ApiResponse): Record<string, string> {
  const base =
    typeof response.body === 'string' ? { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS } : JSON_HEADERS;
  return { ...base, ...response.headers };
}
