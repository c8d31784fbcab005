import type { BookingMeter, BookingRecorder, Measured } from '@ereg/shared';

/** How far back the admission controller looks. */
const WINDOW_MS = 10_000;

/** The bookings of one meter's window, as counts: what an instance shares with the others. */
export interface BookingSummary {
  windowMs: number;
  /** Bookings completed. */
  booked: number;
  /** Booking requests that failed on the server's side. */
  failed: number;
  /** Booking requests in all. */
  count: number;
  /** 95th percentile latency, in milliseconds; null when none were made. */
  p95Ms: number | null;
}

/**
 * Bookings of the last ten seconds, in one process: completed per second, the share that failed on the
 * server's side, and the 95th percentile of their latency. Enough for one server; on Google Cloud each
 * booking instance keeps one and shares its summary (firestore-booking-meter.ts).
 */
export class SlidingBookingMeter implements BookingRecorder {
  private readonly samples: Array<{ at: number; booked: boolean; failed: boolean; ms: number }> = [];

  record(at: Date, outcome: { booked: boolean; failed: boolean; ms: number }): void {
    this.samples.push({ at: at.getTime(), ...outcome });
    this.forget(at.getTime());
  }

  measure(now: Date): Measured {
    const summary = this.summary(now);
    if (summary.count === 0) return { bookingsPerSecond: 0, errorRate: 0, p95Ms: null };
    return {
      bookingsPerSecond: summary.booked / (WINDOW_MS / 1000),
      errorRate: summary.failed / summary.count,
      p95Ms: summary.p95Ms,
    };
  }

  /** The window's counts at `now`. */
  summary(now: Date): BookingSummary {
    this.forget(now.getTime());
    const n = this.samples.length;
    const latencies = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    return {
      windowMs: WINDOW_MS,
      booked: this.samples.filter((s) => s.booked).length,
      failed: this.samples.filter((s) => s.failed).length,
      count: n,
      p95Ms: n === 0 ? null : (latencies[Math.min(n - 1, Math.ceil(n * 0.95) - 1)] ?? null),
    };
  }

  private forget(now: number): void {
    while (this.samples.length > 0 && (this.samples[0]?.at ?? now) <= now - WINDOW_MS) this.samples.shift();
  }
}

/** How long the event loop was held up: `node:perf_hooks`' `monitorEventLoopDelay()` histogram, in nanoseconds. */
export interface LoopDelay {
  percentile(p: number): number;
  reset(): void;
}

/**
 * A meter that also counts the event loop's hold-ups since the last measure (their 99th percentile) as
 * latency: a request that arrives while the loop is busy waits that long before the server even reads
 * it, which the time measured around a booking cannot show. One server's loop holds all its requests,
 * so long pieces of work (a report's refresh, a flood of requests) slow admissions as slow bookings
 * would; a single pause (a garbage collection) does not.
 */
export function withLoopDelay(meter: BookingMeter, delay: LoopDelay): BookingMeter {
  return {
    async measure(now: Date): Promise<Measured> {
      const measured = await meter.measure(now);
      const heldUpMs = delay.percentile(99) / 1e6;
      delay.reset();
      if (heldUpMs <= (measured.p95Ms ?? 0)) return measured;
      return { ...measured, p95Ms: Math.round(heldUpMs) };
    },
  };
}
