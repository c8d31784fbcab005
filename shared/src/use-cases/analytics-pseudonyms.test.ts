import { analyticsPseudonyms } from './actor-pseudonyms.ts';

describe('analyticsPseudonyms', () => {
  const pseudonym = analyticsPseudonyms('a-secret-of-at-least-thirty-two-characters');

  test('the same id gives the same pseudonym, another id another, and neither shows the id', () => {
    const a = pseudonym('pat-123');
    expect(pseudonym('pat-123')).toBe(a);
    expect(pseudonym('pat-124')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(a).not.toContain('123');
  });

  test('another key gives other pseudonyms, so rows cannot be matched without the key', () => {
    expect(analyticsPseudonyms('another-secret-of-thirty-two-chars!')('pat-123')).not.toBe(pseudonym('pat-123'));
  });

  test('without a key a pseudonym is refused, naming the secret; a short key is refused at once', () => {
    expect(() => analyticsPseudonyms(undefined)('pat-1')).toThrow('PESEL_HMAC_SECRET');
    expect(() => analyticsPseudonyms('short')).toThrow('at least 16');
  });
});
