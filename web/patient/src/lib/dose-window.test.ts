/** @jest-environment node */
import { aVisit, VACCINES } from '../test-support.tsx';
import { doseWindow } from './dose-window.ts';

describe('the dates a visit may move to', () => {
  const dose1 = aVisit({ start: '2026-01-13T07:00:00.000Z' });
  const dose2 = aVisit({ id: 'apt-2', dose: 2, start: '2026-02-03T07:00:00.000Z' });

  it('for a first dose: from today on', () => {
    expect(doseWindow(dose1, [dose1, dose2], VACCINES, '2026-01-12')).toEqual({ from: '2026-01-12' });
  });

  it('for a later dose: within the vaccine’s interval after the dose before it', () => {
    expect(doseWindow(dose2, [dose1, dose2], VACCINES, '2026-01-12')).toEqual({ from: '2026-02-03', to: '2026-02-24' });
  });

  it('never before today, and without an end once the interval has passed', () => {
    expect(doseWindow(dose2, [dose1, dose2], VACCINES, '2026-02-10')).toEqual({ from: '2026-02-10', to: '2026-02-24' });
    expect(doseWindow(dose2, [dose1, dose2], VACCINES, '2026-03-01')).toEqual({ from: '2026-03-01' });
  });

  it('ignores a cancelled earlier dose', () => {
    const cancelled = { ...dose1, status: 'cancelled' as const };
    expect(doseWindow(dose2, [cancelled, dose2], VACCINES, '2026-01-12')).toEqual({ from: '2026-01-12' });
  });
});
