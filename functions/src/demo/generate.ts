import { parseArgs } from 'node:util';
import { logger } from '../observability/logger.ts';
import { DATA_SET_SIZES, generateDataSet } from './generate-data-set.ts';

const usage = `Usage: npm run generate -- [--size tiny|small|national] [--seed N] [--data-dir DIR] [--force]

Builds a data set into DIR/ereg.sqlite (default .data/<size>), then: DATA_DIR=DIR npm start`;

/** `npm run generate`: a country-sized (or smaller) data set for the embedded store, with progress. */
function main(): void {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' },
      seed: { type: 'string', default: '2021' },
      'data-dir': { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const size = DATA_SET_SIZES[values.size];
  if (!size) throw new Error(`--size must be one of ${Object.keys(DATA_SET_SIZES).join(', ')}.\n${usage}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer.\n${usage}`);
  const dataDir = values['data-dir'] ?? `.data/${values.size}`;
  const started = performance.now();
  let lastPhase = '';
  const summary = generateDataSet({
    dataDir,
    size,
    seed,
    now: new Date(),
    force: values.force,
    onProgress: ({ phase, done, total }) => {
      if (phase !== lastPhase && lastPhase) process.stderr.write('\n');
      lastPhase = phase;
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      process.stderr.write(
        `\r  ${phase.padEnd(32)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${seconds}s `,
      );
    },
  });
  process.stderr.write('\n');
  console.log(
    `Data set written to ${summary.dbPath} in ${summary.seconds} s (seed ${summary.seed}, today ${summary.today}):`,
  );
  console.log(`  centres       ${summary.centres.toLocaleString('en')} (staff ${summary.staff.toLocaleString('en')})`);
  console.log(`  citizens      ${summary.citizens.toLocaleString('en')} (all registered as patients)`);
  console.log(
    `  slots         ${summary.slots.toLocaleString('en')} with ${summary.places.toLocaleString('en')} places`,
  );
  console.log(`  booked        ${summary.appointments.toLocaleString('en')} appointments`);
  console.log(`Start it with: DATA_DIR=${dataDir} npm start`);
}

try {
  main();
} catch (error) {
  logger.error('Generating the data set failed.', { error });
  process.exit(1);
}
