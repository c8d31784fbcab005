import { SlidingBookingMeter, withLoopDelay } from './booking-meter.ts';

const at = (ms: number) => new Date(Date.parse('2026-01-15T19:00:00Z') + ms);

/** A stand-in of perf_hooks' histogram: its 99th percentile since its reset, in nanoseconds. */
function delay(p99Ms: number) {
  return {
    p99: p99Ms * 1e6,
    resets: 0,
    percentile(p: number) {
      if (p !== 99) throw new Error(`asked for the ${p}th percentile`);
      return this.p99;
    },
    reset() {
      this.resets++;
      this.p99 = 0;
    },
  };
}

describe('the booking meter', () => {
  it('counts the bookings of the last ten seconds: per second, the share that failed, the 95th percentile', () => {
    const meter = new SlidingBookingMeter();
    for (let i = 0; i < 19; i++) meter.record(at(i * 100), { booked: true, failed: false, ms: 10 + i });
    meter.record(at(2000), { booked: false, failed: true, ms: 500 });
    expect(meter.measure(at(3000))).toEqual({ bookingsPerSecond: 1.9, errorRate: 0.05, p95Ms: 28 });
    // Ten seconds on, all of it is forgotten.
    expect(meter.measure(at(12_500))).toEqual({ bookingsPerSecond: 0, errorRate: 0, p95Ms: null });
  });

  it('counts a held-up event loop as latency, so a server busy elsewhere admits fewer', async () => {
    const meter = new SlidingBookingMeter();
    meter.record(at(0), { booked: true, failed: false, ms: 12 });
    const busy = delay(900);
    const measured = withLoopDelay(meter, busy);
    expect(await measured.measure(at(1000))).toEqual({ bookingsPerSecond: 0.1, errorRate: 0, p95Ms: 900 });
    expect(busy.resets).toBe(1);
    // A loop that kept up leaves the bookings' own latency, and nothing measured stays nothing.
    busy.p99 = 4e6;
    expect(await measured.measure(at(2000))).toEqual({ bookingsPerSecond: 0.1, errorRate: 0, p95Ms: 12 });
    expect(await withLoopDelay(new SlidingBookingMeter(), delay(0)).measure(at(0))).toEqual({
      bookingsPerSecond: 0,
      errorRate: 0,
      p95Ms: null,
    });
  });
});
