import { ApiError } from '../../../shared/src/api-client.ts';
import { i18nFor } from '../i18n/index.ts';
import { describeError, describeErrorWithField, errorTitleKey, fieldOf } from './error-messages.ts';

const { t, fmt } = i18nFor('en');
const refusal = (status: number, code: string, field?: string) =>
  new ApiError(status, code, `${code} (server text)`, field ? { field } : {});

describe('an API error at the desk', () => {
  it('is told in the person’s language by its code, not in the server’s words', () => {
    expect(describeError(refusal(409, 'NOT_CHECKED_IN'), t, fmt)).toBe('Check the patient in first.');
    expect(describeError(refusal(409, 'NOT_TODAY'), i18nFor('pl').t, fmt)).toBe(
      'Przybycie można zarejestrować tylko w dniu wizyty.',
    );
  });

  it('names the field it is about', () => {
    const expired = refusal(409, 'BATCH_EXPIRED', 'batchId');
    expect(fieldOf(expired)).toBe('batchId');
    expect(describeErrorWithField(expired, t, fmt)).toBe('Batch: This batch is past its use-by date. Choose another.');
    expect(fieldOf(refusal(400, 'X', 'somethingElse'))).toBeNull();
  });

  it('shows an unknown code rather than hiding it, and the reference of a server failure', () => {
    expect(describeError(refusal(409, 'NEW_RULE'), t, fmt)).toBe(
      'An unexpected error occurred (NEW_RULE). Please try again.',
    );
    expect(describeError(new ApiError(500, 'INTERNAL', 'x', { correlationId: 'c-42' }), t, fmt)).toContain('c-42');
    expect(describeError(new ApiError(429, 'RATE_LIMITED', 'x', { retryAfterSeconds: 30 }), t, fmt)).toBe(
      'Too many attempts in a short time. Try again in 30 seconds.',
    );
  });

  it('is headed by what kind of refusal it is', () => {
    expect(errorTitleKey(refusal(400, 'INVALID_DATE'))).toBe('error.title.input');
    expect(errorTitleKey(refusal(409, 'NOT_BOOKED'))).toBe('error.title.conflict');
    expect(errorTitleKey(refusal(403, 'CENTRE_FORBIDDEN'))).toBe('error.title.forbidden');
    expect(errorTitleKey(new Error('boom'))).toBe('error.title');
  });
});
