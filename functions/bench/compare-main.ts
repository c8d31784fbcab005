import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { current, formatComparison, runComparison, usage } from './compare.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be a non-negative ${integer ? 'whole ' : ''}number.\n\n${usage}`);
  }
  return n;
}

/** `npm run bench:compare`: this checkout against another commit, in alternating benchmark runs. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      against: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'data-dir': { type: 'string' },
      scenarios: { type: 'string', default: 'hello,login,booking' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '2' },
      out: { type: 'string', default: '.data/compare.json' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.against) throw new Error(`--against is required.\n\n${usage}`);
  const runs = positive('runs', values.runs, true);
  if (runs < 1) throw new Error(`--runs must be at least 1.\n\n${usage}`);
  const dataDir = resolve(repoRoot, values['data-dir'] ?? process.env.DATA_DIR ?? '.data/national');
  if (!existsSync(join(dataDir, 'ereg.sqlite'))) {
    console.error(`No data set at ${dataDir}: generate one first (npm run generate -- --size national).`);
    return 2;
  }
  const durationSeconds = positive('duration', values.duration, false);
  const comparison = await runComparison({
    repoRoot,
    against: values.against,
    runs,
    dataDir,
    scenarios: values.scenarios.split(',').map((s) => s.trim()),
    durationSeconds,
    connections: positive('connections', values.connections, true),
    warmupSeconds: positive('warmup', values.warmup, false),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(formatComparison(comparison, durationSeconds));
  const out = resolve(repoRoot, values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(comparison, null, 2)}\n`);
  console.log(`Summary written to ${out}`);
  return 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const bench = current.bench;
    if (bench === null) process.exit(130);
    bench.once('exit', () => process.exit(130));
    bench.kill('SIGTERM');
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
