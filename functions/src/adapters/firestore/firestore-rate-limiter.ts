import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { BoundedMap, type Clock, type LimitWindow, type RateDecision, type RateLimiter, windowAt } from '@ereg/shared';
import { type Firestore, Timestamp } from '@google-cloud/firestore';

/** One document per limit, key and window: `{ count, expireAt }`. */
export const RATE_LIMITS_COLLECTION = 'rateLimits';

/** How long a window's document is kept after the window ends (a TTL policy on `expireAt` deletes it). */
const KEEP_AFTER_WINDOW_MS = 3_600_000;
/** How long a count may take before the request goes ahead uncounted. */
export const RATE_LIMIT_TIMEOUT_MS = 800;
/** How many full windows an instance remembers at most (the oldest forgotten first). */
const REMEMBERED_WINDOWS = 100_000;
/** Attempts of one count's transaction: a key contended across instances is being hammered. */
const ATTEMPTS = 3;
const ABORTED = 10;

export interface FirestoreRateLimiterOptions {
  clock: Clock;
  /**
   * Keys the document ids (HMAC-SHA-256): the keys are PESELs, phone numbers and subject ids, and no
   * document name may reveal one. At least 32 characters; a function that counts nothing runs without.
   */
  keySecret: string | undefined;
  /** How long a count may take before the request goes ahead uncounted (fail open). */
  timeoutMs?: number;
  /** Told of every request let through uncounted, and why. */
  onFailOpen?: (reason: unknown) => void;
}

/** What the limiter did, for the tests and the logs. */
export interface RateLimiterStats {
  /** Transactions run. */
  transactions: number;
  /** Counts written (one per request let through). */
  writes: number;
  /** Refused by the instance's memory of a full window, without a read. */
  refusedFromMemory: number;
  /** Refused because other instances kept the key's document locked (a key being hammered). */
  refusedContended: number;
  /** Let through uncounted: Firestore was slow or failing. */
  failedOpen: number;
}

type Timed<T> = { done: true; value: T } | { done: false };

function within<T>(promise: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  return Promise.race([promise.then((value) => ({ done: true as const, value })), late]).finally(() =>
    clearTimeout(timer),
  );
}

const refused = (retryAfterMs: number): RateDecision => ({ allowed: false, retryAfterMs: Math.max(1, retryAfterMs) });

/**
 * The RateLimiter across a function's instances, on Firestore: a document per (limit, key, window)
 * whose `count` is raised in a transaction, so parallel requests on any instances never let more than
 * the limit through. A key's document is written at most `limit` times per window — far below
 * Firestore's sustained write rate of a document — and the collection has no shared document: each
 * request touches only its own key's. Once a window is full the instance remembers it until the
 * window ends and refuses without reading; within an instance, counts of one key wait for each other
 * instead of contending. A count that Firestore does not finish within `timeoutMs`, or fails for
 * another reason than contention, lets the request through uncounted (fail open, docs/capacity.md).
 */
export class FirestoreRateLimiter implements RateLimiter {
  readonly stats: RateLimiterStats = {
    transactions: 0,
    writes: 0,
    refusedFromMemory: 0,
    refusedContended: 0,
    failedOpen: 0,
  };
  private readonly firestore: Firestore;
  private readonly clock: Clock;
  private readonly key: KeyObject | null;
  private readonly timeoutMs: number;
  private readonly onFailOpen: (reason: unknown) => void;
  /** Full windows: document id → when the window ends. */
  private readonly full = new BoundedMap<number>(REMEMBERED_WINDOWS);
  /** The count of a document in progress in this instance. */
  private readonly inFlight = new Map<string, Promise<RateDecision>>();

