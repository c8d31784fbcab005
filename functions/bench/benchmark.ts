import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { RATE_LIMIT_NAMES } from '@ereg/shared';
import { createRandom } from '../src/demo/demo-data.ts';
import { DATA_SET_SIZES, generateDataSet } from '../src/demo/generate-data-set.ts';
import {
  bookablePatients,
  contendedSlots,
  freePlaces,
  loginAssertions,
  openReadOnly,
  patientTokens,
  reportPaths,
  searchPaths,
  shuffledCentres,
  signingIdentity,
} from './inputs.ts';
import { checkInvariants } from './invariants.ts';
import type { LoadPlan, LoadResult } from './load.ts';
// The opening benchmark
import { arrivalTimes, type OpeningPlan } from './opening.ts';
import { openAgeGroupsAgain } from './opening-room.ts';
import {
  cpuSeconds,
  procStatusBytes,
  runLoadInChild,
  type ServerHandle,
  startServer,
  tailOf,
  temporaryFolder,
} from './processes.ts';
import { summarizeProfile } from './profile.ts';
import {
  type BenchmarkReport,
  evaluateTargets,
  SCENARIO_NAMES,
  type ScenarioName,
  type ScenarioReport,
  scenarioReport,
} from './report.ts';

export interface BenchmarkOptions {
  /** The repository's root (where package.json is). */
  repoRoot: string;
  /** The folder holding the data set's ereg.sqlite. */
  dataDir: string;
  connections: number;
  durationSeconds: number;
  /** Seconds of unreported hello and search load before measuring (JIT warm-up). */
  warmupSeconds: number;
  scenarios: readonly ScenarioName[];
  /** Start the server under --cpu-prof, writing its profile here. */
  profileDir: string | null;
  kind: 'full' | 'smoke';
  /** Seed of the choice of people, postal codes and slots. */
  seed: number;
  /** `on`: the server counts every request against the limits (BENCH_RATE_LIMITS); `off`: no limits. */
  rateLimits: 'on' | 'off';
  /** `on`: the opening's age groups open again a few seconds into it, behind the waiting room; `off`: they are open. */
  openingRoom: 'on' | 'off';
  /** `on` (the default): the server records its metrics; `off`: a no-op meter, to measure what they cost. */
  metrics?: 'on' | 'off';
  log: (line: string) => void;
}

/**
 * The limits the benchmark runs the server with: every one of them counts every request, as by default,
 * but none is ever reached — the load comes from one address that stands for a whole country's clients,
 * and a few thousand prepared people stand for millions (the contended scenario has each of them try the
 * same slots again and again). What a limit costs is measured; what it refuses is tested elsewhere.
 */
export const BENCH_RATE_LIMITS = RATE_LIMIT_NAMES.map((name) => `${name}=1000000000/1m`).join(',');

/** The commit of the code measured, and whether the work tree differs from it; null outside git. */
function revisionOf(repoRoot: string): BenchmarkReport['revision'] {
  const git = (...args: string[]) => spawnSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8', timeout: 10_000 });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return null;
  return { commit: head.stdout.trim(), dirty: git('status', '--porcelain').stdout.trim().length > 0 };
}

/** The data set is missing: say how to make it. */
export class MissingDataSetError extends Error {}

const DESCRIPTIONS: Record<ScenarioName, string> = {
  hello: 'GET /bench/hello: the HTTP server alone, the baseline',
  login: 'POST /api/login with a fresh identity-provider assertion for a distinct citizen per request',
  search: 'GET /api/search near a real centre’s postal code, half of the requests for one vaccine',
  booking:
    'POST /api/booking/appointments: distinct adult patients without appointments, free slots of the next 7 days spread over many centres',
  contended: 'POST /api/booking/appointments: everyone wants the same 5 slots of one centre',
  reports:
    'GET /api/reports/public: the dashboard’s figures for the country or a voivodeship, an age band, a product, a stretch of the month',
  // The opening benchmark
  opening:
    'an age group opens: arrivals ramp from the normal rate to 100 × it; each logs in, joins the waiting room if there is one, searches and books; 10 % are scripts trying many bookings',
};

