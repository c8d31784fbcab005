import { createHmac } from 'node:crypto';
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

  test('is the HMAC-SHA-256 of the id under the derived key, as any HMAC library computes it', () => {
    const secret = 'a-secret-of-at-least-thirty-two-characters';
    const key = createHmac('sha256', secret).update('analytics-pseudonyms').digest();
    for (const id of ['pat-123', 'apt-9', 'żółć-ąę', 'x'.repeat(200)]) {
      expect(pseudonym(id)).toBe(createHmac('sha256', key).update(id).digest('hex').slice(0, 24));
    }
  });

  test('another key gives other pseudonyms, so rows cannot be matched without the key', () => {
    expect(analyticsPseudonyms('another-secret-of-thirty-two-chars!')('pat-123')).not.toBe(pseudonym('pat-123'));
  });

  test('without a key a pseudonym is refused, naming the secret; a short key is refused at once', () => {
    expect(() => analyticsPseudonyms(undefined)('pat-1')).toThrow('PESEL_HMAC_SECRET');
    expect(() => analyticsPseudonyms('short')).toThrow('at least 16');
  });
});
