import { renderHook } from '@testing-library/react';
import { REFRESH_MS, useRefresh } from './use-refresh.ts';

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

describe('refreshing the day while it is looked at', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    setVisibility('visible');
  });

  it('asks again every 30 seconds while the page is visible, not while it is hidden', () => {
    const refresh = jest.fn();
    setVisibility('visible');
    const { unmount } = renderHook(() => useRefresh(refresh, document, window));
    jest.advanceTimersByTime(REFRESH_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    setVisibility('hidden');
    jest.advanceTimersByTime(3 * REFRESH_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    unmount();
    setVisibility('visible');
    jest.advanceTimersByTime(REFRESH_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('asks once when the page is shown again and focused at the same moment', () => {
    const refresh = jest.fn();
    setVisibility('visible');
    renderHook(() => useRefresh(refresh, document, window));
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('focus'));
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
