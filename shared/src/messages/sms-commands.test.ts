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

  describe('joining the standby list', () => {
    test('REZERWA, STANDBY or РЕЗЕРВ with a PESEL and a postal code joins in the word’s language', () => {
      expect(parseInboundSms(`REZERWA ${PESEL} 00-950`)).toEqual({
        kind: 'standby',
        pesel: PESEL,
        postalCode: '00-950',
        km: null,
        language: 'pl',
      });
      expect(parseInboundSms(`standby 00950 ${PESEL}`)).toMatchObject({ kind: 'standby', language: 'en' });
      expect(parseInboundSms(`резерв ${PESEL} 31-042`)).toMatchObject({
        kind: 'standby',
        postalCode: '31-042',
        language: 'uk',
      });
      expect(parseInboundSms(`Rezerwową ${PESEL} 00-950`)).toMatchObject({ kind: 'standby', language: 'pl' });
    });

    test('a distance in km may follow, with or without its unit', () => {
      expect(parseInboundSms(`REZERWA ${PESEL} 00-950 30`)).toMatchObject({ kind: 'standby', km: 30 });
      expect(parseInboundSms(`REZERWA ${PESEL} 00-950 45km`)).toMatchObject({ kind: 'standby', km: 45 });
      expect(parseInboundSms(`STANDBY 12 km ${PESEL} 00-950`)).toMatchObject({ kind: 'standby', km: 12 });
      expect(parseInboundSms(`REZERWA ${PESEL} 00-950 1000`)).toMatchObject({ kind: 'standby', km: null });
    });

    test('the word glued to the PESEL and punctuation between the parts are fine', () => {
      expect(parseInboundSms(`Rezerwa${PESEL}, 00–950.`)).toMatchObject({
        kind: 'standby',
        pesel: PESEL,
        postalCode: '00-950',
      });
    });

    test('a standby word without a PESEL or a postal code says which is missing', () => {
      expect(parseInboundSms('REZERWA 00-950')).toEqual({
        kind: 'standby_incomplete',
        missing: 'pesel',
        language: 'pl',
      });
      expect(parseInboundSms(`STANDBY ${PESEL}`)).toEqual({
        kind: 'standby_incomplete',
        missing: 'postal_code',
        language: 'en',
      });
      expect(parseInboundSms('РЕЗЕРВ')).toMatchObject({ kind: 'standby_incomplete', language: 'uk' });
    });

    test('a booking keyword still starts a booking, and a standby word inside a sentence is unknown', () => {
      expect(parseInboundSms(`SZCZEPIENIE ${PESEL} 00-950 30`).kind).toBe('start');
      expect(parseInboundSms(`proszę rezerwa ${PESEL} 00-950`)).toEqual({ kind: 'unknown' });
    });
  });
});
