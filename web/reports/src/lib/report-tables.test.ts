/** @jest-environment node */
import { createTranslator } from '../../../shared/src/i18n.ts';
import { en } from '../i18n/en.ts';
import { pl } from '../i18n/pl.ts';
import { aReport, VACCINES } from '../test-support.tsx';
import { stacked } from './chart-spec.ts';
import { csvFileName, toCsv } from './csv.ts';
import { figuresIn } from './format.ts';
import { doseLayers, dosesTable, uptakeTable, type Words } from './report-tables.ts';

const vaccines = VACCINES as unknown as Words['vaccines'];
const polish: Words = { t: createTranslator(pl, 'pl-PL'), figures: figuresIn('pl'), vaccines };
const english: Words = { t: createTranslator(en, 'en-GB'), figures: figuresIn('en'), vaccines };

describe('the charts’ tables and their CSV', () => {
  test('layer the doses by product name, then dose, with a value for every day of the period', () => {
    const layers = doseLayers(aReport(), polish);
    expect(layers.map((l) => [l.label, l.values])).toEqual([
      ['Comirnaty (Pfizer-BioNTech), dawka 1', [120, 200, 0, 0, 0, 0, 0, 80]],
      ['Comirnaty (Pfizer-BioNTech), dawka 2', [0, 40, 0, 0, 15, 0, 0, 0]],
      ['Spikevax (Moderna), dawka 1', [30, 0, 0, 0, 0, 0, 0, 0]],
    ]);
    expect(stacked(layers, 8).map((tops) => tops.slice(0, 2))).toEqual([
      [120, 200],
      [120, 240],
      [150, 240],
    ]);
  });

  test('give the doses per day a column per product and dose, the day’s total and the 7-day average', () => {
    const report = aReport();
    const table = dosesTable(report, doseLayers(report, english), english);
    expect(table.columns.map((c) => c.label)).toEqual([
      'Day',
      'Comirnaty (Pfizer-BioNTech), dose 1',
      'Comirnaty (Pfizer-BioNTech), dose 2',
      'Spikevax (Moderna), dose 1',
      'Total',
      '7-day average',
    ]);
    expect(table.rows[1]?.cells.map((c) => c.text)).toEqual(['6 January 2026', '200', '40', '0', '240', '21.4']);
    expect(toCsv(table).split('\r\n')[2]).toBe('2026-01-06,200,40,0,240,21.4');
  });

  test('write the voivodeships’ CSV with names in the language, the TERYT code, raw numbers and nothing where withheld', () => {
    const report = aReport({ suppressedBelow: 10 });
    const first = report.voivodeships[0];
    if (first) Object.assign(first, { peopleFullyVaccinated: null, fullyVaccinatedPer100: null });
    const table = uptakeTable(report, polish);
    const csv = toCsv(table);
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines[0]).toBe(
      'Województwo,Kod TERYT,Mieszkańcy,Zaszczepieni co najmniej jedną dawką,W pełni zaszczepieni,Zaszczepieni na 100 mieszkańców,W pełni zaszczepieni na 100 mieszkańców,Dawki w wybranych dniach',
    );
    expect(lines[1]).toBe('dolnośląskie,02,1020000,2200,,0.2,,502');
    expect(lines[7]).toBe('mazowieckie,14,1140000,3400,1700,0.3,1.4,514');
    expect(lines).toHaveLength(18);
    // On the page the code is left out, and the figures are written as the language does.
    expect(table.rows[6]?.cells.map((c) => c.text)).toEqual([
      'mazowieckie',
      '14',
      '1\u00a0140\u00a0000',
      '3400',
      '1700',
      '0,3',
      '1,4',
      '514',
    ]);
  });

  test('quote a field that holds a comma or a quote, and name the file by its period', () => {
    const csv = toCsv({
      title: 'x',
      columns: [{ label: 'Name, "short"', numeric: false }],
      rows: [{ key: 'a', cells: [{ value: 'a\nb', text: 'a b' }] }],
    });
    expect(csv).toBe('\ufeff"Name, ""short"""\r\n"a\nb"\r\n');
    expect(csvFileName('szczepienia-wojewodztwa', '2026-01-05', '2026-01-12')).toBe(
      'szczepienia-wojewodztwa-2026-01-05-2026-01-12.csv',
    );
  });
});
