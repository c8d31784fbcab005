/** @jest-environment node */
import { roundUp, scaleFor } from './scale.ts';

describe('the cartogram’s classes', () => {
  test('round a class’s width up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.064, 0.64, 1, 1.2, 2.2, 4, 7, 11.4, 20].map(roundUp)).toEqual([0.1, 1, 1, 2, 2.5, 5, 10, 20, 20]);
    expect(roundUp(0)).toBe(1);
  });

  test('cover the largest figure in five classes of equal width from 0', () => {
    const scale = scaleFor([12.3, 57, null, 40]);
    expect(scale.bounds).toEqual([0, 20, 40, 60, 80, 100]);
    expect([0, 19.9, 20, 57, 99.9, 100].map(scale.classOf)).toEqual([0, 0, 1, 2, 4, 4]);
    expect(scale.classOf(null)).toBeNull();
  });

  test('read in small numbers when uptake is small, and stand when nothing is given', () => {
    expect(scaleFor([0.3, 0.1, 0.05]).bounds).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(scaleFor([null, null]).bounds).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
