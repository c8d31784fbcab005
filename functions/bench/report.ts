import type { InvariantReport } from './invariants.ts';
import type { LoadResult } from './load.ts';
// The opening benchmark
import type { OpeningFigures } from './opening.ts';

export const SCENARIO_NAMES = [
  'hello',
  'login',
  'search',
  'booking',
  'contended',
  'reports',
  // The opening benchmark
  'opening',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioReport {
  name: ScenarioName;
  description: string;
  connections: number;
  durationSeconds: number;
  /** Every response per second. */
  requestsPerSecond: number;
  /** Successful answers plus expected business answers (409 SLOT_FULL …) per second. */
  okPerSecond: number;
  latencyMs: LoadResult['latencyMs'];
  responses: number;
  ok: number;
  expected: Record<string, number>;
  unexpected: Record<string, number>;
  /** Unexpected non-2xx answers plus socket errors and timeouts. */
  errors: number;
  socketErrors: number;
  timeouts: number;
  /** okPerSecond ÷ the baseline's requestsPerSecond. */
  ratioToBaseline: number | null;
  inputs: LoadResult['inputs'];
  /** The server's resident set when the scenario ended. */
  serverRssBytes: number | null;
  /** Share of one core the server process used during the scenario (100 = one core fully busy). */
  serverCpuPercent: number | null;
  /** Share of one core the load generator used: near 100 means the client, not the server, was the limit. */
  generatorCpuPercent: number;
  // The opening benchmark
  /** The opening's arrivals, answers, bookings, fairness and queue order (its scenario only). */
  opening?: OpeningFigures;
}

export interface TargetResult {
  id: string;
  description: string;
  measured: number | null;
  limit: number;
  unit: string;
  /** null when the scenario it needs was not run. */
  pass: boolean | null;
}

export interface BenchmarkReport {
  kind: 'full' | 'smoke';
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryBytes: number;
    platform: string;
    arch: string;
    kernel: string;
    node: string;
    /** 1-minute load average when the run started: other work on the machine skews the figures. */
    loadAverageAtStart: number;
  };
  /** The code measured: commit and whether the work tree had changes. */
  revision: { commit: string; dirty: boolean } | null;
  dataSet: {
    dataDir: string;
    fileBytes: number;
    /** meta 'data-set' as the generator wrote it. */
    summary: unknown;
    centres: number;
    patients: number;
  };
  settings: {
    connections: number;
    durationSeconds: number;
    warmupSeconds: number;
    scenarios: ScenarioName[];
    profile: string | null;
    /** Whether the server counted requests against the rate limits (absent in reports before they existed). */
    rateLimits?: 'on' | 'off';
    metrics?: 'on' | 'off';
    /** Whether the opening's age groups opened behind the waiting room during the run. */
    openingRoom?: 'on' | 'off';
  };
  /** From spawning the server to its first /healthz answer. */
  startupMs: number;
  /** The server's peak resident set (VmHWM) at the end of the run. */
  peakRssBytes: number | null;
  /** How long preparing inputs (reading the data set, signing tokens) took. */
  preparationMs: number;
  scenarios: ScenarioReport[];
  invariants: InvariantReport;
  targets: TargetResult[];
  notes: string[];
}

const GiB = 1024 ** 3;

/** Turns a load result into the scenario's line of the report. */
export function scenarioReport(
  name: ScenarioName,
  description: string,
  connections: number,
  result: LoadResult,
  baselineRps: number | null,
  server: { rssBytes: number | null; cpuSeconds: number | null },
): ScenarioReport {
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const seconds = result.durationSeconds > 0 ? result.durationSeconds : 1;
  const okPerSecond = Math.round((result.ok + sum(result.expected)) / seconds);
  return {
    name,
    description,
    connections,
    durationSeconds: result.durationSeconds,
    requestsPerSecond: Math.round(result.responses / seconds),
    okPerSecond,
    latencyMs: result.latencyMs,
    responses: result.responses,
    ok: result.ok,
    expected: result.expected,
    unexpected: result.unexpected,
    errors: sum(result.unexpected) + result.socketErrors + result.timeouts,
    socketErrors: result.socketErrors,
    timeouts: result.timeouts,
    ratioToBaseline: baselineRps ? Math.round((okPerSecond / baselineRps) * 1000) / 1000 : null,
    inputs: result.inputs,
    serverRssBytes: server.rssBytes,
    serverCpuPercent: server.cpuSeconds === null ? null : Math.round((server.cpuSeconds / seconds) * 100),
    generatorCpuPercent: Math.round((result.generatorCpuSeconds / seconds) * 100),
    // The opening benchmark
    ...(result.opening ? { opening: result.opening } : {}),
  };
}

