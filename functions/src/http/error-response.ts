import { randomUUID } from 'node:crypto';
import { DomainError, type ErrorKind } from '@ereg/shared';
import { ZodError } from 'zod';
import type { ApiResponse } from './http-types.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** The one place where errors become HTTP answers: `{ error: { code, message, field?, details? } }`. */
export function errorResponse(error: unknown, log: (line: string) => void = console.error): ApiResponse {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.field !== undefined) body.field = error.field;
    if (error.details !== undefined) body.details = error.details;
    return { status: STATUS[error.kind], body: { error: body } };
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    const message = issue
      ? issue.code === 'unrecognized_keys'
        ? `Unknown field: ${issue.keys.join(', ')}.`
        : `${field ?? 'The request'}: ${issue.message}`
      : 'The request is not valid.';
    const unknownField = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    return { status: 400, body: { error: { code: 'INVALID_INPUT', message, field: unknownField ?? field } } };
  }
  const correlationId = randomUUID();
  log(
    JSON.stringify({
      severity: 'ERROR',
      message: 'Unexpected error',
      correlationId,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.', correlationId },
    },
  };
}
