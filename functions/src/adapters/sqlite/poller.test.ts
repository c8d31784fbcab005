import { Poller } from './poller.ts';

describe('the poller', () => {
  afterEach(() => jest.useRealTimers());

  test('waits its interval after a quick run, and many times a slow run’s duration after a slow one', async () => {
    jest.useFakeTimers();
    const t0 = Date.now();
    const started: number[] = [];
    let duration = 0;
    const poller = new Poller(
      async () => {
        started.push(Date.now() - t0);
        if (duration > 0) await new Promise((resolve) => setTimeout(resolve, duration));
      },
      () => {},
    );
    poller.start(1000, { restTimes: 4 });
    await jest.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([1000]);
    // The second run takes 2 s: the third comes 8 s after it ended, not 1 s.
    duration = 2000;
    await jest.advanceTimersByTimeAsync(1000);
    duration = 0;
    await jest.advanceTimersByTimeAsync(2000 + 7999);
    expect(started).toEqual([1000, 2000]);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toEqual([1000, 2000, 12_000]);
    // Quick again: back to the interval.
    await jest.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([1000, 2000, 12_000, 13_000]);
    poller.stop();
  });
});