/** The issue's targets, each marked pass or miss (or n/a when its scenario was not run). */
export function evaluateTargets(
  scenarios: readonly ScenarioReport[],
  startupMs: number,
  peakRssBytes: number | null,
  violations: number,
): TargetResult[] {
  const of = (name: ScenarioName) => scenarios.find((s) => s.name === name);
  const atLeast = (measured: number | null | undefined, limit: number) =>
    measured === null || measured === undefined ? null : measured >= limit;
  const atMost = (measured: number | null | undefined, limit: number) =>
    measured === null || measured === undefined ? null : measured <= limit;
  const target = (
    id: string,
    description: string,
    measured: number | null | undefined,
    limit: number,
    unit: string,
    pass: boolean | null,
  ): TargetResult => ({ id, description, measured: measured ?? null, limit, unit, pass });
  const booking = of('booking');
  const search = of('search');
  const login = of('login');
  const reports = of('reports');
  return [
    target(
      'booking-ratio',
      'booking ≥ 0.30 × baseline',
      booking?.ratioToBaseline,
      0.3,
      '×',
      atLeast(booking?.ratioToBaseline, 0.3),
    ),
    target('booking-rate', 'booking ≥ 1,000/s', booking?.okPerSecond, 1000, '/s', atLeast(booking?.okPerSecond, 1000)),
    target(
      'search-ratio',
      'search ≥ 0.50 × baseline',
      search?.ratioToBaseline,
      0.5,
      '×',
      atLeast(search?.ratioToBaseline, 0.5),
    ),
    target('search-rate', 'search ≥ 2,000/s', search?.okPerSecond, 2000, '/s', atLeast(search?.okPerSecond, 2000)),
    target('search-p99', 'search p99 ≤ 50 ms', search?.latencyMs.p99, 50, 'ms', atMost(search?.latencyMs.p99, 50)),
    target('login-rate', 'login ≥ 2,000/s', login?.okPerSecond, 2000, '/s', atLeast(login?.okPerSecond, 2000)),
    // autocannon gives the 97.5th percentile, not the 95th: a bound above it, so passing it passes p95.
    target(
      'reports-p95',
      'reports p95 ≤ 200 ms (measured as p97.5)',
      reports?.latencyMs.p97_5,
      200,
      'ms',
      atMost(reports?.latencyMs.p97_5, 200),
    ),
    target(
      'peak-rss',
      'server peak RSS ≤ 1 GiB',
      peakRssBytes === null ? null : Math.round((peakRssBytes / 1024 ** 2) * 10) / 10,
      1024,
      'MiB',
      peakRssBytes === null ? null : peakRssBytes <= GiB,
    ),
    target('startup', 'start-up ≤ 5 s', startupMs, 5000, 'ms', startupMs <= 5000),
    target('invariants', 'zero invariant violations', violations, 0, '', violations === 0),
    // The opening benchmark
    ...openingTargets(of('opening')?.opening),
  ];
}

// The opening benchmark
/** The opening's targets: none when it was not run. */
export function openingTargets(opening: OpeningFigures | undefined): TargetResult[] {
  if (!opening) return [];
  const target = (id: string, description: string, measured: number, limit: number, unit: string, pass: boolean) => ({
    id,
    description,
    measured,
    limit,
    unit,
    pass,
  });
  const queue = opening.queue;
  return [
    target('opening-5xx', 'opening: 0 answers 5xx', opening.serverErrors, 0, '', opening.serverErrors === 0),
    target(
      'opening-rate',
      'opening: ≥ 1,000 bookings/s',
      opening.peakBookingsPerSecondOver10s,
      1000,
      '/s',
      opening.peakBookingsPerSecondOver10s >= 1000,
    ),
    target(
      'opening-p99',
      'opening: booking p99 ≤ 200 ms',
      opening.bookingLatencyMs.p99,
      200,
      'ms',
      opening.bookingLatencyMs.p99 <= 200,
    ),
    target(
      'opening-one-course',
      'opening: no identity with two courses',
      opening.identitiesWithMoreThanOneBooking,
      0,
      '',
      opening.identitiesWithMoreThanOneBooking === 0,
    ),
    target(
      'opening-scripts',
      'opening: scripts’ share of bookings ≤ their share of people',
      opening.scriptedBookingShare,
      opening.scriptedPeopleShare,
      '',
      opening.scriptedBookingShare <= opening.scriptedPeopleShare,
    ),
    ...(queue.used
      ? [
          target(
            'opening-order',
            'opening: admitted in order of position',
            queue.admissionInversions + queue.positionInversions,
            0,
            '',
            queue.admissionInversions + queue.positionInversions === 0,
          ),
          target(
            'opening-one-position',
            'opening: no identity with two positions',
            queue.identitiesWithSeveralPositions,
            0,
            '',
            queue.identitiesWithSeveralPositions === 0,
          ),
        ]
      : []),
  ];
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
const number = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number | null) => (bytes === null ? 'n/a' : `${number(Math.round(bytes / 1024 ** 2))} MiB`);

