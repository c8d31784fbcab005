// Derives the population the reports divide by (functions/src/reports/data/population.json: people per
// voivodeship and report age band on 31 December 2020) from Statistics Poland's Local Data Bank (BDL), subject
// P2137 "Ludność wg grup wieku i płci" (population by age group and sex), at the level of voivodeships.
// GUS data are public information, reusable with the source named (see docs/data-sources.md).
//
// The input is a BDL export of P2137 in either of two layouts:
//  - BDL's own long layout ("CREL"), semicolon-separated: Kod;Nazwa;Wiek;Płeć;Rok;Wartosc;…, one value a row,
//    the voivodeship's 7-digit code in Kod (0200000 …) — as the BDL web export and the file this script writes;
//  - a wide table of the BDL API's answers, comma-separated, one row per voivodeship and year: voivodeship
//    (name in capitals), year, then "<age group> overall|men|women" columns.
// Only both sexes together are read. The script writes two files beside each other:
//  - population-5y.csv, the five-year groups it read for the year (BDL long layout, both sexes), so the
//    report bands can be checked and derived again without the original download;
//  - population.json, the seven report bands per voivodeship.
//
// The report bands are sums of whole five-year groups, except where 18 splits the group 15–19: ages 15–17 are
// taken as three fifths of it (see docs/data-sources.md for why and how far off that can be).
//
// Usage: node scripts/population.mjs path/to/export.csv [--year 2020] [--out-dir DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AGE_BANDS } from '../shared/src/age-bands.ts';
import { TERYT_VOIVODESHIPS, voivodeshipByTeryt } from '../shared/src/teryt.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options, positionals } = parseArgs({
  options: { year: { type: 'string', default: '2020' }, 'out-dir': { type: 'string' } },
  allowPositionals: true,
});
const input = positionals[0];
if (!input) {
  console.error('Usage: node scripts/population.mjs path/to/export.csv [--year 2020] [--out-dir DIR]');
  process.exit(2);
}
const year = options.year;
const outDir = options['out-dir'] ?? join(root, 'functions/src/reports/data');

/** The five-year groups of P2137, youngest first; together they are the whole population. */
const GROUPS = [
  '0-4',
  '5-9',
  '10-14',
  '15-19',
  '20-24',
  '25-29',
  '30-34',
  '35-39',
  '40-44',
  '45-49',
  '50-54',
  '55-59',
  '60-64',
  '65-69',
  '70-74',
  '75-79',
  '80-84',
  '85 i więcej',
];
const TOTAL = 'ogółem';
/** Share of the group 15–19 taken as aged 15–17: three of its five years (the estimate the file makes). */
const UNDER_18_SHARE_OF_15_19 = 3 / 5;

const fail = (message) => {
  console.error(`population: ${message}`);
  process.exit(1);
};

const unquote = (cell) => cell.trim().replace(/^"(.*)"$/, '$1');
const text = readFileSync(input, 'utf8').replace(/^\uFEFF/, '');
const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
const header = lines[0] ?? '';

/** voivodeship TERYT → age group (or 'ogółem') → people */
const counts = new Map();
const put = (teryt, group, value, where) => {
  const people = Number(value);
  if (!Number.isInteger(people) || people < 0) fail(`${where}: "${value}" is not a count of people`);
  const groups = counts.get(teryt) ?? new Map();
  if (groups.has(group)) fail(`${where}: ${group} of ${teryt} given twice`);
  groups.set(group, people);
  counts.set(teryt, groups);
};

