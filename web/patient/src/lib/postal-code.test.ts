/** @jest-environment node */
import { normalisePostalCode } from './postal-code.ts';

describe('postal codes', () => {
  it('accepts NN-NNN, and the five digits written without the dash or with a space', () => {
    expect(normalisePostalCode('00-950')).toBe('00-950');
    expect(normalisePostalCode(' 00950 ')).toBe('00-950');
    expect(normalisePostalCode('31 042')).toBe('31-042');
  });

  it('refuses anything else', () => {
    for (const input of ['', '0-950', '00-95', '000-950', '00–950', 'ab-cde', '00-9500', '00--950']) {
      expect({ input, result: normalisePostalCode(input) }).toEqual({ input, result: null });
    }
  });
});
