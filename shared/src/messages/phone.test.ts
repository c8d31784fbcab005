import { DomainError } from '../errors.ts';
import { maskPhone, normalizeLandline, normalizeMobile } from './phone.ts';

const refusal = (input: string, field?: string): DomainError => {
  try {
    normalizeMobile(input, field);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be refused`);
};

describe('normalizeMobile', () => {
  test('a Polish mobile number in any usual spelling becomes E.164', () => {
    for (const spelling of [
      '600100200',
      '600 100 200',
      '600-100-200',
      ' 600 100 200 ',
      '+48 600 100 200',
      '+48600100200',
      '(+48) 600-100-200',
      '0048 600 100 200',
      '+48 (600) 100 200',
    ]) {
      expect(normalizeMobile(spelling)).toBe('+48600100200');
    }
  });

  test('a Ukrainian mobile number keeps its country code', () => {
    expect(normalizeMobile('+380 67 123 4567')).toBe('+380671234567');
    expect(normalizeMobile('+380-50-123-45-67')).toBe('+380501234567');
  });

  test('a Polish landline is refused, since it cannot receive text messages', () => {
    expect(refusal('+48 22 123 45 67').code).toBe('INVALID_PHONE');
    expect(refusal('22 123 45 67').code).toBe('INVALID_PHONE');
  });

  test('a free-phone number is refused', () => {
    expect(refusal('800 123 456').code).toBe('INVALID_PHONE');
  });

  test('garbage and text around a number are refused', () => {
    for (const input of ['', 'abc', 'call me', 'tel. 600 100 200', '600 100 200 or 601 100 200', '+48 600 1OO 200']) {
      expect(refusal(input).code).toBe('INVALID_PHONE');
    }
  });

  test('a number that is too short or too long is refused', () => {
    expect(refusal('60010').code).toBe('INVALID_PHONE');
    expect(refusal('+48 600 100 20').code).toBe('INVALID_PHONE');
    expect(refusal('+48 600 100 2000').code).toBe('INVALID_PHONE');
  });

  test('a Ukrainian number without its country code is not mistaken for a Polish one', () => {
    expect(refusal('067 123 4567').code).toBe('INVALID_PHONE');
  });

  test('the refusal names the field and shows an example', () => {
    const error = refusal('abc', 'From');
    expect(error.field).toBe('From');
    expect(error.kind).toBe('invalid');
    expect(error.message).toContain('+48 600 100 200');
    expect(refusal('abc').field).toBe('phone');
  });
});

describe('maskPhone', () => {
  test('keeps the country code and the last three digits of a number', () => {
    expect(maskPhone('+48601234567')).toBe('+48 *** *** 567');
    expect(maskPhone('+380501234567')).toBe('+380 *** *** 567');
    expect(maskPhone('+447700900123')).toBe('+44 * *** *** 123');
  });

  test('never shows more than the country code and the last three digits', () => {
    for (const [phone, code] of [
      ['+48601234567', '48'],
      ['+48512345678', '48'],
      ['+380501234567', '380'],
    ] as const) {
      expect(maskPhone(phone).replace(/\D/g, '')).toBe(`${code}${phone.slice(-3)}`);
    }
  });
});

describe('normalizeLandline', () => {
  const landlineRefusal = (input: string): DomainError => {
    try {
      normalizeLandline(input);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error(`expected ${input} to be refused`);
  };

  test('a Polish landline in any usual spelling becomes E.164', () => {
    for (const spelling of ['22 628 00 00', '(22) 628 00 00', '+48 22 628 00 00', '0048226280000']) {
      expect(normalizeLandline(spelling)).toBe('+48226280000');
    }
  });

  test('a mobile number is refused as a landline, naming the field, since it should be texted', () => {
    expect([landlineRefusal('601 234 567').code, landlineRefusal('601 234 567').field]).toEqual([
      'NOT_A_LANDLINE',
      'landline',
    ]);
  });

  test('what is no phone number at all is refused as one', () => {
    expect(landlineRefusal('22 628').code).toBe('INVALID_PHONE');
    expect(landlineRefusal('call me').code).toBe('INVALID_PHONE');
  });
});
