import {
  DEFAULT_RATE_LIMITS,
  edgeLimits,
  InProcessRateLimiter,
  type LimitClass,
  type LimitScope,
  limitsOfScope,
  NO_RATE_LIMITS,
  networkKey,
  parseRateLimits,
  RateLimitedError,
  type RateLimitPolicy,
  RateLimits,
  RateLimitsSetting,
  RefusalCounts,
  subjectKey,
  windowAt,
} from './rate-limits.ts';
import { FakeClock } from './testing/builders.ts';

const START = '2026-01-12T07:00:00.000Z';

function limitsAt(policy: RateLimitPolicy = DEFAULT_RATE_LIMITS, clock = new FakeClock(START)) {
  const limits = new RateLimits(new InProcessRateLimiter(clock), policy);
  /** Sends `count` requests, `everyMs` apart; answers how many were let through. */
  async function send(
    count: number,
    limitClass: LimitClass,
    scope: LimitScope,
    key: (i: number) => string,
    everyMs = 0,
  ) {
    let served = 0;
    for (let i = 0; i < count; i++) {
      if ((await limits.check(limitClass, scope, key(i))) === null) served++;
      clock.set(new Date(clock.now().getTime() + everyMs).toISOString());
    }
    return served;
  }
  return { limits, clock, send };
}

const window = (limit: number, windowSeconds: number) => ({
  name: 'loginPerPerson' as const,
  limit,
  windowMs: windowSeconds * 1000,
});

