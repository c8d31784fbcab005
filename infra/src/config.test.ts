import { resolveInstances } from './config.ts';
import { DEPLOYED_FUNCTION_NAMES, FUNCTION_SPECS } from './function-specs.ts';

describe('the instances of each function', () => {
  test('on an ordinary day every function runs between its minimum and maximum', () => {
    const instances = resolveInstances({}, false);
    for (const name of DEPLOYED_FUNCTION_NAMES) {
      expect(instances[name]).toEqual({
        min: FUNCTION_SPECS[name].scale.minInstances,
        max: FUNCTION_SPECS[name].scale.maxInstances,
      });
    }
  });

  test('an opening raises the minimum of the functions an opening hits, and no maximum', () => {
    const ordinary = resolveInstances({}, false);
    const opening = resolveInstances({}, true);
    expect(opening.login.min).toBeGreaterThanOrEqual(50);
    expect(opening.booking.min).toBeGreaterThan(ordinary.booking.min);
    for (const name of DEPLOYED_FUNCTION_NAMES) {
      expect(opening[name].min).toBeGreaterThanOrEqual(ordinary[name].min);
      expect(opening[name].max).toBe(ordinary[name].max);
    }
  });

  test("a stack setting changes one function's instances and keeps the others' defaults", () => {
    const instances = resolveInstances({ login: { maxInstances: 300, openingMinInstances: '80' } }, true);
    expect(instances.login).toEqual({ min: 80, max: 300 });
    expect(instances.search).toEqual(resolveInstances({}, true).search);
  });

  test('an unknown function, an unknown setting or a bad count is refused by name', () => {
    expect(() => resolveInstances({ logon: { maxInstances: 1 } }, false)).toThrow(/scale\.logon: no such function/);
    expect(() => resolveInstances({ login: { max: 1 } }, false)).toThrow(/scale\.login\.max: unknown setting/);
    expect(() => resolveInstances({ login: { maxInstances: -1 } }, false)).toThrow(/scale\.login\.maxInstances/);
    expect(() => resolveInstances({ login: { maxInstances: 0 } }, false)).toThrow(/at least 1/);
  });

  test('a minimum above the maximum is refused', () => {
    expect(() => resolveInstances({ booking: { maxInstances: 10 } }, true)).toThrow(
      'scale.booking: minimum 16 is above maxInstances 10',
    );
  });
});
