/// <reference path="./autocannon.d.ts" />
import autocannon from 'autocannon';
// The opening benchmark
import { type OpeningFigures, type OpeningPlan, runOpening } from './opening.ts';

/** What one scenario sends; every input is prepared by the benchmark before the run. */
export type LoadPlan =
  | { kind: 'fixed'; path: string }
  | { kind: 'login'; assertions: string[] }
  | { kind: 'search'; paths: string[] }
  | {
      kind: 'booking';
      /** Patients and their session tokens; a patient whose booking succeeded is not sent again. */
      patients: Array<{ id: string; token: string }>;
      /** Slot ids, taken in turn (a slot with room for n people appears up to n times). */
      slots: string[];
      /** Makes every Idempotency-Key of the run unique. */
      keyPrefix: string;
    }
  // The opening benchmark
  | OpeningPlan;

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  /** A request without an answer after this long counts as a timeout. */
  timeoutSeconds: number;
  plan: LoadPlan;
}

export interface LoadResult {
  durationSeconds: number;
  /** Responses received. */
  responses: number;
  /** CPU time the load generator used (user + system), to tell whether it, not the server, was the limit. */
  generatorCpuSeconds: number;
  /** 2xx answers. */
  ok: number;
  /** Business answers the scenario expects (409 SLOT_FULL, NEXT_DOSE_UNAVAILABLE), by code. */
  expected: Record<string, number>;
  /** Every other non-2xx answer, by "status CODE". */
  unexpected: Record<string, number>;
  socketErrors: number;
  timeouts: number;
  latencyMs: { average: number; p50: number; p90: number; p97_5: number; p99: number; max: number };
  /**
   * How many prepared inputs there were, how many requests had to reuse one, and how many were sent
   * after the inputs ran out — every prepared patient had booked, every assertion had been exchanged —
   * (their answers are in no other count).
   */
  inputs: { prepared: number; reused: number; exhausted: number };
  // The opening benchmark
  /** The opening's own figures (its scenario only). */
  opening?: OpeningFigures;
}

/** Starts the line on which the load process prints its result. */
export const RESULT_MARKER = 'BENCH_RESULT ';

/** 409 answers that are the system working as intended when people race for places. */
export const EXPECTED_BOOKING_CONFLICTS: readonly string[] = ['SLOT_FULL', 'NEXT_DOSE_UNAVAILABLE'];

const JSON_HEADERS = { 'content-type': 'application/json' };

function errorCode(body: unknown): string {
  try {
    const parsed = JSON.parse(String(body)) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : 'UNKNOWN';
  } catch {
    return 'UNPARSABLE';
  }
}

/** Turns a plan into autocannon's single dynamic request, cycling through the inputs with one shared counter. */
function buildRequest(plan: LoadPlan, tally: Tally): autocannon.Request {
  switch (plan.kind) {
    case 'fixed':
      return { method: 'GET', path: plan.path, setupRequest: (r) => r, onResponse: tally.record };
    case 'login': {
      let next = 0;
      return {
        setupRequest: (request, context) => {
          const i = next++;
          // An assertion is exchanged once: sent again, it is refused (ASSERTION_USED), so such requests
          // are counted apart, as the bookings sent after every patient has booked.
          context.resent = i >= plan.assertions.length;
          if (context.resent) tally.reused++;
          const assertion = plan.assertions[i % plan.assertions.length] as string;
          return {
            ...request,
            method: 'POST',
            path: '/api/login',
            headers: JSON_HEADERS,
            body: `{"assertion":"${assertion}"}`,
          };
        },
        onResponse: (status, body, context) => {
          if (context.resent) {
            tally.exhausted++;
            return;
          }
          tally.record(status, body);
        },
      };
    }
    case 'search': {
      let next = 0;
      return {
        setupRequest: (request) => {
          const i = next++;
          if (i >= plan.paths.length) tally.reused++;
          return { ...request, method: 'GET', path: plan.paths[i % plan.paths.length] as string };
        },
        onResponse: tally.record,
      };
    }
    case 'booking': {
      const { patients, slots } = plan;
      // A patient is not sent again once booked, nor while a request of theirs is in flight.
      const booked = new Set<number>();
      const inFlight = new Set<number>();
      let nextPatient = 0;
      let nextSlot = 0;
      let sent = 0;
      const pickPatient = (): { index: number; resent: boolean } => {
        if (nextPatient >= patients.length) tally.reused++;
        for (let tries = 0; tries < patients.length; tries++) {
          const index = nextPatient++ % patients.length;
          if (!booked.has(index) && !inFlight.has(index)) return { index, resent: false };
        }
        // Everyone has booked: the prepared inputs ran out. Such requests are counted apart.
        return { index: nextPatient++ % patients.length, resent: true };
      };
      return {
        setupRequest: (request, context) => {
          const { index, resent } = pickPatient();
          context.patient = index;
          context.resent = resent;
          inFlight.add(index);
          const patient = patients[index] as { token: string };
          const slotId = slots[nextSlot++ % slots.length] as string;
          return {
            ...request,
            method: 'POST',
            path: '/api/booking/appointments',
            headers: {
              ...JSON_HEADERS,
              authorization: `Bearer ${patient.token}`,
              'idempotency-key': `${plan.keyPrefix}-${sent++}`,
            },
            body: JSON.stringify({ slotId }),
          };
        },
        onResponse: (status, body, context) => {
          const index = context.patient as number;
          inFlight.delete(index);
          if (context.resent) {
            tally.exhausted++;
            return;
          }
          if (status === 201) booked.add(index);
          tally.record(status, body);
        },
      };
    }
    // The opening benchmark
    case 'opening':
      throw new Error('The opening is driven by its own arrivals (runOpeningLoad), not autocannon.');
  }
}