// The opening benchmark
/** The opening's shape: the normal booking rate, 100 × it at the top of a ramp of up to a minute, 10 % scripts. */
const OPENING = {
  normalPerSecond: 10,
  peakFactor: 100,
  maxRampSeconds: 60,
  scriptedShare: 0.1,
  scriptedAttempts: 6,
  /** With `--opening-room on`, seconds from the scenario's start to the opening (at most a quarter of it). */
  leadSeconds: 10,
};

/** How many people the opening can see arrive in `seconds`. */
function openingArrivals(seconds: number): number {
  const ramp = Math.min(OPENING.maxRampSeconds, seconds / 2);
  return arrivalTimes(10_000_000, OPENING.normalPerSecond, OPENING.peakFactor, ramp, seconds).length;
}

/** Requests per second no scenario is expected to exceed; sizes the prepared inputs. */
const INPUT_RATE = { login: 4000, booking: 3000, contended: 500 };
const CONTENDED_SLOTS = 5;

interface Inputs {
  assertions: string[];
  paths: string[];
  reportPaths: string[];
  booking: Array<{ id: string; token: string }>;
  places: string[];
  contended: { centreId: string; slotIds: string[]; patients: Array<{ id: string; token: string }> } | null;
  // The opening benchmark
  opening: { people: OpeningPlan['people']; slots: string[] };
  dataSet: BenchmarkReport['dataSet'];
}

async function prepareInputs(options: BenchmarkOptions, dbPath: string): Promise<Inputs> {
  const random = createRandom(options.seed);
  const want = (name: ScenarioName) => options.scenarios.includes(name);
  const db = openReadOnly(dbPath);
  try {
    const summaryRow = db.prepare("SELECT value FROM meta WHERE key = 'data-set'").get() as
      | { value: string }
      | undefined;
    const summary = summaryRow ? (JSON.parse(summaryRow.value) as { today?: string }) : null;
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const dataSet = {
      dataDir: options.dataDir,
      fileBytes: statSync(dbPath).size,
      summary,
      centres: count('centres'),
      patients: count('patients'),
    };
    const seconds = options.durationSeconds;
    // Assertions and sessions stay valid for the whole run, however long the scenarios are.
    const validSeconds = 1800 + 10 * (seconds + options.warmupSeconds);
    const identity = signingIdentity(db, validSeconds);

    const assertions = want('login')
      ? await loginAssertions(db, identity, Math.max(200, seconds * INPUT_RATE.login), validSeconds, random)
      : [];
    // The opening benchmark: its people search too.
    const paths =
      want('search') || want('opening')
        ? searchPaths(db, Math.max(1000, (seconds + options.warmupSeconds) * 6000), random)
        : [];
    const today = summary?.today ?? new Date().toISOString().slice(0, 10);
    const reportPathList = want('reports') ? reportPaths(2000, today, random) : [];

    // Adults of at least 18 on every day of the year may book every product.
    const bornByYear = new Date().getFullYear() - 19;
    const wanted = {
      booking: want('booking') ? Math.max(100, seconds * INPUT_RATE.booking) : 0,
      // Most of them are answered SLOT_FULL and may try again: fewer people suffice.
      contended: want('contended') ? Math.max(options.connections * 25, seconds * INPUT_RATE.contended) : 0,
      // The opening benchmark
      opening: want('opening') ? openingArrivals(seconds) : 0,
    };
    // The opening benchmark: its people come after the other scenarios' ones.
    const everyone = bookablePatients(db, wanted.booking + wanted.contended + wanted.opening, bornByYear, random);
    const patients = everyone.slice(0, everyone.length - Math.min(wanted.opening, Math.floor(everyone.length / 2)));
    const openingPatients = everyone.slice(patients.length);
    const forBooking = Math.round(patients.length * (wanted.booking / Math.max(1, wanted.booking + wanted.contended)));
    const now = Date.now();
    const window = {
      from: new Date(now + 30 * 60_000).toISOString(),
      to: new Date(now + 7 * 86_400_000).toISOString(),
    };
    const centres = shuffledCentres(db, random);
    let contended: Inputs['contended'] = null;
    if (want('contended')) {
      const chosen = contendedSlots(db, centres, window, CONTENDED_SLOTS);
      if (!chosen) throw new Error(`No centre has ${CONTENDED_SLOTS} free slots of one vaccine in the next 7 days.`);
      contended = {
        centreId: chosen.centreId,
        slotIds: chosen.slotIds,
        patients: await patientTokens(identity, patients.slice(forBooking)),
      };
    }
    const places = want('booking')
      ? freePlaces(
          db,
          centres.filter((id) => id !== contended?.centreId),
          window,
          Math.ceil(forBooking * 1.1),
          random,
        )
      : [];
    const booking = want('booking') ? await patientTokens(identity, patients.slice(0, forBooking)) : [];
    // The opening benchmark
    const opening = want('opening')
      ? await openingInputs(db, identity, openingPatients, centres, contended?.centreId ?? null, window, random)
      : { people: [], slots: [] };
    return { assertions, paths, reportPaths: reportPathList, booking, places, contended, opening, dataSet };
  } finally {
    db.close();
  }
}