describe('the in-process limiter', () => {
  test('lets `limit` requests of a key through in a window, then refuses until the window ends', async () => {
    const clock = new FakeClock('2026-01-12T07:00:20.000Z');
    const limiter = new InProcessRateLimiter(clock);
    const decisions = await Promise.all(Array.from({ length: 4 }, () => limiter.take(window(3, 60), 'k')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    // The window of a minute began at 07:00:00: 40 seconds are left.
    expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: 40_000 });
    clock.set('2026-01-12T07:00:59.999Z');
    expect((await limiter.take(window(3, 60), 'k')).allowed).toBe(false);
    clock.set('2026-01-12T07:01:00.000Z');
    expect((await limiter.take(window(3, 60), 'k')).allowed).toBe(true);
  });

  test('counts every key and every limit on its own', async () => {
    const limiter = new InProcessRateLimiter(new FakeClock(START));
    expect((await limiter.take(window(1, 60), 'a')).allowed).toBe(true);
    expect((await limiter.take(window(1, 60), 'a')).allowed).toBe(false);
    expect((await limiter.take(window(1, 60), 'b')).allowed).toBe(true);
    expect((await limiter.take({ ...window(1, 60), name: 'searchPerNetwork' }, 'a')).allowed).toBe(true);
  });

  test('remembers at most maxKeys keys, forgetting the oldest first', async () => {
    const limiter = new InProcessRateLimiter(new FakeClock(START), { maxKeys: 4 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await limiter.take(window(1, 60), key);
    expect(limiter.size).toBeLessThanOrEqual(4);
    // `a` was forgotten: counted anew; `e` is still remembered, and full.
    expect((await limiter.take(window(1, 60), 'e')).allowed).toBe(false);
    expect((await limiter.take(window(1, 60), 'a')).allowed).toBe(true);
    for (let i = 0; i < 10_000; i++) await limiter.take(window(1, 60), `flood-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(4);
  });

  test('a flood of new keys costs no more per request than a few known ones', async () => {
    const limiter = new InProcessRateLimiter(new FakeClock(START), { maxKeys: 20_000 });
    const timed = (key: (i: number) => string) => {
      const started = performance.now();
      for (let i = 0; i < 100_000; i++) limiter.takeNow(window(1_000_000, 60), key(i));
      return performance.now() - started;
    };
    timed((i) => `warm-${i % 100}`);
    const known = timed((i) => `known-${i % 100}`);
    const flood = timed((i) => `flood-${i}`);
    // Evicting one key at a time from a Map made this hundreds of times slower.
    expect(flood).toBeLessThan(known * 10 + 50);
  });

  test('a refusal counts nothing: the window after a refused burst starts from zero', async () => {
    const clock = new FakeClock(START);
    const limiter = new InProcessRateLimiter(clock);
    for (let i = 0; i < 50; i++) await limiter.take(window(2, 60), 'k');
    clock.advanceMinutes(1);
    const next = await Promise.all([1, 2, 3].map(() => limiter.take(window(2, 60), 'k')));
    expect(next.map((d) => d.allowed)).toEqual([true, true, false]);
  });
});

describe('windows', () => {
  test('are aligned to the epoch, so every instance agrees where one ends', () => {
    expect(windowAt(Date.parse('2026-01-12T07:00:20.000Z'), 60_000).endsAt).toBe(
      Date.parse('2026-01-12T07:01:00.000Z'),
    );
    expect(windowAt(Date.parse('2026-01-12T07:00:20.000Z'), 86_400_000).endsAt).toBe(
      Date.parse('2026-01-13T00:00:00.000Z'),
    );
  });
});

describe('the policy applied to requests', () => {
  test('refuses at the first full limit with RATE_LIMITED, its Retry-After in whole seconds, naming the limit and scope', async () => {
    const { limits } = limitsAt({ loginPerPerson: { ...DEFAULT_RATE_LIMITS.loginPerPerson, limit: 1 } });
    await limits.admit('login', 'identity', 'p');
    const refused = await limits.check('login', 'identity', 'p');
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({
      code: 'RATE_LIMITED',
      kind: 'rate_limited',
      limit: 'loginPerPerson',
      scope: 'identity',
    });
    expect(refused?.retryAfterSeconds).toBe(600);
    await expect(limits.admit('login', 'identity', 'p')).rejects.toBeInstanceOf(RateLimitedError);
    // Counted by whoever answers the refusal, not by the check.
    expect(limits.refusals.list()).toEqual([]);
  });

  test('refusals are counted per limit, with its class and scope, in the order of the defaults', () => {
    const refusals = new RefusalCounts();
    refusals.count(new RateLimitedError('searchPerPerson', 1000));
    refusals.count(new RateLimitedError('loginPerNetwork', 1000));
    refusals.count(new RateLimitedError('searchPerPerson', 1000));
    expect(refusals.list()).toEqual([
      { limit: 'loginPerNetwork', class: 'login', scope: 'network', refused: 1 },
      { limit: 'searchPerPerson', class: 'search', scope: 'identity', refused: 2 },
    ]);
    expect(refusals.of('searchPerPerson')).toBe(2);
    expect(refusals.of('bookingPerNetworkHourly')).toBe(0);
  });

  test('applies only the limits of the class and scope asked for', async () => {
    const { limits } = limitsAt({ searchPerNetwork: { ...DEFAULT_RATE_LIMITS.searchPerNetwork, limit: 1 } });
    expect(limits.applies('search', 'network')).toBe(true);
    expect(limits.applies('search', 'identity')).toBe(false);
    for (let i = 0; i < 5; i++) expect(await limits.check('login', 'network', '10.0.0.1')).toBeNull();
    expect(await limits.check('search', 'network', '10.0.0.1')).toBeNull();
    expect(await limits.check('search', 'network', '10.0.0.1')).not.toBeNull();
  });

  test('an agent meets the minute limit of look-ups first, and the hourly one over an hour', async () => {
    const { send } = limitsAt();
    const agent = () => 'agent:a-1';
    // A burst: six served, the seventh refused.
    expect(await send(7, 'lookup', 'identity', agent)).toBe(DEFAULT_RATE_LIMITS.lookupPerAgent.limit);
    // Then one every 20 seconds for the rest of the hour: the hourly limit stops it.
    const hourly = DEFAULT_RATE_LIMITS.lookupPerAgentHourly.limit;
    expect(await send(180, 'lookup', 'identity', agent, 20_000)).toBe(
      hourly - DEFAULT_RATE_LIMITS.lookupPerAgent.limit,
    );
  });

  test('a limit left out of the policy is off', async () => {
    const { send } = limitsAt(NO_RATE_LIMITS);
    expect(await send(1000, 'login', 'identity', () => 'p')).toBe(1000);
  });
});

describe('the default limits', () => {
  test('never refuse an agent looking up one caller a minute, with bursts of five, for a whole day', async () => {
    const { send, clock } = limitsAt();
    let served = 0;
    for (let hour = 0; hour < 24; hour++) {
      served += await send(5, 'lookup', 'identity', () => 'agent:a-1', 1000);
      served += await send(55, 'lookup', 'identity', () => 'agent:a-1', 60_000);
      clock.set(new Date(Date.parse(START) + (hour + 1) * 3_600_000).toISOString());
    }
    expect(served).toBe(24 * 60);
  });

  test('never refuse a household of six behind one address, each logging in three times and booking, cancelling and rebooking', async () => {
    const { send } = limitsAt();
    const people = Array.from({ length: 6 }, (_, i) => `person-${i}`);
    let served = 0;
    for (const person of people) {
      served += await send(3, 'login', 'network', () => '192.0.2.7');
      served += await send(3, 'login', 'identity', () => person);
      served += await send(3, 'booking', 'network', () => '192.0.2.7');
      served += await send(3, 'booking', 'identity', () => `patient:${person}`);
      served += await send(20, 'search', 'network', () => '192.0.2.7');
    }
    expect(served).toBe(6 * (3 + 3 + 3 + 3 + 20));
  });

  test('never refuse a call centre of 250 agents behind one NAT, each looking up and booking once a minute', async () => {
    const { send } = limitsAt();
    const served =
      (await send(250, 'lookup', 'network', () => '198.51.100.1')) +
      (await send(250, 'lookup', 'identity', (i) => `agent:${i}`)) +
      (await send(250, 'booking', 'network', () => '198.51.100.1'));
    expect(served).toBe(750);
  });

  test('stop the scripted attacks within their first requests', async () => {
    const { send } = limitsAt();
    // 400 look-ups by one agent in 0.7 s.
    expect(await send(400, 'lookup', 'identity', () => 'agent:a-1', 2)).toBe(6);
    // 200 logins of one person, and 200 of different people from one address.
    expect(await send(200, 'login', 'identity', () => '44051401359')).toBe(10);
    expect(await send(200, 'login', 'network', () => '203.0.113.9', 100)).toBe(60);
    // 300 searches from one address in a few seconds.
    expect(await send(300, 'search', 'network', () => '203.0.113.9', 10)).toBe(120);
    // Bookings and cancellations by one patient.
    expect(await send(100, 'booking', 'identity', () => 'patient:p-1', 50)).toBe(20);
    // 30 SMS conversations of three texts each from one phone over an hour.
    expect(await send(90, 'sms', 'identity', () => '+48600100200', 40_000)).toBeLessThanOrEqual(40);
  });
});

describe('the default limits at an opening', () => {
  const HOUR = 3_600_000;

  test('never refuse a household of five behind one address booking for each other through an opening hour', async () => {
    const { send } = limitsAt();
    let served = 0;
    for (let person = 0; person < 5; person++) {
      // Thirty searches in the opening minute, then a booking, two taken slots retried, a reschedule.
      served += await send(30, 'search', 'identity', () => `patient:p-${person}`, 100);
      served += await send(30, 'search', 'network', () => '192.0.2.7', 100);
      served += await send(5, 'booking', 'identity', () => `patient:p-${person}`, 60_000);
      served += await send(5, 'booking', 'network', () => '192.0.2.7', 60_000);
    }
    expect(served).toBe(5 * (30 + 30 + 5 + 5));
  });

  test('never refuse a call centre of 300 agents behind one NAT booking for a caller every four minutes, all day', async () => {
    const { send, clock } = limitsAt();
    let served = 0;
    for (let hour = 0; hour < 8; hour++) {
      // Fifteen calls an hour each; a booking request per call.
      for (let call = 0; call < 15; call++) {
        served += await send(300, 'booking', 'network', () => '198.51.100.1');
        served += await send(300, 'booking', 'identity', (i) => `agent:${i}`);
        clock.set(new Date(clock.now().getTime() + 240_000).toISOString());
      }
      clock.set(new Date(Date.parse(START) + (hour + 1) * HOUR).toISOString());
    }
    expect(served).toBe(8 * 15 * 600);
  });

  test('slow a script to a person’s pace per identity, and stop one address past a call centre’s hour', async () => {
    const { send } = limitsAt();
    // One identity booking every 10 s for an hour: 20 in each 10 minutes, at most 60 in the hour.
    expect(await send(360, 'booking', 'identity', () => 'patient:bot-1', 10_000)).toBe(60);
    // 500 identities booking from one address at one request a second: the hour's 6,000 and no more.
    const { send: sendMany } = limitsAt();
    expect(await sendMany(7000, 'booking', 'network', () => '203.0.113.66', 500)).toBe(6000);
    // Searches by one signed-in person, ten a second: 30 in a minute.
    expect(await sendMany(100, 'search', 'identity', () => 'patient:bot-2', 100)).toBe(30);
  });
});

describe('the edge’s share of the limits', () => {
  test('is the shortest window per network of each class; longer ones and those per caller are not', () => {
    expect(Object.keys(edgeLimits(DEFAULT_RATE_LIMITS))).toEqual([
      'loginPerNetwork',
      'searchPerNetwork',
      'bookingPerNetwork',
      'lookupPerNetwork',
    ]);
    const hourlyOnly = parseRateLimits('bookingPerNetwork=off');
    expect(Object.keys(edgeLimits(hourlyOnly))).toContain('bookingPerNetworkHourly');
  });
});

describe('keys', () => {
  test('a principal is counted by role and subject', () => {
    expect(subjectKey({ role: 'patient', patientId: 'p-1' })).toBe('patient:p-1');
    expect(subjectKey({ role: 'agent', agentId: 'a-1' })).toBe('agent:a-1');
    expect(subjectKey({ role: 'staff', staffId: 's-1', centreId: 'c-1' })).toBe('staff:s-1');
    expect(subjectKey({ role: 'admin', adminId: 'x' })).toBe('admin:x');
  });

  test.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['', 'unknown'],
  ])('the network of %s is %s', (address, key) => {
    expect(networkKey(address)).toBe(key);
  });

  test('addresses of one IPv6 /64 share a key, those of neighbouring /64s do not', () => {
    expect(networkKey('2a02:a311:4:1::1')).toBe(networkKey('2a02:a311:4:1:abcd:ef:1:2'));
    expect(networkKey('2a02:a311:4:1::1')).not.toBe(networkKey('2a02:a311:4:2::1'));
  });
});

describe('the RATE_LIMITS setting', () => {
  test('empty means the defaults; off means none', () => {
    expect(parseRateLimits('')).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits(' off ')).toEqual({});
  });

  test('changes or turns off limits by name, windows in seconds or with a unit', () => {
    const policy = parseRateLimits(
      'loginPerPerson=3/30, searchPerNetwork=off, textsPerPhoneDaily=5/1d, lookupPerAgent=2/2m',
    );
    expect(policy.loginPerPerson).toEqual({ class: 'login', scope: 'identity', limit: 3, windowSeconds: 30 });
    expect(policy.searchPerNetwork).toBeUndefined();
    expect(policy.textsPerPhoneDaily?.windowSeconds).toBe(86_400);
    expect(policy.lookupPerAgent?.windowSeconds).toBe(120);
    expect(policy.bookingPerCaller).toEqual(DEFAULT_RATE_LIMITS.bookingPerCaller);
  });

  test.each([
    ['loginPerPersn=3/30', /unknown limit "loginPerPersn"/],
    ['loginPerPerson=3', /loginPerPerson must be count\/window/],
    ['loginPerPerson=0/30', /loginPerPerson must be count\/window/],
    ['loginPerPerson=3/30w', /loginPerPerson must be count\/window/],
  ])('refuses %s, naming what is wrong', (setting, message) => {
    expect(() => parseRateLimits(setting)).toThrow(message);
    const parsed = RateLimitsSetting.safeParse(setting);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
  });

  test('the cloud keeps only the limits per caller', () => {
    const kept = limitsOfScope(DEFAULT_RATE_LIMITS, 'identity');
    expect(Object.values(kept).every((rule) => rule.scope === 'identity')).toBe(true);
    expect(Object.keys(kept)).toEqual(expect.arrayContaining(['loginPerPerson', 'bookingPerCaller', 'textsPerPhone']));
    expect(kept).not.toHaveProperty('searchPerNetwork');
  });
});