if (header.includes(';')) {
  const names = header.split(';').map(unquote);
  const at = (name) => {
    const i = names.indexOf(name);
    if (i < 0) fail(`the BDL export has no column ${name}`);
    return i;
  };
  const [code, age, sex, yearAt, value] = ['Kod', 'Wiek', 'Płeć', 'Rok', 'Wartosc'].map(at);
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(';').map(unquote);
    if (cells[yearAt] !== year || cells[sex] !== TOTAL) return;
    const match = /^(\d{2})00000$/.exec(cells[code] ?? '');
    if (!match || match[1] === '00') return; // Poland as a whole, or a unit below a voivodeship
    if (cells[age] !== TOTAL && !GROUPS.includes(cells[age])) return; // 70 and over, and other aggregates
    put(match[1], cells[age], cells[value], `line ${i + 2}`);
  });
} else {
  const names = header.split(',').map(unquote);
  const byName = new Map(TERYT_VOIVODESHIPS.map((v) => [v.name, v.teryt]));
  const at = (name) => {
    const i = names.indexOf(name);
    if (i < 0) fail(`the table has no column ${name}`);
    return i;
  };
  const columns = [TOTAL, ...GROUPS].map((group) => {
    const english = group === TOTAL ? 'overall' : group.replace(' i więcej', ' and older');
    return [group, at(`${english} overall`)];
  });
  const [voivodeship, yearAt] = [at('voivodeship'), at('year')];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',').map(unquote);
    if (cells[yearAt] !== year) return;
    const teryt = byName.get(cells[voivodeship]?.toLowerCase());
    if (!teryt) fail(`line ${i + 2}: unknown voivodeship "${cells[voivodeship]}"`);
    for (const [group, column] of columns) put(teryt, group, cells[column], `line ${i + 2}`);
  });
}

if (counts.size !== TERYT_VOIVODESHIPS.length) fail(`${year}: ${counts.size} voivodeships, expected 16`);
for (const [teryt, groups] of counts) {
  const missing = [TOTAL, ...GROUPS].filter((group) => !groups.has(group));
  if (missing.length > 0) fail(`${teryt}: no ${missing.join(', ')}`);
  const sum = GROUPS.reduce((s, group) => s + groups.get(group), 0);
  if (sum !== groups.get(TOTAL)) fail(`${teryt}: the age groups add up to ${sum}, the total is ${groups.get(TOTAL)}`);
}

const sumOf = (groups, ...names) => names.reduce((s, name) => s + groups.get(name), 0);
/** The seven report bands of one voivodeship, in the order of AGE_BANDS. */
const reportBands = (groups) => {
  const under25 = sumOf(groups, '0-4', '5-9', '10-14', '15-19', '20-24');
  const under18 = sumOf(groups, '0-4', '5-9', '10-14') + Math.round(UNDER_18_SHARE_OF_15_19 * groups.get('15-19'));
  return [
    under18,
    under25 - under18,
    sumOf(groups, '25-29', '30-34', '35-39', '40-44', '45-49'),
    sumOf(groups, '50-54', '55-59'),
    sumOf(groups, '60-64', '65-69'),
    sumOf(groups, '70-74', '75-79'),
    sumOf(groups, '80-84', '85 i więcej'),
  ];
};

const ordered = TERYT_VOIVODESHIPS.map((v) => [v.teryt, counts.get(v.teryt)]);
const extract = [
  '"Kod";"Nazwa";"Wiek";"Płeć";"Rok";"Wartosc"',
  ...ordered.flatMap(([teryt, groups]) =>
    [TOTAL, ...GROUPS].map(
      (group) =>
        `${teryt}00000;"${voivodeshipByTeryt(teryt).name.toUpperCase()}";"${group}";"${TOTAL}";"${year}";${groups.get(group)}`,
    ),
  ),
];
writeFileSync(join(outDir, 'population-5y.csv'), `${extract.join('\n')}\n`);

const rows = ordered.flatMap(([teryt, groups]) =>
  reportBands(groups).map((people, i) => [teryt, AGE_BANDS[i], people]),
);
const national = rows.reduce((s, [, , people]) => s + people, 0);
const file = {
  source:
    'Statistics Poland (GUS), Local Data Bank (BDL), subject P2137 "Ludność wg grup wieku i płci" (population by ' +
    `age group and sex), voivodeships, as of 31 December ${year}; bands summed from five-year groups, ages 15–17 ` +
    'taken as 3/5 of 15–19',
  referenceDate: `${year}-12-31`,
  rows,
};
const json = `{\n  "source": ${JSON.stringify(file.source)},\n  "referenceDate": "${file.referenceDate}",\n  "rows": [\n${rows
  .map(([teryt, band, people]) => `    ["${teryt}", "${band}", ${people}]`)
  .join(',\n')}\n  ]\n}\n`;
writeFileSync(join(outDir, 'population.json'), json);
console.log(`${rows.length} rows, ${national} people in ${counts.size} voivodeships on ${file.referenceDate}`);