// The opening benchmark
/** Login assertions for the opening's people (every tenth a script) and free places for them, apart from the booking scenario's. */
async function openingInputs(
  db: ReturnType<typeof openReadOnly>,
  identity: ReturnType<typeof signingIdentity>,
  patientIds: readonly string[],
  centres: readonly string[],
  contendedCentre: string | null,
  window: { from: string; to: string },
  random: () => number,
): Promise<Inputs['opening']> {
  const read = db.prepare('SELECT data FROM patients WHERE id = ?');
  const people: OpeningPlan['people'] = [];
  for (const id of patientIds) {
    const row = read.get(id) as { data: string } | undefined;
    if (!row) continue;
    const p = JSON.parse(row.data) as { pesel: string; givenName: string; familyName: string; phone?: string | null };
    const assertion = await identity.issueAssertion(
      { pesel: p.pesel, givenName: p.givenName, familyName: p.familyName, phone: p.phone ?? null },
      3600,
    );
    people.push({ assertion, scripted: random() < OPENING.scriptedShare });
  }
  // The booking scenario takes its places from the first centres of the shuffled list: these come from the last.
  const slots = freePlaces(
    db,
    [...centres].reverse().filter((id) => id !== contendedCentre),
    window,
    Math.ceil(people.length * 1.5),
    random,
  );
  return { people, slots };
}

function planOf(name: ScenarioName, inputs: Inputs, runId: string, options: BenchmarkOptions): LoadPlan {
  switch (name) {
    case 'hello':
      return { kind: 'fixed', path: '/bench/hello' };
    case 'login':
      return { kind: 'login', assertions: inputs.assertions };
    case 'search':
      return { kind: 'search', paths: inputs.paths };
    case 'booking':
      return { kind: 'booking', patients: inputs.booking, slots: inputs.places, keyPrefix: `${runId}-booking` };
    case 'contended':
      return {
        kind: 'booking',
        patients: inputs.contended?.patients ?? [],
        slots: inputs.contended?.slotIds ?? [],
        keyPrefix: `${runId}-contended`,
      };
    case 'reports':
      return { kind: 'search', paths: inputs.reportPaths };
    // The opening benchmark
    case 'opening':
      return {
        kind: 'opening',
        people: inputs.opening.people,
        searchPaths: inputs.paths.length > 0 ? inputs.paths : [],
        slots: inputs.opening.slots,
        keyPrefix: `${runId}-opening`,
        normalPerSecond: OPENING.normalPerSecond,
        peakFactor: OPENING.peakFactor,
        rampSeconds: Math.min(OPENING.maxRampSeconds, options.durationSeconds / 2),
        concurrency: Math.max(8, options.connections * 8),
        scriptedAttempts: OPENING.scriptedAttempts,
        queue: 'auto',
        // As often as the patients' waiting page asks while it is looked at (web/patient/src/lib/waiting-room.ts).
        queuePollMs: 5000,
      };
  }
}

