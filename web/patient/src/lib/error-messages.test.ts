/** @jest-environment node */
import { ApiError, NETWORK_ERROR } from '../../../shared/src/api-client.ts';
import { i18nFor, LANGUAGES } from '../i18n/index.ts';
import { describeError, EXPLAINED_CODES, needsLogin } from './error-messages.ts';

const say = (language: 'pl' | 'en' | 'uk', error: unknown) => {
  const { t, fmt } = i18nFor(language);
  return describeError(error, t, fmt);
};

describe('error messages', () => {
  it.each(LANGUAGES)(
    'in %s, every code the app explains has its own sentence, not the key or the fallback',
    (language) => {
      const sentences = new Set<string>();
      for (const code of EXPLAINED_CODES) {
        const text = say(language, new ApiError(400, code, `${code} server text`));
        expect({ code, text }).toEqual({ code, text: expect.not.stringMatching(/^error\.|server text/) });
        expect({ code, fallback: text === say(language, new ApiError(400, 'SOMETHING_ELSE', 'x')) }).toEqual({
          code,
          fallback: false,
        });
        sentences.add(text);
      }
      // INVALID_POSTAL_CODE and the form's own check share a wording; all others differ.
      expect(sentences.size).toBeGreaterThanOrEqual(EXPLAINED_CODES.length - 2);
    },
  );

  it.each(LANGUAGES)('in %s, the sentences differ from the other languages', (language) => {
    const other = LANGUAGES.filter((l) => l !== language);
    for (const code of EXPLAINED_CODES) {
      const text = say(language, new ApiError(400, code, 'x'));
      for (const l of other)
        expect({ code, same: text === say(l, new ApiError(400, code, 'x')) }).toEqual({ code, same: false });
    }
  });

  it('tells a person not yet eligible the date they may book from, in each language', () => {
    const error = new ApiError(403, 'NOT_YET_ELIGIBLE', 'x', { details: { eligibleFrom: '2026-05-14' } });
    expect(say('pl', error)).toContain('14 maja 2026');
    expect(say('en', error)).toContain('14 May 2026');
    expect(say('uk', error)).toContain('14 травня 2026');
    expect(say('uk', error)).not.toContain('р..');
  });

  it('gives the dose interval as dates in the country’s calendar', () => {
    // 23:30 UTC on 2 February is already 3 February in Warsaw (UTC+1).
    const error = new ApiError(409, 'OUTSIDE_DOSE_INTERVAL', 'x', {
      details: { dose: 2, earliest: '2026-02-02T23:30:00.000Z', latest: '2026-02-23T07:00:00.000Z' },
    });
    expect(say('pl', error)).toBe(
      'Dawkę 2 trzeba przyjąć między 3 lutego 2026 a 23 lutego 2026. Wybierz termin z tego okresu.',
    );
    expect(say('en', error)).toContain('between 3 February 2026 and 23 February 2026');
    expect(say('uk', error)).toContain('3 лютого 2026');
  });

  it('tells a person refused for too many attempts how long to wait, in words of their language', () => {
    const limited = (seconds?: number) =>
      new ApiError(429, 'RATE_LIMITED', 'x', seconds === undefined ? {} : { retryAfterSeconds: seconds });
    expect(say('en', limited(40))).toBe('Too many attempts in a short time. Please try again in 40 seconds.');
    expect(say('en', limited(125))).toBe('Too many attempts in a short time. Please try again in 3 minutes.');
    expect(say('pl', limited(125))).toBe('Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za 3 minuty.');
    expect(say('pl', limited(300))).toContain('za 5 minut.');
    expect(say('uk', limited(60))).toBe('Забагато спроб за короткий час. Спробуйте ще раз через 1 хвилину.');
    expect(say('en', limited())).toBe('A great many people are booking right now. Please try again in a moment.');
  });

  it('says a network failure in plain words', () => {
    expect(say('en', new ApiError(0, NETWORK_ERROR, 'fetch failed'))).toBe(
      'We cannot reach the server. Check your internet connection and try again.',
    );
  });

  it('gives a server failure its reference, and an unknown code a generic sentence with the code', () => {
    expect(say('en', new ApiError(500, 'INTERNAL', 'x', { correlationId: 'abc-123' }))).toContain('Reference: abc-123');
    expect(say('pl', new ApiError(409, 'BRAND_NEW_RULE', 'x'))).toContain('(BRAND_NEW_RULE)');
    expect(say('uk', new Error('boom'))).toContain('989');
  });

  it('asks the person to log in again after any 401 and only then', () => {
    expect(needsLogin(new ApiError(401, 'TOKEN_EXPIRED', 'x'))).toBe(true);
    expect(needsLogin(new ApiError(403, 'NOT_ELIGIBLE', 'x'))).toBe(false);
    expect(say('en', new ApiError(401, 'TOKEN_EXPIRED', 'x'))).toMatch(/log in again/);
  });
});
