import { parseInboundSms } from './sms-commands.ts';

const PESEL = '44051401359';

describe('parseInboundSms', () => {
  test('a Polish keyword with a PESEL and a postal code starts a booking in Polish', () => {
    expect(parseInboundSms(`SZCZEPIENIE ${PESEL} 00-950`)).toEqual({
      kind: 'start',
      pesel: PESEL,
      postalCode: '00-950',
      language: 'pl',
    });
  });

  test('every keyword is recognised and decides the language', () => {
    const languageOf = (keyword: string) => {
      const parsed = parseInboundSms(`${keyword} ${PESEL} 00-950`);
      return parsed.kind === 'start' ? parsed.language : parsed.kind;
    };
    expect(['SZCZEPIENIE', 'SZCZEPIENIA', 'SZCZEP'].map(languageOf)).toEqual(['pl', 'pl', 'pl']);
    expect(['VACCINE', 'VACCINATION'].map(languageOf)).toEqual(['en', 'en']);
    expect(['ЩЕПЛЕННЯ', 'ВАКЦИНА'].map(languageOf)).toEqual(['uk', 'uk']);
  });

  test('the keyword is read whatever its case and diacritics', () => {
    for (const keyword of [
      'szczepienie',
      'Szczepienie',
      'sZcZePiEnIe',
      'szczepienię',
      'Vaccine',
      'щеплення',
      'Вакцина',
    ]) {
      expect(parseInboundSms(`${keyword} ${PESEL} 00-950`).kind).toBe('start');
    }
  });

  test('a Cyrillic keyword starts a booking in Ukrainian', () => {
    expect(parseInboundSms(`щеплення ${PESEL} 31-042`)).toEqual({
      kind: 'start',
      pesel: PESEL,
      postalCode: '31-042',
      language: 'uk',
    });
  });

  test('the PESEL and the postal code may come in either order', () => {
    expect(parseInboundSms(`SZCZEPIENIE 00-950 ${PESEL}`)).toEqual({
      kind: 'start',
      pesel: PESEL,
      postalCode: '00-950',
      language: 'pl',
    });
  });

  test('a postal code without its dash is returned with it', () => {
    const parsed = parseInboundSms(`vaccine ${PESEL} 00950`);
    expect(parsed).toEqual({ kind: 'start', pesel: PESEL, postalCode: '00-950', language: 'en' });
  });

  test('extra spaces, commas, semicolons and line breaks between the parts are fine', () => {
    for (const text of [
      `  SZCZEPIENIE   ${PESEL}    00-950  `,
      `SZCZEPIENIE,${PESEL},00-950`,
      `SZCZEPIENIE; ${PESEL}; 00-950.`,
      `SZCZEPIENIE: ${PESEL}, 00-950`,
      `SZCZEPIENIE\n${PESEL}\n00-950`,
      `SZCZEPIENIE${PESEL} 00–950`,
      `Szczepienie? ${PESEL} 00-950!`,
    ]) {
      expect(parseInboundSms(text)).toEqual({ kind: 'start', pesel: PESEL, postalCode: '00-950', language: 'pl' });
    }
  });

  test('the PESEL checksum is left to the caller', () => {
    expect(parseInboundSms('SZCZEPIENIE 44051401358 00-950')).toMatchObject({ kind: 'start', pesel: '44051401358' });
  });

  test('a keyword without a PESEL, or with a malformed one, asks for the PESEL', () => {
    expect(parseInboundSms('SZCZEPIENIE 00-950')).toEqual({
      kind: 'start_incomplete',
      missing: 'pesel',
      language: 'pl',
    });
    expect(parseInboundSms('VACCINE 4405140135 00-950')).toEqual({
      kind: 'start_incomplete',
      missing: 'pesel',
      language: 'en',
    });
    expect(parseInboundSms('ВАКЦИНА 440514013591 00-950')).toMatchObject({ missing: 'pesel', language: 'uk' });
    expect(parseInboundSms('SZCZEPIENIE')).toMatchObject({ kind: 'start_incomplete', missing: 'pesel' });
  });

  test('a keyword without a postal code, or with a malformed one, asks for the postal code', () => {
    expect(parseInboundSms(`SZCZEPIENIE ${PESEL}`)).toEqual({
      kind: 'start_incomplete',
      missing: 'postal_code',
      language: 'pl',
    });
    for (const code of ['00-95', '0-0950', '009500', '00/950', 'AB-950']) {
      expect(parseInboundSms(`SZCZEPIENIE ${PESEL} ${code}`)).toMatchObject({ missing: 'postal_code' });
    }
  });

  test('yes is TAK, T, YES, Y or ТАК, and names the language when the word does', () => {
    expect(parseInboundSms('TAK')).toEqual({ kind: 'yes', language: 'pl' });
    expect(parseInboundSms('yes')).toEqual({ kind: 'yes', language: 'en' });
    expect(parseInboundSms('так')).toEqual({ kind: 'yes', language: 'uk' });
    expect(parseInboundSms('t')).toEqual({ kind: 'yes', language: null });
    expect(parseInboundSms('Y')).toEqual({ kind: 'yes', language: null });
  });

  test('no is NIE, N, NO, НІ or НИ, and names the language when the word does', () => {
    expect(parseInboundSms('Nie')).toEqual({ kind: 'no', language: 'pl' });
    expect(parseInboundSms('NO')).toEqual({ kind: 'no', language: 'en' });
    expect(parseInboundSms('ні')).toEqual({ kind: 'no', language: 'uk' });
    expect(parseInboundSms('НИ')).toEqual({ kind: 'no', language: 'uk' });
    expect(parseInboundSms('n')).toEqual({ kind: 'no', language: null });
  });

  test('an answer may carry spaces and trailing punctuation', () => {
    expect(parseInboundSms('  Tak!  ')).toEqual({ kind: 'yes', language: 'pl' });
    expect(parseInboundSms('yes.')).toEqual({ kind: 'yes', language: 'en' });
    expect(parseInboundSms('NIE!!!')).toEqual({ kind: 'no', language: 'pl' });
    expect(parseInboundSms('no?')).toEqual({ kind: 'no', language: 'en' });
  });

  test('an answer inside a sentence is not taken as an answer', () => {
    expect(parseInboundSms('tak, ale później')).toEqual({ kind: 'unknown' });
    expect(parseInboundSms('nie wiem')).toEqual({ kind: 'unknown' });
    expect(parseInboundSms('TAKE')).toEqual({ kind: 'unknown' });
  });

  test('help is POMOC, HELP, ДОПОМОГА or a question mark', () => {
    expect(parseInboundSms('pomoc')).toEqual({ kind: 'help', language: 'pl' });
    expect(parseInboundSms('Help!')).toEqual({ kind: 'help', language: 'en' });
    expect(parseInboundSms('допомога')).toEqual({ kind: 'help', language: 'uk' });
    expect(parseInboundSms('?')).toEqual({ kind: 'help', language: null });
    expect(parseInboundSms(' ?? ')).toEqual({ kind: 'help', language: null });
  });

  test('anything else, an empty text included, is unknown', () => {
    for (const text of ['', '   ', 'hello', 'Dzień dobry, chcę się zaszczepić', `${PESEL} 00-950`, '👍']) {
      expect(parseInboundSms(text)).toEqual({ kind: 'unknown' });
    }
  });
});
