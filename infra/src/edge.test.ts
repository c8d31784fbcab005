import { DEFAULT_RATE_LIMITS, parseRateLimits } from '@ereg/shared';
import { classExpression, edgeRules } from './edge.ts';

describe('the edge’s rules', () => {
  test('are the shortest limit per network of each class, in order, none of those per caller', () => {
    const rules = edgeRules(DEFAULT_RATE_LIMITS);
    expect(rules.map((r) => r.limit)).toEqual([
      'loginPerNetwork',
      'searchPerNetwork',
      'bookingPerNetwork',
      'lookupPerNetwork',
    ]);
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    expect(rules.every((r) => r.description.length <= 64)).toBe(true);
    expect(edgeRules(parseRateLimits('searchPerNetwork=off')).map((r) => r.limit)).not.toContain('searchPerNetwork');
  });

  test('a class’s longer window per network is not an edge rule; it is one when the shorter is off', () => {
    expect(edgeRules(DEFAULT_RATE_LIMITS).map((r) => r.limit)).not.toContain('bookingPerNetworkHourly');
    const hourly = edgeRules(parseRateLimits('bookingPerNetwork=off')).find(
      (r) => r.limit === 'bookingPerNetworkHourly',
    );
    expect(hourly).toMatchObject({ count: 6000, intervalSec: 3600, expression: classExpression('booking') });
  });

  test('a class’s expression names each of its methods once and its paths in one anchored pattern', () => {
    expect(classExpression('booking')).toBe(
      "(request.method == 'POST' || request.method == 'PUT') && request.path.matches('^(/api/booking/appointments|/api/booking/appointments/[^/]+/cancel|/api/booking/appointments/[^/]+/reschedule|/api/centres/[^/]+/walk-ins|/api/booking/hotline/households|/api/booking/appointments/[^/]+/resend-confirmation|/api/booking/standby/[^/]+|/api/booking/standby/[^/]+/offers/[^/]+/take)/?$')",
    );
    expect(classExpression('login')).toBe("request.method == 'POST' && request.path.matches('^(/api/login)/?$')");
  });

  test('a window Cloud Armor cannot count in is refused by the limit’s name', () => {
    expect(() => edgeRules(parseRateLimits('loginPerNetwork=60/45s'))).toThrow(
      /rateLimits\.loginPerNetwork: Cloud Armor counts in windows of 10, 30, 60.*not 45 s/,
    );
    expect(() => edgeRules(parseRateLimits('searchPerNetwork=100/1d'))).toThrow(/searchPerNetwork/);
  });

  test('a class no route is limited as has no expression', () => {
    expect(() => classExpression('sms')).toThrow(/No route of the API is limited as sms/);
  });
});