  constructor(firestore: Firestore, options: FirestoreRateLimiterOptions) {
    if (options.keySecret !== undefined && options.keySecret.length < 32) {
      throw new Error('The rate limits key secret must be at least 32 characters.');
    }
    this.firestore = firestore;
    this.clock = options.clock;
    this.key = options.keySecret ? createSecretKey(Buffer.from(options.keySecret, 'utf8')) : null;
    this.timeoutMs = options.timeoutMs ?? RATE_LIMIT_TIMEOUT_MS;
    this.onFailOpen = options.onFailOpen ?? (() => {});
  }

  /** The document id of a limit's window for a key: an HMAC that names neither the key nor the person. */
  documentId(limit: LimitWindow, key: string, windowIndex: number): string {
    if (!this.key) throw new Error('Rate limits are keyed with PESEL_HMAC_SECRET, which this function is not given.');
    const keyed = createHmac('sha256', this.key).update(`${limit.name}/${limit.windowMs}\n${key}`).digest('hex');
    // The HMAC first: ids spread over the whole key range, never one tablet per window.
    return `${keyed}_${windowIndex}`;
  }

  async take(limit: LimitWindow, key: string): Promise<RateDecision> {
    const now = this.clock.now().getTime();
    const window = windowAt(now, limit.windowMs);
    const id = this.documentId(limit, key, window.index);
    const known = this.fullUntil(id, now);
    if (known !== null) return known;
    const previous = this.inFlight.get(id);
    const turn = (async (): Promise<RateDecision> => {
      if (previous) {
        // The same key, counted a moment ago on this instance: wait for that count, then decide.
        const waited = await within(previous, this.timeoutMs);
        if (!waited.done) return refused(1000);
        const after = this.fullUntil(id, this.clock.now().getTime());
        if (after !== null) return after;
      }
      return this.count(id, limit, window.endsAt);
    })();
    this.inFlight.set(id, turn);
    try {
      return await turn;
    } finally {
      if (this.inFlight.get(id) === turn) this.inFlight.delete(id);
    }
  }

  private fullUntil(id: string, now: number): RateDecision | null {
    const until = this.full.get(id);
    if (until === undefined) return null;
    if (until <= now) {
      this.full.delete(id);
      return null;
    }
    this.stats.refusedFromMemory++;
    return refused(until - now);
  }

  private remember(id: string, until: number): void {
    this.full.set(id, until);
  }

  private async count(id: string, limit: LimitWindow, endsAt: number): Promise<RateDecision> {
    const ref = this.firestore.collection(RATE_LIMITS_COLLECTION).doc(id);
    this.stats.transactions++;
    const counting = this.firestore.runTransaction(
      async (t) => {
        const snapshot = await t.get(ref);
        const count = Number(snapshot.get('count') ?? 0);
        if (count >= limit.limit) return { counted: false, full: true };
        t.set(ref, { count: count + 1, expireAt: Timestamp.fromMillis(endsAt + KEEP_AFTER_WINDOW_MS) });
        return { counted: true, full: count + 1 >= limit.limit };
      },
      { maxAttempts: ATTEMPTS },
    );
    let outcome: Timed<{ counted: boolean; full: boolean }>;
    try {
      outcome = await within(counting, this.timeoutMs);
    } catch (error) {
      if ((error as { code?: unknown }).code === ABORTED) {
        this.stats.refusedContended++;
        return refused(1000);
      }
      return this.failOpen(error);
    }
    if (!outcome.done) {
      // The transaction may still commit; its outcome no longer matters to this request.
      counting.catch(() => {});
      return this.failOpen(new Error(`The count took longer than ${this.timeoutMs} ms.`));
    }
    // A full window (or the count that filled it): later requests of this key here are refused without a read.
    if (outcome.value.full) this.remember(id, endsAt);
    if (!outcome.value.counted) return refused(endsAt - this.clock.now().getTime());
    this.stats.writes++;
    return { allowed: true };
  }

  private failOpen(reason: unknown): RateDecision {
    this.stats.failedOpen++;
    this.onFailOpen(reason);
    return { allowed: true };
  }
}
