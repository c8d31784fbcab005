import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ROUTES } from '@ereg/shared';
import fc from 'fast-check';
import {
  anyRequest,
  type FuzzRequest,
  type Mode,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  type World,
} from './fuzz-requests.ts';
import { prepareWorld } from './fuzz-world.ts';
import { inParallel, type Outcome, type RawRequest, rawClient } from './raw-http.ts';

/*
 * The HTTP API and the text messages' webhooks under a seeded request fuzz (fast-check), against the
 * local server in its own process. Batches alternate: `mixed` requests (anything, valid or not) and
 * `rejected` ones (each broken on purpose so that it must be refused before any use case runs).
 * FUZZ_SEED varies the run; a failure prints the seed and the requests that failed.
 */

/** node:http's default limit on a request's head (request line and headers). */
const MAX_HEAD_BYTES = 16 * 1024;

/** The size of a request's head as sent: request line and header lines. */
const headBytes = (raw: RawRequest): number =>
  Buffer.byteLength(`${raw.method} ${raw.path} HTTP/1.1\r\n`) +
  Object.entries(raw.headers).reduce((n, [name, value]) => n + Buffer.byteLength(`${name}: ${value}\r\n`), 0);

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_112);
const NOW = '2026-01-12T07:00:00.000Z';
const BATCHES = 56;
const BATCH_SIZE = 500;
const IN_FLIGHT = 32;
/** An answer later than this is a hang (on a loaded two-core machine answers take well under a second). */
const ANSWER_WITHIN_MS = 20_000;
/**
 * Memory growth allowed between the warmed-up server (after four batches) and the end, both after GC:
 * the live heap must stay flat; the process may keep what V8 reserved for 300 KiB bodies and what
 * SQLite caches (its page cache is capped at 64 MiB).
 */
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;
const RSS_GROWTH_LIMIT = 256 * 1024 * 1024;
const WARM_UP_BATCHES = 4;

jest.setTimeout(60_000);

interface Finding {
  batch: number;
  target: string;
  strategy: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  outcome: string;
}

const clip = (text: string, length = 300) =>
  text.length > length ? `${text.slice(0, length)}… (${text.length})` : text;

function findingOf(batch: number, request: FuzzRequest, outcome: string): Finding {
  const { raw } = request;
  return {
    batch,
    target: request.target,
    strategy: request.strategy,
    method: raw.method,
    path: clip(raw.path),
    headers: Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k, clip(v, 80)])),
    body: raw.body ? clip(JSON.stringify(raw.body.subarray(0, 400).toString('utf8'))) : '',
    outcome,
  };
}

/** Whether an answer's body is the error shape `{ error: { code, message } }`. */
function hasErrorShape(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string';
  } catch {
    return false;
  }
}

/**
 * Tables an authenticated request writes whether it is then refused or not: a hotline session's last use
 * is counted when its token is checked, before the request's input is.
 */
const SESSION_BOOKKEEPING = new Set(['hotline_sessions']);

/** Every table's row count and a hash of its rows, read on a read-only connection. */
function fingerprint(db: DatabaseSync): Record<string, string> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  const print: Record<string, string> = {};
  for (const { name } of tables) {
    if (SESSION_BOOKKEEPING.has(name)) continue;
    const rows = db.prepare(`SELECT * FROM "${name}"`).all();
    const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    print[name] = `${rows.length} rows ${hash}`;
  }
  return print;
}

