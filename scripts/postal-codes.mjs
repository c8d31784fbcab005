// Derives the postal-code table the server places searches with (functions/src/adapters/geonames/pl-postal-codes.json)
// from the GeoNames postal code export for Poland: PL.txt inside https://download.geonames.org/export/zip/PL.zip,
// licensed CC BY 4.0 (attribution: "GeoNames, geonames.org"; see docs/data-sources.md).
//
// PL.txt is tab-separated: country, postal code, place name, admin1 name, admin1 code, admin2 name, admin2 code,
// admin3 name, admin3 code, latitude, longitude, accuracy. GeoNames gives one point per locality, so the table
// groups the codes by locality: one row [place, lat, lon, codes], where codes are five digits separated by
// spaces and a run "NNNNN-NNNNN" stands for every code from the first to the last, all of that locality.
//
// Usage: node scripts/postal-codes.mjs path/to/PL.txt [--out FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options, positionals } = parseArgs({
  options: { out: { type: 'string' } },
  allowPositionals: true,
});
const input = positionals[0];
if (!input) {
  console.error('Usage: node scripts/postal-codes.mjs path/to/PL.txt [--out FILE]');
  process.exit(2);
}
const out = options.out ?? join(root, 'functions/src/adapters/geonames/pl-postal-codes.json');

// Poland lies within these bounds; a point outside is an error in the data, not a place to search from.
const BOUNDS = { minLat: 49.0, maxLat: 54.9, minLon: 14.1, maxLon: 24.2 };
// A point this far from the middle of its county's localities is another place of the same name (GeoNames
// puts a few villages at a namesake 50–160 km away); such a code is left out and falls back to its area.
const COUNTY_RADIUS_KM = 40;

const distanceKm = (a, b) => {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** "Kutno 001", "Bielsko-Biała 012": a numbered post office of the town, which is the same locality. */
const placeName = (name) => name.replace(/ \d{1,3}$/, '').trim();

const skipped = [];
const lines = readFileSync(input, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** The middle (median latitude and longitude) of the distinct points of each county (voivodeship + powiat). */
const countyOf = (cells) => `${cells[3]}|${cells[5]}`;
const countyPoints = new Map();
for (const line of lines) {
  const cells = line.split('\t');
  const points = countyPoints.get(countyOf(cells)) ?? new Map();
  points.set(`${cells[9]},${cells[10]}`, { lat: Number(cells[9]), lon: Number(cells[10]) });
  countyPoints.set(countyOf(cells), points);
}
const countyMiddle = new Map(
  [...countyPoints].map(([county, points]) => {
    const all = [...points.values()];
    return [county, { lat: median(all.map((p) => p.lat)), lon: median(all.map((p) => p.lon)) }];
  }),
);

/** code (number) → { place, lat, lon, accuracy } */
const chosen = new Map();
let rows = 0;
let conflicts = 0;
for (const line of lines) {
  rows++;
  const cells = line.split('\t');
  const [country, code, name] = cells;
  const lat = Number(cells[9]);
  const lon = Number(cells[10]);
  const accuracy = Number(cells[11] || 0);
  const match = /^(\d{2})-(\d{3})$/.exec(code ?? '');
  if (country !== 'PL' || !match || !name) {
    skipped.push(`line ${rows}: not a Polish postal code row`);
    continue;
  }
  if (!(lat >= BOUNDS.minLat && lat <= BOUNDS.maxLat && lon >= BOUNDS.minLon && lon <= BOUNDS.maxLon)) {
    skipped.push(`line ${rows}: ${code} at ${cells[9]}, ${cells[10]} is outside Poland`);
    continue;
  }
  const away = distanceKm({ lat, lon }, countyMiddle.get(countyOf(cells)));
  if (away > COUNTY_RADIUS_KM) {
    skipped.push(`line ${rows}: ${code} ${name} is ${Math.round(away)} km from the middle of ${cells[5]} county`);
    continue;
  }
  const key = Number(match[1] + match[2]);
  const row = { place: placeName(name), lat, lon, accuracy };
  const seen = chosen.get(key);
  if (seen) {
    // A code listed for several localities: the most accurate point wins, the first listed on a tie.
    conflicts++;
    if (row.accuracy > seen.accuracy) chosen.set(key, row);
    continue;
  }
  chosen.set(key, row);
}

/** Localities in the order of their first code, each with its codes ascending. */
const localities = new Map();
for (const key of [...chosen.keys()].sort((a, b) => a - b)) {
  const { place, lat, lon } = chosen.get(key);
  const id = `${place}|${lat}|${lon}`;
  const locality = localities.get(id) ?? { place, lat, lon, codes: [] };
  locality.codes.push(key);
  localities.set(id, locality);
}

const five = (n) => String(n).padStart(5, '0');
const runsOf = (codes) => {
  const parts = [];
  for (let i = 0; i < codes.length; ) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j] + 1) j++;
    parts.push(j > i ? `${five(codes[i])}-${five(codes[j])}` : five(codes[i]));
    i = j + 1;
  }
  return parts.join(' ');
};

const rowsOut = [...localities.values()].map(({ place, lat, lon, codes }) =>
  JSON.stringify([place, lat, lon, runsOf(codes)]),
);
const text = [
  '{',
  '  "source": "GeoNames postal code export for Poland (PL.txt), https://download.geonames.org/export/zip/",',
  '  "licence": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), attribution: GeoNames, geonames.org",',
  '  "derived": "node scripts/postal-codes.mjs PL.txt: one row per locality [place, lat, lon, codes]",',
  `  "codes": ${chosen.size},`,
  '  "places": [',
  rowsOut.map((row, i) => `    ${row}${i < rowsOut.length - 1 ? ',' : ''}`).join('\n'),
  '  ]',
  '}',
  '',
].join('\n');
writeFileSync(out, text);

console.log(
  `${rows} rows read, ${chosen.size} postal codes in ${localities.size} localities ` +
    `(${conflicts} repeated codes resolved, ${skipped.length} rows skipped), ${Buffer.byteLength(text)} bytes → ${out}`,
);
for (const reason of skipped) console.log(`  skipped ${reason}`);
