import { randomUUID } from 'node:crypto';
import { DomainError, type ErrorKind, isSmsUnavailable, RateLimitedError, RetryLaterError } from '@ereg/shared';
import { ZodError } from 'zod';
import { type LogWriter, writeLog } from '../observability/logger.ts';
import { currentScope } from '../observability/trace-context.ts';
import type { ApiResponse } from './http-types.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

/** A refusal of the HTTP layer itself (no such route, wrong method, unreadable body), not of a use case. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string> | undefined;
  constructor(status: number, code: string, message: string, headers?: Record<string, string>) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Where log lines go (the process's output unless a test gives another): see observability/logger.ts. */
export type LogSink = LogWriter;

export interface ErrorContext {
  /** The request's method and path (or the route's pattern), for the log line. */
  route: string;
  log?: LogSink;
}

interface Mapped {
  status: number;
  code: string;
  message: string;
  field?: string | undefined;
  details?: Record<string, unknown> | undefined;
  headers?: Record<string, string> | undefined;
}

function mapError(error: unknown): Mapped {
  if (error instanceof DomainError) {
    return {
      status: STATUS[error.kind],
      code: error.code,
      message: error.message,
      field: error.field,
      details: error.details,
      // A refusal by a limit says when to come back, in whole seconds.
      headers: error instanceof RetryLaterError ? { 'retry-after': String(error.retryAfterSeconds) } : undefined,
    };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const path = issue?.path.map(String).join('.') || undefined;
    if (issue?.code === 'unrecognized_keys') {
      return {
        status: 400,
        code: 'INVALID_INPUT',
        message: `Unknown field: ${issue.keys.join(', ')}.`,
        field: issue.keys[0] ?? path,
      };
    }
    const message = issue ? `${path ?? 'The request'}: ${issue.message}` : 'The request is not valid.';
    return { status: 400, code: 'INVALID_INPUT', message, field: path };
  }
  if (error instanceof HttpError) {
    return { status: error.status, code: error.code, message: error.message, headers: error.headers };
  }
  if (isSmsUnavailable(error)) {
    // 503 makes the task queue try again with its backoff.
    return { status: 503, code: 'SMS_PROVIDER_UNAVAILABLE', message: error.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' };
}

/**
 * The one place where errors become HTTP answers: `{ error: { code, message, field?, details?,
 * correlationId } }`, and one JSON log line per answer carrying the same correlation id (with the
 * stack for a 5xx, whose message the caller does not see).
 */
export function errorResponse(error: unknown, context: ErrorContext): ApiResponse {
  const mapped = mapError(error);
  // Within a request, the request's id: the caller's correlation id finds the request's every line.
  const correlationId = currentScope()?.requestId ?? randomUUID();
  const line: Record<string, unknown> = {
    correlationId,
    code: mapped.code,
    status: mapped.status,
    route: context.route,
  };
  // A refusal by a limit names the limit and whose requests it counts, never the identity or address.
  if (error instanceof RateLimitedError) Object.assign(line, { limit: error.limit, scope: error.scope });
  if (mapped.status >= 500) line.stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLog(
    mapped.status >= 500 ? 'ERROR' : 'WARNING',
    `${mapped.status} ${mapped.code}: ${mapped.message}`,
    line,
    context.log,
  );
  const body: Record<string, unknown> = { code: mapped.code, message: mapped.message };
  if (mapped.field !== undefined) body.field = mapped.field;
  if (mapped.details !== undefined) body.details = mapped.details;
  body.correlationId = correlationId;
  return { status: mapped.status, body: { error: body }, ...(mapped.headers ? { headers: mapped.headers } : {}) };
}

/**
 * Logs an error whose caller is answered otherwise (a text past its limit is answered to Twilio as if
 * taken): the same line errorResponse writes, with the status the error would have had.
 */
export function logWithoutAnswer(error: unknown, context: ErrorContext): void {
  errorResponse(error, context);
}
