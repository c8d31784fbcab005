import { smsEncoding, smsSegments, toGsm7Text } from './sms-encoding.ts';

describe('smsEncoding', () => {
  test('plain English, digits and GSM punctuation are GSM-7', () => {
    expect(smsEncoding('Dose 1: 12.05 at 09:30, call 989 (free) - 100% @home!')).toBe('GSM-7');
  });

  test('the accented letters and Greek capitals of the GSM alphabet are GSM-7', () => {
    expect(smsEncoding('àèéìòù ÄÖÜÑ äöüñ ÅåÆæØøß Ç É ΔΦΓΛΩΠΨΣΘΞ £$¥¤§¡¿_\n\r')).toBe('GSM-7');
  });

  test('the extension table characters are GSM-7', () => {
    expect(smsEncoding('^{}\\[~]|€\f')).toBe('GSM-7');
  });

  test('one Polish letter outside the alphabet makes the text UCS-2', () => {
    expect(smsEncoding('Przychodnia w Łodzi')).toBe('UCS-2');
    expect(smsEncoding('zażółć')).toBe('UCS-2');
  });

  test('Cyrillic and emoji are UCS-2', () => {
    expect(smsEncoding('Щеплення')).toBe('UCS-2');
    expect(smsEncoding('ok 👍')).toBe('UCS-2');
  });

  test('the ESC control character itself is not a character that can be sent', () => {
    expect(smsEncoding('a\u001Bb')).toBe('UCS-2');
  });
});

describe('smsSegments', () => {
  test('an empty text is one segment of no units', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });

  test('160 GSM-7 characters fit one SMS and the 161st needs a second', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  test('a concatenated GSM-7 message holds 153 septets per part', () => {
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    expect(smsSegments('a'.repeat(459)).segments).toBe(3);
  });

  test('an extension character costs two septets', () => {
    expect(smsSegments('€').units).toBe(2);
    expect(smsSegments(`${'a'.repeat(158)}€`)).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments(`${'a'.repeat(159)}[`)).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('{}'.repeat(153)).segments).toBe(4);
  });

  test('70 UCS-2 characters fit one SMS and the 71st needs a second', () => {
    expect(smsSegments('ж'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ж'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
  });

  test('a concatenated UCS-2 message holds 67 code units per part', () => {
    expect(smsSegments('ж'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ж'.repeat(135)).segments).toBe(3);
  });

  test('an emoji outside the basic plane counts as two code units', () => {
    expect(smsSegments('👍')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments(`${'a'.repeat(68)}👍`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(`${'a'.repeat(69)}👍`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
  });

  test('in a UCS-2 message the extension characters cost one unit like any other', () => {
    expect(smsSegments('ж€').units).toBe(2);
  });
});

describe('toGsm7Text', () => {
  test('replaces every Polish letter, small and capital, with its base letter', () => {
    expect(toGsm7Text('ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ')).toBe('acelnoszz ACELNOSZZ');
    expect(smsEncoding(toGsm7Text('Zażółć gęślą jaźń, ŹDŹBŁO'))).toBe('GSM-7');
  });

  test('replaces typographic quotes, dashes, the ellipsis and non-breaking spaces', () => {
    expect(toGsm7Text('„Zdrowie” – ‘tak’ — “no”…\u00A0ok\u202Fok')).toBe('"Zdrowie" - \'tak\' - "no"... ok ok');
  });

  test('keeps letters that GSM-7 already has, such as é and ö', () => {
    expect(toGsm7Text('Café Über')).toBe('Café Über');
  });

  test('leaves other characters alone, so the text stays UCS-2', () => {
    expect(toGsm7Text('Київ 👍 č')).toBe('Київ 👍 č');
    expect(smsEncoding(toGsm7Text('Łódź Київ'))).toBe('UCS-2');
  });
});