/** The report as the table and figures printed at the end of a run. */
export function formatReport(report: BenchmarkReport): string {
  const rows = [
    ['scenario', 'req/s', 'ok/s', 'p50 ms', 'p99 ms', 'errors', '× baseline', 'server CPU', 'client CPU'],
    ...report.scenarios.map((s) => [
      s.name,
      number(s.requestsPerSecond),
      number(s.okPerSecond),
      String(s.latencyMs.p50),
      String(s.latencyMs.p99),
      number(s.errors),
      s.ratioToBaseline === null ? '—' : s.ratioToBaseline.toFixed(2),
      s.serverCpuPercent === null ? 'n/a' : `${s.serverCpuPercent} %`,
      `${s.generatorCpuPercent} %`,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = rows.map((r) => r.map((cell, i) => pad(cell, widths[i] ?? 0, i > 0)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));

  const answers = report.scenarios
    .filter((s) => Object.keys(s.expected).length > 0 || Object.keys(s.unexpected).length > 0)
    .map((s) => {
      const expected = Object.entries(s.expected).map(([code, n]) => `${code} ${number(n)}`);
      const unexpected = Object.entries(s.unexpected).map(([code, n]) => `${code} ${number(n)}`);
      return `  ${s.name}: ${s.ok.toLocaleString('en-US')} ok${expected.length ? `; expected: ${expected.join(', ')}` : ''}${unexpected.length ? `; errors: ${unexpected.join(', ')}` : ''}${s.socketErrors + s.timeouts ? `; socket errors ${s.socketErrors}, timeouts ${s.timeouts}` : ''}`;
    });
  const reused = report.scenarios
    .filter((s) => s.inputs.reused > 0 || s.inputs.exhausted > 0)
    .map(
      (s) =>
        `  ${s.name}: ${number(s.inputs.reused)} requests reused one of ${number(s.inputs.prepared)} inputs${s.inputs.exhausted ? `; ${number(s.inputs.exhausted)} sent after the inputs ran out (counted apart: give the scenario more people)` : ''}`,
    );
  const inv = report.invariants;
  const targets = report.targets.map(
    (t) =>
      `  ${t.pass === null ? 'n/a ' : t.pass ? 'pass' : 'MISS'}  ${pad(t.description, 28)} measured ${t.measured === null ? 'n/a' : `${number(t.measured)}${t.unit ? ` ${t.unit}` : ''}`}`,
  );
  return [
    `Benchmark (${report.kind}) on ${report.dataSet.dataDir}: ${number(report.dataSet.centres)} centres, ${number(report.dataSet.patients)} patients`,
    `${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}; ${report.settings.connections} connections, ${report.settings.durationSeconds} s per scenario, rate limits ${report.settings.rateLimits ?? 'n/a'}, opening room ${report.settings.openingRoom ?? 'n/a'}`,
    '',
    ...lines,
    '',
    ...(answers.length ? ['Answers:', ...answers] : []),
    ...(reused.length ? ['Inputs reused:', ...reused] : []),
    `Start-up ${number(report.startupMs)} ms · peak RSS ${mib(report.peakRssBytes)} · inputs prepared in ${number(report.preparationMs)} ms`,
    `Invariants: ${inv.violations} violations — ${number(inv.overCapacityAnywhere)} slots over capacity in the store; ${number(inv.slotsChecked)} touched slots' counters and ${number(inv.patientsChecked)} patients checked; ${number(inv.bookingsAcknowledged)} bookings acknowledged, ${number(inv.bookingsStored)} stored (${number(inv.appointmentsCreated)} appointments)`,
    ...(inv.violations > 0
      ? [
          `  ${JSON.stringify({ over: inv.overCapacity, counters: inv.counterMismatches, double: inv.doubleBookings, lost: inv.lostBookings })}`,
        ]
      : []),
    // The opening benchmark
    ...report.scenarios.flatMap((s) => (s.opening ? formatOpening(s.opening) : [])),
    'Targets:',
    ...targets,
    ...report.notes.map((n) => `Note: ${n}`),
  ].join('\n');
}

// The opening benchmark
function formatOpening(o: OpeningFigures): string[] {
  const answers = Object.entries(o.answers)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key} ${number(n)}`)
    .join(', ');
  return [
    `Opening: ${number(o.arrivals)} arrivals (${number(o.scriptedPeople)} scripted), ramping to ${number(o.peakArrivalsPerSecond)}/s in ${o.peakReachedAtSeconds} s; arrival lag p99 ${number(o.arrivalLagP99Ms)} ms; ${number(o.unfinished)} unfinished`,
    `  bookings ${number(o.bookings)}: ${number(o.bookingsPerSecond)}/s sustained, best 10 s ${number(o.peakBookingsPerSecondOver10s)}/s; p50 ${o.bookingLatencyMs.p50} ms, p99 ${o.bookingLatencyMs.p99} ms (all requests p99 ${o.requestLatencyMs.p99} ms)`,
    `  scripts got ${(o.scriptedBookingShare * 100).toFixed(1)} % of bookings as ${(o.scriptedPeopleShare * 100).toFixed(1)} % of people; identities with more than one course: ${o.identitiesWithMoreThanOneBooking}; 5xx: ${o.serverErrors}`,
    o.queue.used
      ? `  waiting room: ${number(o.queue.joined)} joined, ${number(o.queue.admitted)} admitted; position inversions ${o.queue.positionInversions}, admission inversions ${o.queue.admissionInversions}, identities with several positions ${o.queue.identitiesWithSeveralPositions}`
      : '  waiting room: none on this server (POST /api/booking/queue answered 404): login, search, book directly',
    `  answers: ${answers}`,
  ];
}