function emptyInputs(name: ScenarioName, plan: LoadPlan): string | null {
  if (plan.kind === 'login' && plan.assertions.length === 0) return `${name}: no citizens to log in`;
  if (plan.kind === 'search' && plan.paths.length === 0) return `${name}: no postal codes`;
  if (plan.kind === 'booking' && (plan.patients.length === 0 || plan.slots.length === 0)) {
    return `${name}: no bookable patients or free slots left in the data set (regenerate it)`;
  }
  // The opening benchmark
  if (plan.kind === 'opening' && (plan.people.length === 0 || plan.slots.length === 0)) {
    return `${name}: no bookable patients or free slots left in the data set (regenerate it)`;
  }
  return null;
}

/**
 * Waits for the server's first refresh of the reports (the day's snapshot, the views brought up to
 * date), which it makes in the background after start: the scenario measures answers from
 * aggregates already made, as on any day after the first minute.
 */
async function reportsReady(url: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  for (;;) {
    const reply = await fetch(`${url}/api/reports/public`);
    const asOf = reply.ok ? ((await reply.json()) as { asOf?: string }).asOf : undefined;
    if (asOf && Date.parse(asOf) > 0) break;
    if (performance.now() - started > 600_000) throw new Error('The reports were not ready 10 minutes after start.');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  log(
    `  the reports' first refresh was done ${Math.round((performance.now() - started) / 1000)} s after the scenarios began`,
  );
}

function newestProfile(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ?? null;
}

/**
 * Runs the benchmark: starts the local server on the data set, prepares inputs from it, measures
 * each scenario with autocannon in a separate process, stops the server and checks the store.
 * Answers the report; throws when the data set is missing or something crashes. The server and the
 * load processes are stopped however it ends.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const dataDir = resolve(options.repoRoot, options.dataDir);
  const dbPath = join(dataDir, 'ereg.sqlite');
  if (!existsSync(dbPath)) {
    throw new MissingDataSetError(
      `No data set at ${dbPath}.\nGenerate it first (a few minutes for the national one):\n  npm run generate -- --size national --data-dir ${options.dataDir}`,
    );
  }
  const { log } = options;
  const work = temporaryFolder('ereg-bench-');
  const workDir = work.path;
  const profileDir = options.profileDir ? resolve(options.repoRoot, options.profileDir) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const notes: string[] = [];
  const loadAverageAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  let server: ServerHandle | null = null;
  try {
    log(`Starting the server on ${dbPath}${profileDir ? ` (profiling into ${profileDir})` : ''} …`);
    server = await startServer({
      repoRoot: options.repoRoot,
      dataDir,
      logPath: join(workDir, 'server.log'),
      profileDir,
      env: {
        RATE_LIMITS: options.rateLimits === 'on' ? BENCH_RATE_LIMITS : 'off',
        METRICS: options.metrics ?? 'on',
      },
    });
    log(`  answering /healthz after ${server.startupMs} ms`);

    const preparing = performance.now();
    log('Preparing inputs (people, tokens, postal codes, free slots) …');
    const inputs = await prepareInputs(options, dbPath);
    const preparationMs = Math.round(performance.now() - preparing);
    log(
      `  ${inputs.assertions.length} assertions, ${inputs.paths.length} search paths, ${inputs.booking.length} + ${inputs.contended?.patients.length ?? 0} patients, ${inputs.places.length} places, in ${preparationMs} ms`,
    );

    const running = server;
    const load = (name: string, plan: LoadPlan, seconds: number): Promise<LoadResult> =>
      runLoadInChild(options.repoRoot, workDir, name, {
        url: running.url,
        connections: options.connections,
        durationSeconds: seconds,
        timeoutSeconds: 10,
        plan,
      });
    const ensureRunning = (after: string) => {
      if (!running.running())
        throw new Error(
          `The server stopped (${running.exitStatus()}) during ${after}. Its log:\n${tailOf(running.logPath)}`,
        );
    };

    if (options.warmupSeconds > 0) {
      // Search warms the code and the page cache that every function shares; it is skipped when not
      // measured, so that a profile of another scenario holds only that scenario.
      const withSearch = options.scenarios.includes('search');
      log(`Warming up (${options.warmupSeconds} s of hello${withSearch ? ' and of search' : ''}) …`);
      await load('warmup-hello', { kind: 'fixed', path: '/bench/hello' }, options.warmupSeconds);
      if (withSearch) await load('warmup-search', { kind: 'search', paths: inputs.paths }, options.warmupSeconds);
      ensureRunning('the warm-up');
    }

    // Appointments created from now on are the run's (the server shares this machine's clock).
    const since = new Date().toISOString();
    const runId = `bench-${Date.now().toString(36)}`;
    const scenarios: ScenarioReport[] = [];
    let baseline: number | null = null;
    for (const name of SCENARIO_NAMES.filter((n) => options.scenarios.includes(n))) {
      const plan = planOf(name, inputs, runId, options);
      const missing = emptyInputs(name, plan);
      if (missing) {
        notes.push(`Skipped ${missing}.`);
        log(`  skipped ${missing}`);
        continue;
      }
      if (name === 'reports') await reportsReady(running.url, log);
      // The opening benchmark
      if (name === 'opening' && options.openingRoom === 'on') {
        const lead = Math.min(OPENING.leadSeconds, options.durationSeconds / 4);
        const opened = await openAgeGroupsAgain(running.url, lead, log);
        const line = `The opening: rules ${opened.paused.join(', ')} paused and opened again at ${opened.opensAt} (${lead} s into the scenario) as ${opened.opened.join(', ')}, behind the waiting room.`;
        notes.push(line);
        log(`  ${line}`);
      }
      log(`Scenario ${name}: ${options.connections} connections for ${options.durationSeconds} s …`);
      const cpuBefore = cpuSeconds(running.pid);
      const result = await load(name, plan, options.durationSeconds);
      const cpuAfter = cpuSeconds(running.pid);
      ensureRunning(`the ${name} scenario`);
      // The server's CPU time over the load process's whole life (a little longer than the measured
      // seconds, with nothing else to do outside them).
      const report = scenarioReport(name, DESCRIPTIONS[name], options.connections, result, baseline, {
        rssBytes: procStatusBytes(running.pid, 'VmRSS'),
        cpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
      });
      if (name === 'hello') baseline = report.requestsPerSecond;
      scenarios.push(report);
      log(
        `  ${report.requestsPerSecond} req/s, ${report.okPerSecond} ok/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, ${report.errors} errors, server CPU ${report.serverCpuPercent ?? 'n/a'} %, client CPU ${report.generatorCpuPercent} %`,
      );
    }

    const peakRssBytes = procStatusBytes(running.pid, 'VmHWM');
    const startupMs = running.startupMs;
    log('Stopping the server …');
    const code = await running.stop();
    if (code !== 0) notes.push(`The server exited with code ${code} on SIGTERM.`);
    const serverLog = tailOf(running.logPath, 100_000);
    const ready = /ready in (\d+) ms/.exec(serverLog);
    if (ready)
      notes.push(
        `The server reported itself ready ${ready[1]} ms after its own start (start-up above includes loading Node and the code).`,
      );
    for (const pattern of [/Building the availability read model[^\n]*/, /Published \d+ new slots[^\n]*/]) {
      const found = pattern.exec(serverLog);
      if (found) notes.push(`During this run the server logged: ${found[0]}`);
    }
    // The reports' refreshes that took a second or more: work that holds the server's one event loop.
    const slowRefreshes = serverLog.match(/Reports refreshed: [^\n]*/g) ?? [];
    if (slowRefreshes.length > 0)
      notes.push(
        `The server logged ${slowRefreshes.length} slow refreshes of the reports:\n  ${slowRefreshes.slice(-12).join('\n  ')}`,
      );

    log('Checking the store …');
    const acknowledged = scenarios
      // The opening benchmark: its bookings are acknowledged ones too.
      .filter((s) => s.name === 'booking' || s.name === 'contended' || s.name === 'opening')
      .reduce((sum, s) => sum + s.ok, 0);
    const db = openReadOnly(dbPath);
    let invariants: BenchmarkReport['invariants'];
    try {
      invariants = checkInvariants(db, since, inputs.contended?.slotIds ?? [], acknowledged);
    } finally {
      db.close();
    }

    let profile: string | null = null;
    if (profileDir) {
      profile = newestProfile(profileDir);
      if (profile) notes.push(`CPU profile of the server: ${profile}\n${summarizeProfile(profile, 15)}`);
      else notes.push(`The server wrote no CPU profile into ${profileDir}.`);
    }
    const cpuList = cpus();
    return {
      kind: options.kind,
      date: new Date().toISOString(),
      machine: {
        cpus: cpuList.length,
        cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
        totalMemoryBytes: totalmem(),
        platform: process.platform,
        arch: process.arch,
        kernel: release(),
        node: process.version,
        loadAverageAtStart,
      },
      revision: revisionOf(options.repoRoot),
      dataSet: inputs.dataSet,
      settings: {
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        scenarios: [...options.scenarios],
        profile,
        rateLimits: options.rateLimits,
        openingRoom: options.openingRoom,
        metrics: options.metrics ?? 'on',
      },
      startupMs,
      peakRssBytes,
      preparationMs,
      scenarios,
      invariants,
      targets: evaluateTargets(scenarios, startupMs, peakRssBytes, invariants.violations),
      notes,
    };
  } finally {
    await server?.stop();
    work.remove();
  }
}

