import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MissingDataSetError, runBenchmark, runSmokeBenchmark } from './benchmark.ts';
import { killAllChildren } from './processes.ts';
import { type BenchmarkReport, formatReport, SCENARIO_NAMES, type ScenarioName } from './report.ts';

const usage = `Usage: npm run bench -- [options]

Starts the local server on a generated data set and measures it with autocannon from another process.

  --data-dir DIR       the data set (default: $DATA_DIR or .data/national)
  --duration S         seconds per scenario (default 10)
  --connections N      concurrent connections (default 50)
  --warmup S           seconds of unreported warm-up load (default 2)
  --scenarios LIST     comma-separated, of: ${SCENARIO_NAMES.join(', ')} (default: all)
  --out FILE           where to write the JSON report (default docs/benchmarks.json; not in --smoke)
  --profile            run the server under node --cpu-prof and summarise the profile
  --profile-dir DIR    where the profile goes (default .data/profiles; implies --profile)
  --seed N             seed of the choice of people, postal codes and slots (default 1)
  --rate-limits on|off count every request against the limits — per caller as by default, per network
                       out of reach, the load coming from one address (default on) — or run with none
  --opening-room on|off  in the opening, open the data set's age groups again a few seconds after its
                       start through the administration's API, so people wait in the waiting room
                       (default on), or let them book at once
  --smoke              a tiny data set in a temporary folder, every scenario for 1 s, and the checks

Exits 1 on an invariant violation or a crash, 2 when the data set is missing; a missed target is
reported, not an error.`;

const repoRoot = resolve(import.meta.dirname, '../..');

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number.\n\n${usage}`);
  return n;
}

/** `npm run bench`: runs the benchmark, prints the table, writes the JSON report. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'profile-dir': { type: 'string' },
      seed: { type: 'string' },
      'rate-limits': { type: 'string', default: 'on' },
      'opening-room': { type: 'string', default: 'on' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const scenarios = (values.scenarios ?? SCENARIO_NAMES.join(',')).split(',').map((s) => s.trim());
  const unknown = scenarios.filter((s) => !(SCENARIO_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}.\n\n${usage}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const rateLimits = values['rate-limits'];
  if (rateLimits !== 'on' && rateLimits !== 'off') throw new Error(`--rate-limits must be on or off.\n\n${usage}`);
  const openingRoom = values['opening-room'];
  if (openingRoom !== 'on' && openingRoom !== 'off') throw new Error(`--opening-room must be on or off.\n\n${usage}`);

  let report: BenchmarkReport;
  if (values.smoke) {
    report = await runSmokeBenchmark({
      repoRoot,
      log,
      durationSeconds: positive('duration', values.duration, 1),
      connections: positive('connections', values.connections, 4),
      rateLimits,
      openingRoom,
    });
  } else {
    report = await runBenchmark({
      repoRoot,
      dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? '.data/national',
      connections: Math.max(1, Math.round(positive('connections', values.connections, 50))),
      durationSeconds: Math.max(1, positive('duration', values.duration, 10)),
      warmupSeconds: positive('warmup', values.warmup, 2),
      scenarios: scenarios as ScenarioName[],
      profileDir: values.profile || values['profile-dir'] ? (values['profile-dir'] ?? '.data/profiles') : null,
      kind: 'full',
      seed: Math.round(positive('seed', values.seed, 1)),
      rateLimits,
      openingRoom,
      log,
    });
  }
  console.log(formatReport(report));
  const out = values.out ?? (values.smoke ? null : 'docs/benchmarks.json');
  if (out) {
    const path = resolve(repoRoot, out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Report written to ${path}`);
  }
  return report.invariants.violations > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    killAllChildren();
    if (error instanceof MissingDataSetError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
