/**
 * Runs a piece of work again and again, `intervalMs` after the previous run ended (never two at once),
 * until stopped. A failed run is reported and the next one comes as usual. With `restTimes`, the pause
 * is at least that many times the previous run's duration: work that slows under load takes a
 * bounded share of the time, however slow it gets.
 */
export class Poller {
  private readonly work: () => Promise<unknown>;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | null = null;

  constructor(work: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.work = work;
    this.onError = onError;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  start(intervalMs: number, options: { restTimes?: number } = {}): void {
    if (this.timer) return;
    const tick = () => {
      const started = performance.now();
      this.work()
        .catch(this.onError)
        .finally(() => {
          const rest = Math.max(intervalMs, (options.restTimes ?? 0) * (performance.now() - started));
          if (this.timer) this.timer = setTimeout(tick, rest);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  /** No new run starts; one in progress is the caller's to wait for. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
