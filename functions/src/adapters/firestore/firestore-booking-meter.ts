import type { BookingRecorder, Clock, Measured } from '@ereg/shared';
import { type Firestore, Timestamp } from '@google-cloud/firestore';
import { type BookingSummary, SlidingBookingMeter } from '../waiting-room/booking-meter.ts';

/** One summary document per booking instance: `bookingMeters/{instanceId}`. */
export const BOOKING_METERS_COLLECTION = 'bookingMeters';

/** An instance writes its summary at most this often (0.2 writes a second per instance at most). */
export const SUMMARY_EVERY_MS = 5_000;
/** Summaries written longer ago than this are left out: their instance stopped booking or is gone. */
export const SUMMARY_FRESH_MS = 15_000;
/** How long a summary is kept (a TTL policy on `expireAt` deletes it afterwards). */
const KEEP_MS = 3_600_000;

export interface FirestoreBookingMeterOptions {
  /** This instance's own id: its summary document's name. */
  instanceId: string;
  clock: Clock;
  /** Told of the first failed write (until one succeeds again); a booking never fails for it. */
  onWriteFailed?: (reason: unknown) => void;
}

/**
 * The waiting room's booking meter across a function's instances. Each booking instance counts its
 * own bookings in memory (SlidingBookingMeter) and, when it recorded something, writes its window's
 * counts to its own document at most every five seconds, so no document is shared by instances. The
 * admission tick reads the summaries of the last fifteen seconds in one query and adds them up.
 */
export class FirestoreBookingMeter implements BookingRecorder {
  private readonly local = new SlidingBookingMeter();
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private unwritten = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;

  private readonly firestore: Firestore;
  private readonly options: FirestoreBookingMeterOptions;

  constructor(firestore: Firestore, options: FirestoreBookingMeterOptions) {
    this.firestore = firestore;
    this.options = options;
  }

  record(at: Date, outcome: { booked: boolean; failed: boolean; ms: number }): void {
    this.local.record(at, outcome);
    this.unwritten = true;
    const wait = this.lastWriteAt + SUMMARY_EVERY_MS - at.getTime();
    if (wait <= 0) this.write(at);
    else if (!this.timer) {
      // The last bookings of a burst are written too, once the five seconds are up.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.unwritten) this.write(this.options.clock.now());
      }, wait);
      this.timer.unref();
    }
  }

  /** Resolves once the writes started so far have ended (succeeded or failed). */
  settled(): Promise<void> {
    return this.writing;
  }

  /** Stops the pending write of the last bookings (the instance is shutting down). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async measure(now: Date): Promise<Measured> {
    const since = Timestamp.fromMillis(now.getTime() - SUMMARY_FRESH_MS);
    const snap = await this.firestore.collection(BOOKING_METERS_COLLECTION).where('at', '>=', since).get();
    return combine(snap.docs.map((doc) => doc.data() as BookingSummary));
  }

  private write(at: Date): void {
    this.lastWriteAt = at.getTime();
    this.unwritten = false;
    const summary: BookingSummary = this.local.summary(at);
    const ref = this.firestore.collection(BOOKING_METERS_COLLECTION).doc(this.options.instanceId);
    this.writing = this.writing
      .then(() =>
        ref.set({
          ...summary,
          at: Timestamp.fromDate(at),
          expireAt: Timestamp.fromMillis(at.getTime() + KEEP_MS),
        }),
      )
      .then(
        () => {
          this.failing = false;
        },
        (reason: unknown) => {
          if (!this.failing) this.options.onWriteFailed?.(reason);
          this.failing = true;
        },
      );
  }
}

/**
 * The instances' summaries as one measurement: bookings per second added up, the error rate weighted
 * by each instance's requests, and the highest p95 (the slowest instance is what people feel).
 */
export function combine(summaries: readonly BookingSummary[]): Measured {
  let bookingsPerSecond = 0;
  let failed = 0;
  let count = 0;
  let p95Ms: number | null = null;
  for (const s of summaries) {
    bookingsPerSecond += s.windowMs > 0 ? s.booked / (s.windowMs / 1000) : 0;
    failed += s.failed;
    count += s.count;
    if (s.p95Ms !== null && (p95Ms === null || s.p95Ms > p95Ms)) p95Ms = s.p95Ms;
  }
  return { bookingsPerSecond, errorRate: count === 0 ? 0 : failed / count, p95Ms };
}
