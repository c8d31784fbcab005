import { pollDelayMs } from './waiting-room.ts';

describe('how often the waiting page asks for the place in line', () => {
  it('asks every 5 s on screen and every 30 s hidden, or later when the room says so, never after more than a minute', () => {
    expect(pollDelayMs({ hidden: false, failures: 0 })).toBe(5_000);
    expect(pollDelayMs({ hidden: true, failures: 0 })).toBe(30_000);
    expect(pollDelayMs({ hidden: false, failures: 0, checkAgainSeconds: 40 })).toBe(40_000);
    expect(pollDelayMs({ hidden: true, failures: 0, checkAgainSeconds: 10 })).toBe(30_000);
    expect(pollDelayMs({ hidden: false, failures: 0, checkAgainSeconds: null })).toBe(5_000);
    expect(pollDelayMs({ hidden: false, failures: 2, checkAgainSeconds: 20 })).toBe(60_000);
    expect(pollDelayMs({ hidden: false, failures: 1 })).toBe(10_000);
  });
});
