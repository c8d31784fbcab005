/** @jest-environment node */
import { ApiError, NETWORK_ERROR } from './api-client.ts';
import {
  COMMON_ERROR_TITLES,
  COMMON_EXPLAINED_CODES,
  describeApiError,
  errorTitleByStatus,
  needsSignIn,
} from './error-messages.ts';
import { type CommonErrorKey, createFormatter, createTranslator } from './i18n.ts';

/** An app's words: the common ones, and one code of its own. */
const WORDS: Record<CommonErrorKey | 'error.SLOT_FULL' | 'error.title.conflict', string> = {
  'error.title': 'Something went wrong',
  'error.title.input': 'Check what was typed',
  'error.title.login': 'Sign in again',
  'error.title.notFound': 'Not found',
  'error.title.tooMany': 'Too many attempts',
  'error.title.conflict': 'This cannot be done',
  'error.unexpected': 'Unexpected ({code}).',
  'error.INTERNAL': 'Our failure. Reference: {reference}.',
  'error.TOO_MANY_REQUESTS': 'Busy, try again.',
  'error.TOO_MANY_REQUESTS.wait': 'Try again {wait}.',
  'error.NETWORK': 'No network.',
  'error.TOKEN_EXPIRED': 'Session expired.',
  'error.INVALID_TOKEN': 'Session not confirmed.',
  'error.UNAUTHENTICATED': 'Sign in to continue.',
  'error.SIGN_IN_FAILED': 'Signing in failed.',
  'error.SLOT_FULL': 'This time is taken.',
};
const t = createTranslator(WORDS, 'en-GB');
const fmt = createFormatter('en-GB');
const EXPLAINED = [...COMMON_EXPLAINED_CODES, 'SLOT_FULL'];
const say = (error: unknown) => describeApiError(error, t, fmt, EXPLAINED);

describe('an API error in words', () => {
  it('is told by its code when the app words it, the common codes and the app’s own', () => {
    expect(say(new ApiError(0, NETWORK_ERROR, 'fetch failed'))).toBe('No network.');
    expect(say(new ApiError(401, 'TOKEN_EXPIRED', 'server words'))).toBe('Session expired.');
    expect(say(new ApiError(409, 'SLOT_FULL', 'server words'))).toBe('This time is taken.');
  });

  it('shows a code the app does not word rather than hiding it, and an error that is not the API’s as APP', () => {
    expect(say(new ApiError(409, 'NEW_RULE', 'x'))).toBe('Unexpected (NEW_RULE).');
    expect(describeApiError(new ApiError(409, 'SLOT_FULL', 'x'), t, fmt, COMMON_EXPLAINED_CODES)).toBe(
      'Unexpected (SLOT_FULL).',
    );
    expect(say(new Error('boom'))).toBe('Unexpected (APP).');
  });

  it('gives a server failure its reference, and a rate limit the wait in words', () => {
    expect(say(new ApiError(500, 'INTERNAL', 'x', { correlationId: 'c-42' }))).toBe('Our failure. Reference: c-42.');
    expect(say(new ApiError(500, 'INTERNAL', 'x'))).toBe('Our failure. Reference: —.');
    expect(say(new ApiError(429, 'RATE_LIMITED', 'x', { retryAfterSeconds: 125 }))).toBe('Try again in 3 minutes.');
    expect(say(new ApiError(429, 'RATE_LIMITED', 'x'))).toBe('Busy, try again.');
  });

  it('is headed by its status where the app names it, else as a failure', () => {
    const titles = { ...COMMON_ERROR_TITLES, 409: 'error.title.conflict' as const };
    expect(errorTitleByStatus(new ApiError(400, 'INVALID_DATE', 'x'), titles)).toBe('error.title.input');
    expect(errorTitleByStatus(new ApiError(409, 'SLOT_FULL', 'x'), titles)).toBe('error.title.conflict');
    expect(errorTitleByStatus(new ApiError(409, 'SLOT_FULL', 'x'), COMMON_ERROR_TITLES)).toBe('error.title');
    expect(errorTitleByStatus(new ApiError(503, 'INTERNAL', 'x'), titles)).toBe('error.title');
    expect(errorTitleByStatus(new Error('boom'), titles)).toBe('error.title');
  });

  it('asks to sign in again after a 401 and only then', () => {
    expect(needsSignIn(new ApiError(401, 'TOKEN_EXPIRED', 'x'))).toBe(true);
    expect(needsSignIn(new ApiError(403, 'CENTRE_FORBIDDEN', 'x'))).toBe(false);
    expect(needsSignIn(new Error('401'))).toBe(false);
  });
});
