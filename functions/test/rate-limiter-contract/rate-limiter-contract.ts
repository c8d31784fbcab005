import type { LimitWindow, RateLimiter, RateLimitName } from '@ereg/shared';
import { FakeClock } from '../support/builders.ts';

/** A limiter under test: `instance()` answers a limiter that shares its counts with every other it answered. */
export interface ContractLimiters {
  /** Another instance of the limiter on the same counts (the same object where counts live in one process). */
  instance(): RateLimiter;
  close(): Promise<void>;
}

export interface RateLimiterContractOptions {
  /** Instances racing in the concurrency test, and requests each sends at once. */
  instances: number;
  parallel: number;
}

// 20 seconds into a minute: the windows of a minute end 40 s later.
const START = '2026-01-12T07:00:20.000Z';

let serial = 0;
/** A key no other test uses (the backend may be shared by the whole file). */
const freshKey = (label: string) => `${label}-${Date.now().toString(36)}-${serial++}`;

const aLimit = (limit: number, windowSeconds = 60, name: RateLimitName = 'loginPerPerson'): LimitWindow => ({
  name,
  limit,
  windowMs: windowSeconds * 1000,
});

async function takeMany(limiter: RateLimiter, limit: LimitWindow, key: string, count: number) {
  const decisions = [];
  for (let i = 0; i < count; i++) decisions.push(await limiter.take(limit, key));
  return decisions;
}

/**
 * What every RateLimiter must do, whatever holds its counts: let `limit` requests of a key through in
 * a window and refuse the rest until the window ends, count keys and limits apart, start each window
 * from zero, and never let more than `limit` through however many requests race on however many
 * instances.
 */
export function describeRateLimiterContract(
  label: string,
  open: (clock: FakeClock) => Promise<ContractLimiters>,
  options: RateLimiterContractOptions,
): void {
  describe(`RateLimiter contract: ${label}`, () => {
    let clock: FakeClock;
    let limiters: ContractLimiters;

    beforeAll(async () => {
      clock = new FakeClock(START);
      limiters = await open(clock);
    });
    beforeEach(() => clock.set(START));
    afterAll(async () => {
      await limiters?.close();
    });

    test('lets `limit` requests of a key through in a window, then refuses until the window ends', async () => {
      const limiter = limiters.instance();
      const key = freshKey('sequential');
      const decisions = await takeMany(limiter, aLimit(3), key, 5);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: 40_000 });
      clock.set('2026-01-12T07:00:59.000Z');
      expect(await limiter.take(aLimit(3), key)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    });

    test('starts every window from zero: a refused burst is not carried into the next', async () => {
      const limiter = limiters.instance();
      const key = freshKey('next-window');
      await takeMany(limiter, aLimit(2), key, 6);
      clock.set('2026-01-12T07:01:00.000Z');
      const next = await takeMany(limiter, aLimit(2), key, 3);
      expect(next.map((d) => d.allowed)).toEqual([true, true, false]);
      expect(next[2]).toEqual({ allowed: false, retryAfterMs: 60_000 });
    });

    test('counts each key and each limit apart', async () => {
      const limiter = limiters.instance();
      const [a, b] = [freshKey('a'), freshKey('b')];
      expect((await limiter.take(aLimit(1), a)).allowed).toBe(true);
      expect((await limiter.take(aLimit(1), a)).allowed).toBe(false);
      expect((await limiter.take(aLimit(1), b)).allowed).toBe(true);
      expect((await limiter.take(aLimit(1, 60, 'textsPerPhone'), a)).allowed).toBe(true);
      expect((await limiter.take(aLimit(1, 3600), a)).allowed).toBe(true);
    });

    test('a long window refuses until its own end', async () => {
      const limiter = limiters.instance();
      const key = freshKey('daily');
      await takeMany(limiter, aLimit(1, 86_400), key, 1);
      clock.set('2026-01-12T23:59:59.500Z');
      expect(await limiter.take(aLimit(1, 86_400), key)).toEqual({ allowed: false, retryAfterMs: 500 });
      clock.set('2026-01-13T00:00:00.000Z');
      expect((await limiter.take(aLimit(1, 86_400), key)).allowed).toBe(true);
    });

    test('every instance sees the counts of the others', async () => {
      const key = freshKey('shared');
      const first = limiters.instance();
      const second = limiters.instance();
      expect((await first.take(aLimit(2), key)).allowed).toBe(true);
      expect((await second.take(aLimit(2), key)).allowed).toBe(true);
      expect((await first.take(aLimit(2), key)).allowed).toBe(false);
      expect((await second.take(aLimit(2), key)).allowed).toBe(false);
    });

    test(`never lets more than the limit through: ${options.instances} instances × ${options.parallel} requests at once`, async () => {
      const key = freshKey('race');
      const limit = aLimit(5);
      const instances = Array.from({ length: options.instances }, () => limiters.instance());
      const decisions = await Promise.all(
        instances.flatMap((limiter) => Array.from({ length: options.parallel }, () => limiter.take(limit, key))),
      );
      const allowed = decisions.filter((d) => d.allowed).length;
      expect(allowed).toBeGreaterThanOrEqual(1);
      expect(allowed).toBeLessThanOrEqual(limit.limit);
      for (const decision of decisions) if (!decision.allowed) expect(decision.retryAfterMs).toBeGreaterThan(0);
      // Whatever the race let through, the window holds no more than the limit afterwards.
      const after = await takeMany(instances[0] as RateLimiter, limit, key, limit.limit);
      expect(allowed + after.filter((d) => d.allowed).length).toBe(limit.limit);
    });
  });
}
