import {
  isBookingReference,
  parseBookingReference,
  REFERENCE_ALPHABET,
  REFERENCE_LENGTH,
  referenceFrom,
} from './booking-reference.ts';

describe('booking references', () => {
  test('32 characters, none of 0, O, 1, I', () => {
    expect(new Set(REFERENCE_ALPHABET).size).toBe(32);
    for (const c of '0O1I') expect(REFERENCE_ALPHABET).not.toContain(c);
  });

  test('built from 8 numbers, each taken modulo 32', () => {
    expect(referenceFrom([0, 1, 2, 3, 28, 29, 30, 31])).toBe('ABCD6789');
    expect(referenceFrom([32, 33, 255, 0, 0, 0, 0, 0])).toBe('AB9AAAAA');
    expect(() => referenceFrom([1, 2, 3])).toThrow('8 numbers');
  });

  test('recognised only as written: 8 characters of the alphabet', () => {
    expect(isBookingReference('K7M2QX9P')).toBe(true);
    expect(isBookingReference('k7m2qx9p')).toBe(false);
    expect(isBookingReference('K7M2QX9')).toBe(false);
    expect(isBookingReference('K7M2QX0P')).toBe(false);
  });

  test('read as a person types it: any case, groups split by spaces or dashes', () => {
    expect(parseBookingReference('k7m2-qx9p')).toBe('K7M2QX9P');
    expect(parseBookingReference(' K7M2 QX9P ')).toBe('K7M2QX9P');
  });

  test('a wrong reference says what is wrong, on the field named', () => {
    expect(() => parseBookingReference('K7M2QX9', 'ref')).toThrow(
      expect.objectContaining({ code: 'INVALID_REFERENCE', field: 'ref', message: expect.stringContaining('has 7') }),
    );
    expect(() => parseBookingReference('K7M2QX0P')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('never use 0, O, 1 or I') }),
    );
    expect(() => parseBookingReference('K7M2QX#P')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('no "#"') }),
    );
    expect(REFERENCE_LENGTH).toBe(8);
  });
});
