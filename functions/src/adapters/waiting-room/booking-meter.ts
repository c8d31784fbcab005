import type { BookingRecorder, Measured } from '@ereg/shared';

/** How far back the admission controller looks. */
const WINDOW_MS = 10_000;

/**
 * Bookings of the last ten seconds, in one process: completed per second, the share that failed on the
 * server's side, and the 95th percentile of their latency. Enough for one server; several instances
 * would each measure their own share.
 */
export class SlidingBookingMeter implements BookingRecorder {
  private readonly samples: Array<{ at: number; booked: boolean; failed: boolean; ms: number }> = [];

  record(at: Date, outcome: { booked: boolean; failed: boolean; ms: number }): void {
    this.samples.push({ at: at.getTime(), ...outcome });
    this.forget(at.getTime());
  }

  measure(now: Date): Measured {
    this.forget(now.getTime());
    const n = this.samples.length;
    if (n === 0) return { bookingsPerSecond: 0, errorRate: 0, p95Ms: null };
    const booked = this.samples.filter((s) => s.booked).length;
    const failed = this.samples.filter((s) => s.failed).length;
    const latencies = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    const p95 = latencies[Math.min(n - 1, Math.ceil(n * 0.95) - 1)] ?? null;
    return { bookingsPerSecond: booked / (WINDOW_MS / 1000), errorRate: failed / n, p95Ms: p95 };
  }

  private forget(now: number): void {
    while (this.samples.length > 0 && (this.samples[0]?.at ?? now) <= now - WINDOW_MS) this.samples.shift();
  }
}
