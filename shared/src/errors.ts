/** How an error is answered: the HTTP layer maps each kind to one status code. */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

/** A failure the user can understand and act on, with a stable machine-readable code. */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** Bad input: names the offending field. */
export const invalid = (code: string, message: string, field?: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', code, message, { field, details });

export const unauthenticated = (code: string, message: string) => new DomainError('unauthenticated', code, message);

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);

export const notFound = (code: string, message: string, field?: string) =>
  new DomainError('not_found', code, message, { field });

/** The request is valid but the current state does not allow it (slot full, already booked). */
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', code, message, { details });

/** Refused until a moment: answered 429 with `Retry-After` in whole seconds. */
export class RetryLaterError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(code: string, message: string, retryAfterMs: number, details?: Record<string, unknown>) {
    super('rate_limited', code, message, details ? { details } : {});
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}
