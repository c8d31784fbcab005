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
  --metrics on|off     the server records its metrics (default on) or uses a no-op meter
  --metrics-cost N     instead of the scenarios: the booking scenario N times with metrics off and N times
                       on, alternating (each run with other people), and the cost of metrics on its rate
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
      metrics: { type: 'string', default: 'on' },
      'metrics-cost': { type: 'string' },
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

  const metrics = values.metrics;
  if (metrics !== 'on' && metrics !== 'off') throw new Error(`--metrics must be on or off.\n\n${usage}`);

  if (values['metrics-cost'] !== undefined) {
    const rounds = Math.max(1, Math.round(positive('metrics-cost', values['metrics-cost'], 2)));
    const seed = Math.round(positive('seed', values.seed, 1));
    const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
    for (let round = 0; round < rounds; round++) {
      for (const setting of ['off', 'on'] as const) {
        const booking = ['booking'] as ScenarioName[];
        const run = values.smoke
          ? await runSmokeBenchmark({
              repoRoot,
              log,
              durationSeconds: positive('duration', values.duration, 5),
              connections: positive('connections', values.connections, 8),
              rateLimits,
              metrics: setting,
              scenarios: booking,
            })
          : await runBenchmark({
              repoRoot,
              dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? '.data/national',
              connections: Math.max(1, Math.round(positive('connections', values.connections, 50))),
              durationSeconds: Math.max(1, positive('duration', values.duration, 10)),
              warmupSeconds: positive('warmup', values.warmup, 2),
              scenarios: booking,
              profileDir: null,
              kind: 'full',
              // Each run books other people, so none finds its people booked already.
              seed: seed + 2 * round + (setting === 'on' ? 1 : 0),
              rateLimits,
              openingRoom,
              metrics: setting,
              log,
            });
        const rate = run.scenarios.find((r) => r.name === 'booking')?.okPerSecond ?? 0;
        log(`  booking with metrics ${setting}: ${rate}/s`);
        rates[setting].push(rate);
      }
    }
    console.log(formatMetricsCost(rates));
    return 0;
  }

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

/** The booking rates with metrics off and on, and what metrics cost: 1 − mean(on) ÷ mean(off). */
function formatMetricsCost(rates: Record<'on' | 'off', number[]>): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const ratio = mean(rates.off) > 0 ? mean(rates.on) / mean(rates.off) : Number.NaN;
  return [
    `Booking with metrics off: ${rates.off.join(', ')} /s (mean ${Math.round(mean(rates.off))})`,
    `Booking with metrics on:  ${rates.on.join(', ')} /s (mean ${Math.round(mean(rates.on))})`,
    `Ratio on ÷ off: ${ratio.toFixed(3)}; cost of metrics: ${((1 - ratio) * 100).toFixed(1)} % (target ≤ 5 %)`,
  ].join('\n');
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