export interface SmokeOptions {
  repoRoot: string;
  log?: (line: string) => void;
  durationSeconds?: number;
  connections?: number;
  rateLimits?: 'on' | 'off';
  openingRoom?: 'on' | 'off';
  metrics?: 'on' | 'off';
  scenarios?: readonly ScenarioName[];
}

/**
 * The benchmark in miniature, for tests and `npm run bench -- --smoke`: a tiny data set in a
 * temporary folder, every scenario for about a second with a few connections, and the store checks.
 * Writes nothing outside the temporary folder, which it removes.
 */
export async function runSmokeBenchmark(options: SmokeOptions): Promise<BenchmarkReport> {
  const folder = temporaryFolder('ereg-bench-smoke-');
  const dataDir = folder.path;
  const log = options.log ?? (() => {});
  try {
    const tiny = DATA_SET_SIZES.tiny;
    if (!tiny) throw new Error('The generator has no tiny data set.');
    // Six weeks of slots, as in the national data set, so that a second dose fits after the first.
    const size = { ...tiny, days: 42 };
    log(`Generating a tiny data set (six weeks of slots) in ${dataDir} …`);
    generateDataSet({ dataDir, size, seed: 2021, now: new Date(), force: true });
    return await runBenchmark({
      repoRoot: options.repoRoot,
      dataDir,
      connections: options.connections ?? 4,
      durationSeconds: options.durationSeconds ?? 1,
      warmupSeconds: 0,
      scenarios: options.scenarios ?? SCENARIO_NAMES,
      profileDir: null,
      kind: 'smoke',
      seed: 1,
      rateLimits: options.rateLimits ?? 'on',
      // Off in miniature: the room's admissions need more than the smoke run's second to get going.
      openingRoom: options.openingRoom ?? 'off',
      metrics: options.metrics ?? 'on',
      log,
    });
  } finally {
    folder.remove();
  }
}