interface Server {
  child: ChildProcess;
  url: string;
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

function startServer(dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, ['--expose-gc', '--conditions=source', join(__dirname, 'fuzz-server.ts')], {
    env: { ...process.env, DB_PATH: dbPath, FAKE_NOW: NOW },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const next = (type: string) =>
    new Promise<{ type: string; url?: string; usage?: NodeJS.MemoryUsage }>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message);
      };
      const onExit = (code: number | null) => reject(new Error(`fuzz server exited with ${code}: ${stderr}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('listening').then(({ url }) => ({
    child,
    url: url as string,
    async memory() {
      const answer = next('memory');
      child.send({ type: 'memory' });
      return (await answer).usage as NodeJS.MemoryUsage;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  }));
}

const dir = mkdtempSync(join(tmpdir(), 'ereg-fuzz-'));
const dbPath = join(dir, 'ereg.sqlite');
let server: Server;
let world: World;
let operations: Operation[];

interface Run {
  sent: number;
  byStatus: Record<string, number>;
  byStrategy: Record<string, number>;
  byTarget: Record<string, number>;
  serverErrors: Finding[];
  hangs: Finding[];
  unanswered: Finding[];
  badErrorShape: Finding[];
  notRefused: Finding[];
  stateChanged: Array<{ batch: number; table: string; before: string; after: string }>;
  memory: { heapGrowth: number; rssGrowth: number; baseline: NodeJS.MemoryUsage; end: NodeJS.MemoryUsage };
  seconds: number;
}
let run: Run;

async function fuzz(): Promise<Run> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  const result: Run = {
    sent: 0,
    byStatus: {},
    byStrategy: {},
    byTarget: {},
    serverErrors: [],
    hangs: [],
    unanswered: [],
    badErrorShape: [],
    notRefused: [],
    stateChanged: [],
    memory: { heapGrowth: 0, rssGrowth: 0, baseline: process.memoryUsage(), end: process.memoryUsage() },
    seconds: 0,
  };
  const started = performance.now();
  let baseline: NodeJS.MemoryUsage | null = null;
  try {
    for (let batch = 0; batch < BATCHES; batch++) {
      const mode: Mode = batch % 2 === 0 ? 'rejected' : 'mixed';
      const requests = fc.sample(anyRequest(operations, world, mode), { seed: SEED + batch, numRuns: BATCH_SIZE });
      const before = mode === 'rejected' ? fingerprint(db) : null;
      // Fresh connections for every batch: between batches the server closes idle ones (keep-alive
      // timeout), and a request sent on a connection as it closes is lost to a race of the client's.
      const http = rawClient(server.url, { sockets: IN_FLIGHT, timeoutMs: ANSWER_WITHIN_MS });
      const outcomes: Outcome[] = await inParallel(requests, IN_FLIGHT, (request) => http.send(request.raw)).finally(
        () => http.close(),
      );
      result.sent += requests.length;
      requests.forEach((request, i) => {
        const outcome = outcomes[i] as Outcome;
        const strategy = `${mode} ${request.strategy}`;
        result.byStrategy[strategy] = (result.byStrategy[strategy] ?? 0) + 1;
        result.byTarget[request.target] = (result.byTarget[request.target] ?? 0) + 1;
        if (outcome.kind === 'timeout') {
          result.hangs.push(findingOf(batch, request, `no answer within ${outcome.ms} ms`));
          return;
        }
        if (outcome.kind === 'no-answer') {
          // The server answers 431 to a head over node:http's 16 KiB and closes; when the client is
          // still writing as it closes, the client sees the reset first. A reset is a refusal of such a
          // request, not a lost one; for any other request it is a finding.
          if (outcome.code === 'ECONNRESET' && headBytes(request.raw) > MAX_HEAD_BYTES) {
            result.byStatus.reset = (result.byStatus.reset ?? 0) + 1;
            return;
          }
          result.unanswered.push(findingOf(batch, request, `connection failed: ${outcome.code}`));
          return;
        }
        const { status, body } = outcome;
        result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
        const answer = `${status} ${clip(body.toString('utf8'), 200)}`;
        if (status >= 500) result.serverErrors.push(findingOf(batch, request, answer));
        if (status >= 400 && status < 500 && request.raw.method !== 'HEAD' && !hasErrorShape(body)) {
          result.badErrorShape.push(findingOf(batch, request, answer));
        }
        if (mode === 'rejected' && (status < 400 || status >= 500)) {
          result.notRefused.push(findingOf(batch, request, answer));
        }
      });
      if (before) {
        const after = fingerprint(db);
        for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (before[table] !== after[table]) {
            result.stateChanged.push({ batch, table, before: before[table] ?? '-', after: after[table] ?? '-' });
          }
        }
      }
      if (batch === WARM_UP_BATCHES - 1) baseline = await server.memory();
    }
  } finally {
    db.close();
  }
  const end = await server.memory();
  const base = baseline ?? end;
  result.memory = { heapGrowth: end.heapUsed - base.heapUsed, rssGrowth: end.rss - base.rss, baseline: base, end };
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  return result;
}

beforeAll(async () => {
  world = await prepareWorld(dbPath, NOW);
  server = await startServer(dbPath);
  world.sms.host = new URL(server.url).host;
  const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApiDocument;
  operations = operationsOf(document);
  run = await fuzz();
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  console.info(
    `FUZZ_SEED=${SEED}: ${run.sent} requests in ${run.seconds} s; statuses ${JSON.stringify(run.byStatus)}; ` +
      `heap +${mib(run.memory.heapGrowth)}, rss +${mib(run.memory.rssGrowth)} after warm-up`,
  );
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What a failure shows: the seed to replay, and the first few requests that broke the rule. */
const report = (findings: unknown[]) => ({ seed: SEED, count: findings.length, first: findings.slice(0, 8) });
const none = { seed: SEED, count: 0, first: [] };

test('every operation of the served OpenAPI document and both webhooks get hundreds of requests', () => {
  expect(operations.map((o) => o.id).sort()).toEqual(Object.keys(ROUTES).sort());
  const targets = [...operations.map((o) => o.id), 'sms:inbound', 'sms:status'];
  const fewest = Math.min(...targets.map((target) => run.byTarget[target] ?? 0));
  expect(fewest).toBeGreaterThan(200);
});

test('sends at least 20,000 requests, of every kind of breakage', () => {
  expect(run.sent).toBeGreaterThanOrEqual(20_000);
  const strategies = Object.keys(run.byStrategy);
  for (const kind of [
    'rejected bad-token',
    'rejected role-not-allowed',
    'rejected unknown-field',
    'rejected not-json',
    'rejected too-large',
    'rejected broken-path-encoding',
    'rejected request-target-not-a-url',
    'rejected unknown-query-parameter',
    'rejected bad-idempotency-key',
    'rejected signature-none',
    'rejected signature-other-form',
    'mixed signed',
    'mixed plausible',
    'mixed noisy',
  ]) {
    expect(strategies).toContain(kind);
  }
});

test('no request is answered with a 5xx', () => {
  expect(report(run.serverErrors)).toEqual(none);
});

test('every request is answered, within the timeout', () => {
  expect(report(run.hangs)).toEqual(none);
  expect(report(run.unanswered)).toEqual(none);
});

test('every 4xx answer carries { error: { code, message } }', () => {
  expect(report(run.badErrorShape)).toEqual(none);
});

test('every request broken on purpose is refused with a 4xx', () => {
  expect(report(run.notRefused)).toEqual(none);
});

test('the refused batches change nothing in the store: every table’s rows are as before', () => {
  expect(report(run.stateChanged)).toEqual(none);
});

test('the server’s memory stays bounded across the run (after GC)', () => {
  expect(run.memory.heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT);
  expect(run.memory.rssGrowth).toBeLessThan(RSS_GROWTH_LIMIT);
});
