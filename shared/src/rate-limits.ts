import { z } from 'zod';
import { RetryLaterError } from './errors.ts';
import type { Clock } from './ports.ts';
import type { Principal } from './principal.ts';

/** The kinds of work a limit counts; a route of the API declares its class in ROUTES. */
export const LIMIT_CLASSES = ['login', 'search', 'booking', 'lookup', 'sms'] as const;
export type LimitClass = (typeof LIMIT_CLASSES)[number];

/**
 * Whose requests one counter counts: `identity` — the signed-in subject, the person a login asserts,
 * or the phone a text comes from; `network` — the client's address (an IPv6 client's /64).
 */
export type LimitScope = 'identity' | 'network';

/** At most `limit` requests per `windowSeconds`, counted in fixed windows aligned to the epoch. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** One limit of the policy: which class of requests it counts, keyed by what, how many per window. */
export interface RateLimitRule extends RateLimit {
  class: LimitClass;
  scope: LimitScope;
}

/**
 * The limits the system starts with. Sized so that real use never meets them — a household behind one
 * address logging in and booking for several people, a hotline agent looking up about one caller a
 * minute with bursts of a few, a call centre of a few hundred agents behind one NAT — while a script
 * is stopped within its first seconds (docs/security.md, "Limits").
 */
export const DEFAULT_RATE_LIMITS = {
  loginPerPerson: { class: 'login', scope: 'identity', limit: 10, windowSeconds: 600 },
  loginPerNetwork: { class: 'login', scope: 'network', limit: 60, windowSeconds: 60 },
  searchPerNetwork: { class: 'search', scope: 'network', limit: 120, windowSeconds: 60 },
  bookingPerCaller: { class: 'booking', scope: 'identity', limit: 20, windowSeconds: 600 },
  bookingPerNetwork: { class: 'booking', scope: 'network', limit: 300, windowSeconds: 60 },
  lookupPerAgent: { class: 'lookup', scope: 'identity', limit: 6, windowSeconds: 60 },
  lookupPerAgentHourly: { class: 'lookup', scope: 'identity', limit: 120, windowSeconds: 3600 },
  lookupPerNetwork: { class: 'lookup', scope: 'network', limit: 300, windowSeconds: 60 },
  textsPerPhone: { class: 'sms', scope: 'identity', limit: 10, windowSeconds: 900 },
  textsPerPhoneDaily: { class: 'sms', scope: 'identity', limit: 40, windowSeconds: 86_400 },
  // Limits at the opening
  searchPerPerson: { class: 'search', scope: 'identity', limit: 30, windowSeconds: 60 },
  bookingPerCallerHourly: { class: 'booking', scope: 'identity', limit: 60, windowSeconds: 3600 },
  bookingPerNetworkHourly: { class: 'booking', scope: 'network', limit: 6000, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;
export const RATE_LIMIT_NAMES = Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[];

/** The limits in force: a limit left out is off. */
export type RateLimitPolicy = Partial<Record<RateLimitName, RateLimitRule>>;

/** A policy with every limit off (tests that make many requests from one address on a stopped clock). */
export const NO_RATE_LIMITS: RateLimitPolicy = {};

/** A limit as a limiter counts it: its name, how many, and the window in milliseconds. */
export interface LimitWindow {
  name: RateLimitName;
  limit: number;
  windowMs: number;
}

/** What a limiter answers: counted, or refused until the window ends. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts requests per key in fixed windows. In one process a bounded map; across the instances of a
 * cloud function a shared store. A refusal counts nothing and writes nothing.
 */
export interface RateLimiter {
  /** Counts one request of `key` against `limit` in the current window, unless the window is full. */
  take(limit: LimitWindow, key: string): Promise<RateDecision>;
}

/** The window a moment falls in, and when it ends (windows are aligned to the epoch). */
export function windowAt(nowMs: number, windowMs: number): { index: number; endsAt: number } {
  const index = Math.floor(nowMs / windowMs);
  return { index, endsAt: (index + 1) * windowMs };
}

/** Refused by a limit: answered 429 with `Retry-After` in whole seconds. */
export class RateLimitedError extends RetryLaterError {
  readonly limit: RateLimitName;
  /** Whose requests the limit counts (every limit keeps the scope its default has). */
  readonly scope: LimitScope;
  constructor(limit: RateLimitName, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const scope = DEFAULT_RATE_LIMITS[limit].scope;
    const who = scope === 'identity' ? 'you' : 'your network';
    super('RATE_LIMITED', `Too many requests from ${who}; please try again in ${seconds} s.`, retryAfterMs);
    this.limit = limit;
    this.scope = scope;
  }
}

/** How many requests one limit has refused in this process. */
export interface RefusalCount {
  limit: RateLimitName;
  class: LimitClass;
  scope: LimitScope;
  refused: number;
}

/**
 * The refusals of one process, per limit (and so per class and scope): counted once per refused
 * request by whoever answers the refusal — the router for a 429, the text webhook for a text it drops.
 */
export class RefusalCounts {
  private readonly counts = new Map<RateLimitName, number>();

  count(refusal: RateLimitedError): void {
    this.counts.set(refusal.limit, (this.counts.get(refusal.limit) ?? 0) + 1);
  }

  /** The refusals of one limit so far. */
  of(limit: RateLimitName): number {
    return this.counts.get(limit) ?? 0;
  }

  /** Every limit that has refused a request, in the order of DEFAULT_RATE_LIMITS. */
  list(): RefusalCount[] {
    return RATE_LIMIT_NAMES.filter((name) => this.counts.has(name)).map((name) => ({
      limit: name,
      class: DEFAULT_RATE_LIMITS[name].class,
      scope: DEFAULT_RATE_LIMITS[name].scope,
      refused: this.of(name),
    }));
  }
}

/** The key a principal's requests are counted under: role and subject id. */
export function subjectKey(principal: Principal): string {
  switch (principal.role) {
    case 'patient':
      return `patient:${principal.patientId}`;
    case 'agent':
      return `agent:${principal.agentId}`;
    case 'staff':
    case 'centre-manager':
      return `staff:${principal.staffId}`;
    case 'admin':
      return `admin:${principal.adminId}`;
    case 'supervisor':
      return `supervisor:${principal.supervisorId}`;
    case 'analyst':
      return `analyst:${principal.analystId}`;
    case 'registry':
      return `registry:${principal.registryId}`;
  }
}

/**
 * The key a client address is counted under: an IPv4 address as it is (also when written as IPv6,
 * `::ffff:1.2.3.4`); an IPv6 address by its /64, which one household or device usually holds whole.
 */
export function networkKey(address: string | undefined): string {
  const trimmed = (address ?? '').trim().toLowerCase();
  if (trimmed === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped) return mapped[1] as string;
  if (!trimmed.includes(':')) return trimmed;
  const withoutZone = trimmed.split('%')[0] as string;
  const [head = '', tail] = withoutZone.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => g.replace(/^0+/, '') || '0');
  while (prefix.length < 4) prefix.push('0');
  return `${prefix.join(':')}::/64`;
}

const LIMIT_SPEC = /^(\d+)\/(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/**
 * A policy from the defaults and a setting (`RATE_LIMITS`): `off` for none, else comma-separated
 * `name=count/window` (window in seconds, or with `s`, `m`, `h`, `d`) or `name=off`. Throws naming the
 * part it cannot read.
 */
export function parseRateLimits(setting: string, defaults: RateLimitPolicy = DEFAULT_RATE_LIMITS): RateLimitPolicy {
  const text = setting.trim();
  if (text === 'off') return NO_RATE_LIMITS;
  const policy: RateLimitPolicy = { ...defaults };
  if (text === '') return policy;
  for (const part of text.split(',')) {
    const [rawName = '', rawValue = ''] = part.split('=').map((s) => s.trim());
    if (!(RATE_LIMIT_NAMES as readonly string[]).includes(rawName)) {
      throw new Error(`unknown limit "${rawName}" (one of ${RATE_LIMIT_NAMES.join(', ')})`);
    }
    const name = rawName as RateLimitName;
    if (rawValue === 'off') {
      delete policy[name];
      continue;
    }
    const match = LIMIT_SPEC.exec(rawValue);
    const limit = Number(match?.[1]);
    const windowSeconds = Number(match?.[2]) * UNIT_SECONDS[(match?.[3] ?? 's') as keyof typeof UNIT_SECONDS];
    if (!match || limit < 1 || windowSeconds < 1) {
      throw new Error(`${name} must be count/window (e.g. 10/60s, 40/1d) or off, not "${rawValue}"`);
    }
    policy[name] = { ...DEFAULT_RATE_LIMITS[name], limit, windowSeconds };
  }
  return policy;
}

/** The `RATE_LIMITS` setting of both runtimes' configuration loaders, read into a policy (see parseRateLimits). */
export const RateLimitsSetting = z.string().transform((setting, context) => {
  try {
    return parseRateLimits(setting);
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

/** The limits of a policy with the given scope only (the cloud keeps network limits at its edge). */
export function limitsOfScope(policy: RateLimitPolicy, scope: LimitScope): RateLimitPolicy {
  return Object.fromEntries(Object.entries(policy).filter(([, rule]) => rule.scope === scope));
}

/**
 * The limits per network an edge in front of the cloud keeps: one per class, the one with the shortest
 * window (a request meets only the first edge rule that matches it, so a class gets one rule there; the
 * short window is the one that stops a flood). The others — a class's longer windows — are counted
 * where the client's address is known: in the local runtime's process.
 */
export function edgeLimits(policy: RateLimitPolicy): RateLimitPolicy {
  const chosen = new Map<LimitClass, [RateLimitName, RateLimitRule]>();
  for (const [name, rule] of Object.entries(policy) as Array<[RateLimitName, RateLimitRule]>) {
    if (rule.scope !== 'network') continue;
    const held = chosen.get(rule.class);
    if (!held || rule.windowSeconds < held[1].windowSeconds) chosen.set(rule.class, [name, rule]);
  }
  const names = new Set([...chosen.values()].map(([name]) => name));
  return Object.fromEntries(Object.entries(policy).filter(([name]) => names.has(name as RateLimitName)));
}

/**
 * The policy applied to requests: counts each request against every limit of its class and scope,
 * and refuses it (RATE_LIMITED) at the first limit that is full. Whoever answers a refusal counts it
 * in `refusals`.
 */
export class RateLimits {
  private readonly limiter: RateLimiter;
  private readonly windows = new Map<string, LimitWindow[]>();
  /** Requests refused so far in this process, per limit. */
  readonly refusals = new RefusalCounts();
  readonly policy: RateLimitPolicy;

  constructor(limiter: RateLimiter, policy: RateLimitPolicy) {
    this.limiter = limiter;
    this.policy = policy;
    for (const [name, rule] of Object.entries(policy) as Array<[RateLimitName, RateLimitRule]>) {
      const slot = `${rule.class}/${rule.scope}`;
      const list = this.windows.get(slot) ?? [];
      list.push({ name, limit: rule.limit, windowMs: rule.windowSeconds * 1000 });
      this.windows.set(slot, list);
    }
  }

  /** Whether any limit applies to a class in a scope (so a caller can skip working out the key). */
  applies(limitClass: LimitClass, scope: LimitScope): boolean {
    return this.windows.has(`${limitClass}/${scope}`);
  }

  /** Counts one request; answers the refusal when a limit is full, or null when it may go ahead. */
  async check(limitClass: LimitClass, scope: LimitScope, key: string): Promise<RateLimitedError | null> {
    const windows = this.windows.get(`${limitClass}/${scope}`);
    if (!windows) return null;
    for (const window of windows) {
      const decision = await this.limiter.take(window, key);
      if (!decision.allowed) return new RateLimitedError(window.name, decision.retryAfterMs);
    }
    return null;
  }

  /** Counts one request, and throws RATE_LIMITED when a limit is full. */
  async admit(limitClass: LimitClass, scope: LimitScope, key: string): Promise<void> {
    const refused = await this.check(limitClass, scope, key);
    if (refused) throw refused;
  }
}

/** How many keys the in-process limiter remembers at most before forgetting the oldest. */
export const IN_PROCESS_LIMITER_KEYS = 100_000;

/**
 * A map that holds at most `maxKeys` entries, forgetting the oldest half at once when full: two
 * generations, the older dropped whole. Every operation costs O(1), also under a flood of new keys
 * (a Map that drops its first key one at a time makes each eviction scan the deleted ones).
 */
export class BoundedMap<V> {
  private readonly generationSize: number;
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(maxKeys: number) {
    this.generationSize = Math.max(1, Math.floor(maxKeys / 2));
  }

  /** Entries held now (at most `maxKeys`). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  set(key: string, value: V): void {
    if (!this.current.has(key) && this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    this.previous.delete(key);
  }

  delete(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }
}

/**
 * The limiter of one process: a counter per limit and key for the current window, in a map that holds
 * at most `maxKeys` entries (the oldest forgotten first), so memory stays bounded whatever number of
 * addresses or people appear. No store is touched.
 */
export class InProcessRateLimiter implements RateLimiter {
  private readonly clock: Clock;
  private readonly counters: BoundedMap<{ index: number; count: number }>;

  constructor(clock: Clock, options: { maxKeys?: number } = {}) {
    this.clock = clock;
    this.counters = new BoundedMap(options.maxKeys ?? IN_PROCESS_LIMITER_KEYS);
  }

  /** Keys remembered now (at most `maxKeys`). */
  get size(): number {
    return this.counters.size;
  }

  take(limit: LimitWindow, key: string): Promise<RateDecision> {
    return Promise.resolve(this.takeNow(limit, key));
  }

  /** The same as `take`, answered at once. */
  takeNow(limit: LimitWindow, key: string): RateDecision {
    const now = this.clock.now().getTime();
    const window = windowAt(now, limit.windowMs);
    const id = `${limit.name}\u0000${key}`;
    const counter = this.counters.get(id);
    if (counter && counter.index === window.index) {
      if (counter.count >= limit.limit) return { allowed: false, retryAfterMs: window.endsAt - now };
      counter.count++;
      return { allowed: true };
    }
    if (limit.limit < 1) return { allowed: false, retryAfterMs: window.endsAt - now };
    this.counters.set(id, { index: window.index, count: 1 });
    return { allowed: true };
  }
}
