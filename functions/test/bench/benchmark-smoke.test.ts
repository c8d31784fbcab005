// The command-line entry points run only as their own processes; these lines have tsc check them too.
/// <reference path="../../bench/main.ts" />
/// <reference path="../../bench/load-child.ts" />
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runSmokeBenchmark } from '../../bench/benchmark.ts';
import { type BenchmarkReport, SCENARIO_NAMES } from '../../bench/report.ts';

jest.setTimeout(60_000);

const repoRoot = resolve(__dirname, '../../..');
const committedReport = resolve(repoRoot, 'docs/benchmarks.json');

/** Every field of docs/benchmarks.json, as dotted paths, with the type it must have. */
const REPORT_FIELDS: Record<string, string> = {
  kind: 'string',
  date: 'string',
  'machine.cpus': 'number',
  'machine.cpuModel': 'string',
  'machine.totalMemoryBytes': 'number',
  'machine.platform': 'string',
  'machine.arch': 'string',
  'machine.kernel': 'string',
  'machine.node': 'string',
  'machine.loadAverageAtStart': 'number',
  revision: 'object',
  'dataSet.dataDir': 'string',
  'dataSet.fileBytes': 'number',
  'dataSet.summary': 'object',
  'dataSet.centres': 'number',
  'dataSet.patients': 'number',
  'settings.connections': 'number',
  'settings.durationSeconds': 'number',
  'settings.warmupSeconds': 'number',
  'settings.scenarios': 'object',
  startupMs: 'number',
  peakRssBytes: 'number',
  preparationMs: 'number',
  scenarios: 'object',
  'invariants.appointmentsCreated': 'number',
  'invariants.bookingsStored': 'number',
  'invariants.bookingsAcknowledged': 'number',
  'invariants.overCapacityAnywhere': 'number',
  'invariants.slotsChecked': 'number',
  'invariants.patientsChecked': 'number',
  'invariants.overCapacity': 'object',
  'invariants.counterMismatches': 'object',
  'invariants.doubleBookings': 'object',
  'invariants.lostBookings': 'number',
  'invariants.violations': 'number',
  targets: 'object',
  notes: 'object',
};

const SCENARIO_FIELDS: Record<string, string> = {
  name: 'string',
  description: 'string',
  connections: 'number',
  durationSeconds: 'number',
  requestsPerSecond: 'number',
  okPerSecond: 'number',
  'latencyMs.p50': 'number',
  'latencyMs.p99': 'number',
  responses: 'number',
  ok: 'number',
  expected: 'object',
  unexpected: 'object',
  errors: 'number',
  socketErrors: 'number',
  timeouts: 'number',
  'inputs.prepared': 'number',
  'inputs.reused': 'number',
  'inputs.exhausted': 'number',
  serverCpuPercent: 'number',
  generatorCpuPercent: 'number',
};

function missingFields(value: unknown, fields: Record<string, string>): string[] {
  return Object.entries(fields)
    .filter(([path, type]) => {
      const found = path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], value);
      return typeof found !== type || found === null;
    })
    .map(([path, type]) => `${path} (${type})`);
}

describe('the benchmark in smoke mode', () => {
  let report: BenchmarkReport;
  let before: string | null;

  beforeAll(async () => {
    before = existsSync(committedReport) ? readFileSync(committedReport, 'utf8') : null;
    report = await runSmokeBenchmark({ repoRoot });
  });

  it('runs every scenario and each one gets successful answers without errors', () => {
    expect(report.scenarios.map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
    for (const scenario of report.scenarios) {
      expect({ name: scenario.name, ok: scenario.ok > 0, errors: scenario.errors }).toEqual({
        name: scenario.name,
        ok: true,
        errors: 0,
      });
    }
  });

  it('sees people racing for the contended slots answered SLOT_FULL, not with errors', () => {
    const contended = report.scenarios.find((s) => s.name === 'contended');
    expect(contended?.expected.SLOT_FULL ?? 0).toBeGreaterThan(0);
  });

  it('finds no invariant violated and every acknowledged booking stored', () => {
    expect(report.invariants.violations).toBe(0);
    expect(report.invariants.bookingsAcknowledged).toBeGreaterThan(0);
    expect(report.invariants.bookingsStored).toBeGreaterThanOrEqual(report.invariants.bookingsAcknowledged);
    expect(report.invariants.slotsChecked).toBeGreaterThan(0);
  });

  it('measures start-up and the server’s peak memory', () => {
    expect(report.startupMs).toBeGreaterThan(0);
    expect(report.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('produces a report with every field of docs/benchmarks.json, and every target judged', () => {
    const roundTripped = JSON.parse(JSON.stringify(report)) as unknown;
    expect(missingFields(roundTripped, REPORT_FIELDS)).toEqual([]);
    for (const scenario of report.scenarios) expect(missingFields(scenario, SCENARIO_FIELDS)).toEqual([]);
    expect(report.targets.map((t) => t.id)).toEqual([
      'booking-ratio',
      'booking-rate',
      'search-ratio',
      'search-rate',
      'search-p99',
      'login-rate',
      'reports-p95',
      'peak-rss',
      'startup',
      'invariants',
      // The opening benchmark
      'opening-5xx',
      'opening-rate',
      'opening-p99',
      'opening-one-course',
      'opening-scripts',
    ]);
    expect(report.targets.every((t) => t.pass !== null)).toBe(true);
  });

  // The opening benchmark
  it('replays an opening: no 5xx, scripts held to one course each and to no more than their share', () => {
    const opening = report.scenarios.find((s) => s.name === 'opening')?.opening;
    if (!opening) throw new Error('The smoke run has no opening figures.');
    expect(opening.arrivals).toBeGreaterThan(100);
    expect(opening.scriptedPeople).toBeGreaterThan(0);
    expect(opening.peakArrivalsPerSecond).toBeGreaterThanOrEqual(100 * 10);
    expect(opening.serverErrors).toBe(0);
    expect(opening.bookings).toBeGreaterThan(0);
    expect(opening.bookingLatencyMs.p99).toBeGreaterThan(0);
    // Scripts fire several bookings each: the server acknowledges at most one course per identity.
    expect(opening.answers['POST book 409'] ?? 0).toBeGreaterThan(0);
    expect(opening.identitiesWithMoreThanOneBooking).toBe(0);
    expect(opening.scriptedBookings).toBeLessThanOrEqual(opening.scriptedPeople);
    expect(opening.scriptedBookingShare).toBeLessThanOrEqual(opening.scriptedPeopleShare);
    const target = (id: string) => report.targets.find((t) => t.id === id)?.pass;
    expect([target('opening-5xx'), target('opening-one-course'), target('opening-scripts')]).toEqual([
      true,
      true,
      true,
    ]);
    // Without a waiting room for the opening (no route, or rooms off: 409 NO_QUEUE), it books directly and says so.
    const joined = Object.keys(opening.answers).some((answer) => /^POST joinQueue 20[01]$/.test(answer));
    expect(opening.queue.used).toBe(joined);
  });

  it('leaves docs/benchmarks.json as it was', () => {
    const after = existsSync(committedReport) ? readFileSync(committedReport, 'utf8') : null;
    expect(after).toBe(before);
  });
});
