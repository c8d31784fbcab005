import { readFileSync } from 'node:fs';
import { AGE_BANDS, TERYT_VOIVODESHIPS } from '@ereg/shared';
import { POPULATION_SOURCE, polishPopulation } from './population.ts';

/** Residents of Poland on 31 December 2020 as GUS first published them, and after the 2021 census revision. */
const PUBLISHED_TOTAL = 38_265_013;
const REVISED_TOTAL = 38_088_564;

const rows = polishPopulation();
const total = rows.reduce((sum, row) => sum + row.people, 0);
const inVoivodeship = (teryt: string) =>
  rows.filter((row) => row.voivodeship === teryt).reduce((sum, row) => sum + row.people, 0);
const inBand = (band: string) => rows.filter((row) => row.ageBand === band).reduce((sum, row) => sum + row.people, 0);

describe('the population by voivodeship and age band', () => {
  test('gives each of the 16 voivodeships each of the 7 bands exactly once', () => {
    expect(rows).toHaveLength(112);
    const keys = new Set(rows.map((row) => `${row.voivodeship} ${row.ageBand}`));
    expect(keys.size).toBe(112);
    for (const v of TERYT_VOIVODESHIPS) for (const band of AGE_BANDS) expect(keys).toContain(`${v.teryt} ${band}`);
  });

  test('describes the end of 2020 and names its source', () => {
    expect(POPULATION_SOURCE.referenceDate).toBe('2020-12-31');
    expect(POPULATION_SOURCE.source).toMatch(/GUS.*P2137/);
  });

  test('adds up to the national figure of 31 December 2020, within 0.5 % of it before and after revision', () => {
    expect(Math.abs(total - REVISED_TOTAL) / REVISED_TOTAL).toBeLessThan(0.005);
    expect(Math.abs(total - PUBLISHED_TOTAL) / PUBLISHED_TOTAL).toBeLessThan(0.005);
  });

  test('has mazowieckie the most populous voivodeship and opolskie the least', () => {
    const sizes = TERYT_VOIVODESHIPS.map((v) => ({ slug: v.slug, people: inVoivodeship(v.teryt) })).sort(
      (a, b) => b.people - a.people,
    );
    expect(sizes[0]?.slug).toBe('mazowieckie');
    expect(sizes[0]?.people).toBeGreaterThan(5_300_000);
    expect(sizes.at(-1)?.slug).toBe('opolskie');
    expect(sizes.at(-1)?.people).toBeLessThan(1_000_000);
    expect(sizes[1]?.slug).toBe('slaskie');
  });

  test('gives plausible shares: 80+ about 4 %, under 18 about 18 %, 25–49 the largest band', () => {
    expect(inBand('80+') / total).toBeGreaterThan(0.035);
    expect(inBand('80+') / total).toBeLessThan(0.055);
    expect(inBand('0-17') / total).toBeGreaterThan(0.17);
    expect(inBand('0-17') / total).toBeLessThan(0.2);
    const largest = [...AGE_BANDS].sort((a, b) => inBand(b) - inBand(a))[0];
    expect(largest).toBe('25-49');
    for (const v of TERYT_VOIVODESHIPS) {
      const young = rows.find((row) => row.voivodeship === v.teryt && row.ageBand === '18-24')?.people ?? 0;
      expect(young / inVoivodeship(v.teryt)).toBeGreaterThan(0.055);
      expect(young / inVoivodeship(v.teryt)).toBeLessThan(0.09);
    }
  });

  test('agrees with the five-year groups it was derived from: whole groups summed, 0–24 split at 18', () => {
    const groups = new Map<string, number>();
    const csv = readFileSync(new URL('./data/population-5y.csv', import.meta.url), 'utf8');
    for (const line of csv.trim().split('\n').slice(1)) {
      const [code, , age, , , value] = line.split(';').map((cell) => cell.replace(/^"|"$/g, ''));
      groups.set(`${code?.slice(0, 2)} ${age}`, Number(value));
    }
    const sum = (teryt: string, ...ages: string[]) =>
      ages.reduce((s, age) => s + (groups.get(`${teryt} ${age}`) ?? 0), 0);
    for (const v of TERYT_VOIVODESHIPS) {
      const band = (name: string) => rows.find((row) => row.voivodeship === v.teryt && row.ageBand === name)?.people;
      expect(band('80+')).toBe(sum(v.teryt, '80-84', '85 i więcej'));
      expect(band('70-79')).toBe(sum(v.teryt, '70-74', '75-79'));
      expect(band('25-49')).toBe(sum(v.teryt, '25-29', '30-34', '35-39', '40-44', '45-49'));
      expect((band('0-17') ?? 0) + (band('18-24') ?? 0)).toBe(sum(v.teryt, '0-4', '5-9', '10-14', '15-19', '20-24'));
      expect(band('0-17')).toBeGreaterThan(sum(v.teryt, '0-4', '5-9', '10-14'));
      expect(band('0-17')).toBeLessThan(sum(v.teryt, '0-4', '5-9', '10-14', '15-19'));
      expect(inVoivodeship(v.teryt)).toBe(sum(v.teryt, 'ogółem'));
    }
  });
});
