// Gives every town of the demo data (functions/src/demo/data/towns.json) the seven-digit TERC code of its gmina,
// from the TERC part of the TERYT register of Statistics Poland (GUS), so that reports can count a centre's work
// by voivodeship, powiat and gmina. TERYT is public information, reusable with the source named (see
// docs/data-sources.md).
//
// The rule: a town's code is that of the register's unit of the same name in the town's voivodeship whose kind
// (RODZ) is 1, an urban gmina, or 4, the town of an urban-rural gmina. Cities divided into districts or
// delegations (Warszawa, Kraków, Łódź, Poznań, Wrocław) thus get the code of the whole city (Warszawa 1465011),
// never that of a district (kinds 8 and 9). A name matching no such unit, or more than one, stops the script.
//
// The input is the register as GUS distributes it, TERC_Urzedowy_YYYY-MM-DD.csv (semicolon-separated, columns
// WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA), or a JSON array of objects with those keys (codes as text or
// numbers). The code becomes (or replaces) the seventh element of each town's row.
//
// Usage: node scripts/town-teryt.mjs path/to/TERC.csv [--towns FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { voivodeshipBySlug } from '../shared/src/teryt.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options, positionals } = parseArgs({
  options: { towns: { type: 'string' } },
  allowPositionals: true,
});
const input = positionals[0];
if (!input) {
  console.error('Usage: node scripts/town-teryt.mjs path/to/TERC.csv [--towns FILE]');
  process.exit(2);
}
const townsFile = options.towns ?? join(root, 'functions/src/demo/data/towns.json');

/** Kinds of unit a town can be: an urban gmina, or the town of an urban-rural gmina. */
const TOWN_KINDS = new Set(['1', '4']);

const text = readFileSync(input, 'utf8').replace(/^\uFEFF/, '');
const two = (value) => String(value ?? '').padStart(2, '0');
const records = text.trimStart().startsWith('[')
  ? JSON.parse(text)
  : (() => {
      const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
      const header = lines[0].split(';');
      return lines.slice(1).map((line) => Object.fromEntries(line.split(';').map((cell, i) => [header[i], cell])));
    })();

/** voivodeship code + name → units of a town kind */
const units = new Map();
const dates = new Set();
for (const record of records) {
  dates.add(record.STAN_NA);
  const kind = String(record.RODZ ?? '');
  if (!TOWN_KINDS.has(kind) || record.GMI === '' || record.GMI === undefined) continue;
  const code = `${two(record.WOJ)}${two(record.POW)}${two(record.GMI)}${kind}`;
  const key = `${two(record.WOJ)}|${record.NAZWA}`;
  units.set(key, [...(units.get(key) ?? []), code]);
}

const towns = JSON.parse(readFileSync(townsFile, 'utf8'));
const problems = [];
let coded = 0;
for (const [slug, rows] of Object.entries(towns)) {
  const voivodeship = voivodeshipBySlug(slug);
  if (!voivodeship) {
    problems.push(`${slug}: not a voivodeship`);
    continue;
  }
  for (const row of rows) {
    const found = units.get(`${voivodeship.teryt}|${row[0]}`) ?? [];
    if (found.length !== 1) {
      problems.push(`${row[0]} (${slug}): ${found.length === 0 ? 'no town of that name' : found.join(', ')}`);
      continue;
    }
    row.length = 6;
    row.push(found[0]);
    coded++;
  }
}
if (problems.length > 0) {
  console.error(`town-teryt: ${problems.length} towns without a single code:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const json = `{\n${Object.entries(towns)
  .map(
    ([slug, rows]) =>
      `  ${JSON.stringify(slug)}: [\n${rows.map((row) => `    [${row.map((cell) => JSON.stringify(cell)).join(', ')}]`).join(',\n')}\n  ]`,
  )
  .join(',\n')}\n}\n`;
writeFileSync(townsFile, json);
console.log(`${coded} towns coded from the register as of ${[...dates].join(', ')}`);
