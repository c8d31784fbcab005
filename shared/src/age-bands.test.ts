import { AGE_BANDS, ageBandOf } from './age-bands.ts';

describe('ageBandOf', () => {
  test.each([
    [0, '0-17'],
    [17, '0-17'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25-49'],
    [49, '25-49'],
    [50, '50-59'],
    [59, '50-59'],
    [60, '60-69'],
    [69, '60-69'],
    [70, '70-79'],
    [79, '70-79'],
    [80, '80+'],
    [104, '80+'],
  ])('puts a person of %i in %s', (age, band) => {
    expect(ageBandOf(age)).toBe(band);
  });

  it('gives every age from 0 to 110 exactly one band, the bands in order and none left empty', () => {
    const bands = Array.from({ length: 111 }, (_, age) => ageBandOf(age));
    const firstSeen = AGE_BANDS.map((band) => bands.indexOf(band));

    expect(firstSeen.every((at) => at >= 0)).toBe(true);
    expect([...firstSeen].sort((a, b) => a - b)).toEqual(firstSeen);
    expect(new Set(bands).size).toBe(AGE_BANDS.length);
  });

  test.each([-1, 17.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the age %p', (age) => {
    expect(() => ageBandOf(age)).toThrow(RangeError);
  });
});
