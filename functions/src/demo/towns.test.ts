import { voivodeshipBySlug, voivodeshipOfGmina } from '@ereg/shared';
import towns from './data/towns.json' with { type: 'json' };

const rows = Object.entries(towns).flatMap(([slug, list]) => list.map((row) => ({ slug, name: row[0], code: row[6] })));
const codeOf = (name: string) => rows.find((town) => town.name === name)?.code;

/** The demo towns' TERC codes (scripts/town-teryt.mjs) against the register's rule and well-known codes. */
describe('the TERC codes of the demo towns', () => {
  test('every town has a seven-digit code of a gmina in its own voivodeship', () => {
    expect(rows).toHaveLength(169);
    for (const town of rows) {
      expect(typeof town.code).toBe('string');
      expect(voivodeshipOfGmina(String(town.code))?.slug).toBe(town.slug);
      expect(String(town.code).slice(0, 2)).toBe(voivodeshipBySlug(town.slug)?.teryt);
    }
  });

  test('a town is an urban gmina (kind 1) or the town of an urban-rural gmina (kind 4)', () => {
    for (const town of rows) expect(['1', '4']).toContain(String(town.code).at(-1));
  });

  test('cities of districts have the code of the whole city, not of a district', () => {
    expect(codeOf('Warszawa')).toBe('1465011');
    expect(codeOf('Kraków')).toBe('1261011');
    expect(codeOf('Łódź')).toBe('1061011');
    expect(codeOf('Poznań')).toBe('3064011');
    expect(codeOf('Wrocław')).toBe('0264011');
  });

  test('a town within an urban-rural gmina has that gmina’s town code, and no two towns share a code', () => {
    expect(codeOf('Świecie')).toBe('0414094');
    expect(codeOf('Solec Kujawski')).toBe('0403084');
    expect(codeOf('Zakopane')).toBe('1217011');
    expect(codeOf('Gdańsk')).toBe('2261011');
    expect(new Set(rows.map((town) => town.code)).size).toBe(rows.length);
  });
});