interface Tally {
  ok: number;
  reused: number;
  exhausted: number;
  expected: Record<string, number>;
  unexpected: Record<string, number>;
  record: (status: number, body: string) => void;
}

function newTally(expectedCodes: readonly string[]): Tally {
  const tally: Tally = {
    ok: 0,
    reused: 0,
    exhausted: 0,
    expected: {},
    unexpected: {},
    record: (status, body) => {
      if (status >= 200 && status < 300) {
        tally.ok++;
        return;
      }
      const code = errorCode(body);
      if (status === 409 && expectedCodes.includes(code)) tally.expected[code] = (tally.expected[code] ?? 0) + 1;
      else tally.unexpected[`${status} ${code}`] = (tally.unexpected[`${status} ${code}`] ?? 0) + 1;
    },
  };
  return tally;
}

function preparedInputs(plan: LoadPlan): number {
  switch (plan.kind) {
    case 'fixed':
      return 1;
    case 'login':
      return plan.assertions.length;
    case 'search':
      return plan.paths.length;
    case 'booking':
      return plan.patients.length;
    // The opening benchmark
    case 'opening':
      return plan.people.length;
  }
}

/**
 * Runs one scenario with autocannon: a fixed number of connections for a fixed time, each request
 * taking the next prepared input, and counts the answers by kind. Meant to run in its own process
 * (load-child.ts), so that generating load does not take the server's CPU.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  // The opening benchmark
  if (spec.plan.kind === 'opening') return runOpeningLoad(spec, spec.plan);
  const tally = newTally(spec.plan.kind === 'booking' ? EXPECTED_BOOKING_CONFLICTS : []);
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    timeout: spec.timeoutSeconds,
    requests: [buildRequest(spec.plan, tally)],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    durationSeconds: result.duration,
    responses: result.requests.total,
    generatorCpuSeconds: round((cpu.user + cpu.system) / 1e6),
    ok: tally.ok,
    expected: tally.expected,
    unexpected: tally.unexpected,
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    latencyMs: {
      average: round(result.latency.average),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    inputs: { prepared: preparedInputs(spec.plan), reused: tally.reused, exhausted: tally.exhausted },
  };
}

// The opening benchmark
/** The opening, driven by its own arrivals rather than autocannon's fixed connections. */
async function runOpeningLoad(spec: LoadSpec, plan: OpeningPlan): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage();
  const run = await runOpening(spec.url, plan, spec.durationSeconds, spec.timeoutSeconds);
  const cpu = process.cpuUsage(cpuBefore);
  const { figures } = run;
  const unexpected: Record<string, number> = {};
  for (const [key, n] of Object.entries(figures.answers)) {
    if (Number(key.split(' ').pop()) >= 500) unexpected[key] = n;
  }
  return {
    durationSeconds: Math.round(run.seconds * 100) / 100,
    responses: run.responses,
    generatorCpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
    ok: figures.bookings,
    expected: {},
    unexpected,
    socketErrors: run.socketErrors,
    timeouts: run.timeouts,
    latencyMs: {
      average: 0,
      p50: figures.bookingLatencyMs.p50,
      p90: 0,
      p97_5: 0,
      p99: figures.bookingLatencyMs.p99,
      max: figures.bookingLatencyMs.max,
    },
    inputs: { prepared: plan.people.length, reused: 0, exhausted: 0 },
    opening: figures,
  };
}
