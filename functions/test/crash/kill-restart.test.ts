import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { twilioSignature } from '../../src/adapters/twilio/twilio-signature.ts';
import { aCitizen } from '../support/builders.ts';
import { freePort } from '../support/emulators.ts';
import { killHard, type Started, startLocalServer, stopGracefully } from './server-lifecycle.ts';
import {
  analyticsDrift,
  availabilityDrift,
  ledgerOutOfLine,
  PERSISTED_CONSUMERS,
  slotsOutOfLine,
  smsSentTwice,
  undeliveredEvents,
} from './store-invariants.ts';

/*
 * A booking storm against `npm start`'s own process on a temporary data folder, killed with SIGKILL
 * at seeded moments and started again, while clients retry with the same Idempotency-Key (and Twilio
 * retries its webhook with the same message id) after every connection error. Afterwards the data
 * folder must hold every acknowledged booking and nothing else, and its derived state must agree.
 * CRASH_SEED varies the plan (which slots, when requests arrive, when the process is killed).
 */

const SEED = Number(process.env.CRASH_SEED ?? 20_260_112);
const KILLS = 6;
const PATIENTS = 240;
const HOT_SLOTS = 30;
const TEXTERS = 16;
/** The requests come in waves, one per server life: each spread over that life, which a kill ends. */
const WAVES = KILLS + 1;
/** A request unanswered this long by a running server is a hang. */
const ANSWER_WITHIN_MS = 30_000;
/** How long a client keeps retrying while no server answers. */
const GIVE_UP_AFTER_MS = 90_000;
/** After the last restart the server must finish its background work within this. */
const DRAIN_WITHIN_MS = 150_000;

jest.setTimeout(420_000);

const plan = fc.sample(
  fc.record({
    slotOf: fc.array(fc.nat(HOT_SLOTS - 1), { minLength: PATIENTS, maxLength: PATIENTS }),
    // Half of a wave over its server's life, half in a burst just before the kill that ends it.
    arrivals: fc.array(
      fc.oneof(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.985, max: 1, noNaN: true })),
      {
        minLength: PATIENTS + TEXTERS,
        maxLength: PATIENTS + TEXTERS,
      },
    ),
    echo: fc.array(fc.integer({ min: 500, max: 4000 }), { minLength: PATIENTS, maxLength: PATIENTS }),
    killAfter: fc.array(fc.integer({ min: 600, max: 1800 }), { minLength: WAVES, maxLength: WAVES }),
    downFor: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: KILLS, maxLength: KILLS }),
  }),
  { seed: SEED, numRuns: 1 },
)[0] as {
  slotOf: number[];
  arrivals: number[];
  echo: number[];
  killAfter: number[];
  downFor: number[];
};

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field.
  body: any;
}

interface Visit {
  id: string;
  slotId: string;
  createdAt: string;
}

/** The visits an answer acknowledges: those of a 201, none otherwise. */
const visitsOf = (answer: Answer | undefined): Visit[] => (answer?.status === 201 ? answer.body.appointments : []);

const dir = mkdtempSync(join(tmpdir(), 'ereg-crash-'));
const dbPath = join(dir, 'ereg.sqlite');
let port: number;
let server: Started;
let kills = 0;
const stats = { requests: 0, connectionErrors: 0, hangs: [] as string[], serverErrors: [] as string[] };
let inFlight = 0;
/** When each server life began to listen (the first before the storm). */
const readyAt: number[] = [];
const restartMs: number[] = [];
/** How many requests were waiting for an answer at each kill. */
const inFlightAtKills: number[] = [];
/** Settles when the server of each life listens (the first one before the storm). */
const lives = Array.from({ length: WAVES }, () => Promise.withResolvers<void>());

/**
 * Sends one request as a careful client does: after a connection error (the process died, or is not
 * listening yet) the same request again, same Idempotency-Key, until an answer comes.
 */
async function send(path: string, init: { method: string; headers: Record<string, string>; body?: string }) {
  const deadline = Date.now() + GIVE_UP_AFTER_MS;
  for (let attempt = 0; ; attempt++) {
    stats.requests++;
    inFlight++;
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      }).finally(() => {
        inFlight--;
      });
      const text = await response.text();
      const answer: Answer = { status: response.status, body: text };
      if (response.headers.get('content-type')?.startsWith('application/json')) answer.body = JSON.parse(text);
      if (answer.status >= 500)
        stats.serverErrors.push(`${init.method} ${path}: ${answer.status} ${text.slice(0, 200)}`);
      return answer;
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') stats.hangs.push(`${init.method} ${path}`);
      else stats.connectionErrors++;
      if (Date.now() > deadline) throw new Error(`no answer to ${init.method} ${path} for ${GIVE_UP_AFTER_MS} ms`);
      await sleep(Math.min(100 * (attempt + 1), 500));
    }
  }
}

const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

function readOnly<T>(read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

interface Patient {
  token: string;
  patientId: string;
}

interface Booking {
  patient: Patient;
  slotId: string;
  key: string;
  answer?: Answer;
  /** Kills before the first answer and before the later re-sends. */
  killsAtAnswer?: number;
  echoes: Answer[];
}

const bookings: Booking[] = [];
const texts: Array<{ phone: string; answers: Answer[] }> = [];
let finalEchoes: Answer[] = [];
let drainedInMs = 0;

async function login(i: number): Promise<Patient> {
  const citizen = aCitizen({ born: 1950 });
  const phone = `+4869${String(1_000_000 + i).padStart(7, '0')}`;
  const issued = await json('POST', '/dev-idp/assertion', { pesel: citizen.pesel, phone });
  const session = await json('POST', '/api/login', { assertion: issued.body.assertion });
  if (session.status !== 200) throw new Error(`login failed: ${JSON.stringify(session.body)}`);
  return { token: session.body.token, patientId: session.body.patient.id };
}

async function book(booking: Booking): Promise<Answer> {
  return json(
    'POST',
    '/api/booking/appointments',
    { slotId: booking.slotId },
    { authorization: `Bearer ${booking.patient.token}`, 'idempotency-key': booking.key },
  );
}

/** A text from a phone to the SMS webhook, signed as Twilio signs; retried with the same message id. */
function text(authToken: string, from: string, sid: string, body: string) {
  const form = { MessageSid: sid, From: from, To: '+48800100200', Body: body };
  const signature = twilioSignature(authToken, `http://127.0.0.1:${port}/api/sms/inbound`, form);
  return send('/api/sms/inbound', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(form).toString(),
  });
}

/** When request `i` arrives: in its wave's server life, at a seeded fraction of that life. */
async function arrival(i: number): Promise<void> {
  const wave = i % WAVES;
  await (lives[wave] as PromiseWithResolvers<void>).promise;
  await sleep((plan.arrivals[i] as number) * (plan.killAfter[wave] as number));
}

async function storm(authToken: string, postalCode: string, hot: string[], patients: Patient[]) {
  const booking = patients.map(async (patient, i) => {
    const entry: Booking = {
      patient,
      slotId: hot[plan.slotOf[i] as number] as string,
      key: `crash-${SEED}-${i}`,
      echoes: [],
    };
    bookings.push(entry);
    await arrival(i);
    entry.answer = await book(entry);
    entry.killsAtAnswer = kills;
    if (entry.answer.status !== 201) return;
    // The same request once more a little later (often across a restart): the same answer.
    await sleep(plan.echo[i] as number);
    entry.echoes.push(await book(entry));
  });
  const texting = Array.from({ length: TEXTERS }, async (_, i) => {
    const phone = `+4866${String(2_000_000 + i).padStart(7, '0')}`;
    const entry = { phone, answers: [] as Answer[] };
    texts.push(entry);
    await arrival(PATIENTS + i);
    const pesel = aCitizen({ born: 1952 }).pesel;
    entry.answers.push(
      await text(authToken, phone, `SM${SEED}k${i}`.padEnd(34, '0'), `SZCZEPIENIE ${pesel} ${postalCode}`),
    );
    await sleep(300);
    entry.answers.push(await text(authToken, phone, `SM${SEED}y${i}`.padEnd(34, '0'), 'TAK'));
  });
  await Promise.all([...booking, ...texting]);
}

/** Ends each server life with SIGKILL at its seeded moment and starts the next one on the same data folder. */
async function killer() {
  readyAt.push(Date.now());
  lives[0]?.resolve();
  for (let life = 0; life < KILLS; life++) {
    await sleep(plan.killAfter[life] as number);
    inFlightAtKills.push(inFlight);
    await killHard(server.child);
    kills++;
    await sleep(plan.downFor[life] as number);
    const restarting = Date.now();
    server = await startLocalServer(dir, port);
    restartMs.push(Date.now() - restarting);
    readyAt.push(Date.now());
    lives[life + 1]?.resolve();
  }
}

/** Whether the outbox is delivered to every persisted consumer and no task is due or running. */
function backgroundWorkDone(): boolean {
  return readOnly((db) => {
    const end = (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM outbox').get() as { seq: number }).seq;
    const cursors = db
      .prepare(
        `SELECT consumer, seq FROM consumer_cursors WHERE consumer IN (${PERSISTED_CONSUMERS.map(() => '?').join(', ')})`,
      )
      .all(...PERSISTED_CONSUMERS) as Array<{ seq: number }>;
    const busy = db
      .prepare(
        `SELECT count(*) AS n FROM scheduled_tasks WHERE status = 'running' OR (status = 'pending' AND run_at <= ?)`,
      )
      .get(new Date().toISOString()) as { n: number };
    return cursors.length === PERSISTED_CONSUMERS.length && cursors.every((c) => c.seq === end) && busy.n === 0;
  });
}

beforeAll(async () => {
  port = await freePort();
  server = await startLocalServer(dir, port);
  // The first start publishes the demo centres' slots in the background.
  await server.logged(/Published \d+ new slots/, 120_000);
  const { authToken, postalCode, hot } = readOnly((db) => {
    const token = db.prepare("SELECT value FROM meta WHERE key = 'sms.localAuthToken'").get() as { value: string };
    const centre = db.prepare('SELECT id, data FROM centres ORDER BY id LIMIT 1').get() as { id: string; data: string };
    // Free slots of the first centres from the day after tomorrow on: the storm's hot spots.
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const slots = db
      .prepare(
        `SELECT id FROM slots WHERE local_date >= ? AND booked < capacity AND centre_id IN
           (SELECT id FROM centres ORDER BY id LIMIT 3)
         ORDER BY local_date, start, id LIMIT ?`,
      )
      .all(from, HOT_SLOTS) as Array<{ id: string }>;
    return {
      authToken: token.value,
      postalCode: (JSON.parse(centre.data) as { address: { postalCode: string } }).address.postalCode,
      hot: slots.map((s) => s.id),
    };
  });
  expect(hot).toHaveLength(HOT_SLOTS);
  const patients: Patient[] = [];
  for (let i = 0; i < PATIENTS; i += 8) {
    patients.push(...(await Promise.all(Array.from({ length: Math.min(8, PATIENTS - i) }, (_, j) => login(i + j)))));
  }

  const started = Date.now();
  await Promise.all([storm(authToken, postalCode, hot, patients), killer()]);
  // After the last restart: every acknowledged booking asked again, same key, same body.
  finalEchoes = await Promise.all(bookings.filter((b) => b.answer?.status === 201).map(book));
  const drainStarted = Date.now();
  while (!backgroundWorkDone()) {
    if (Date.now() - drainStarted > DRAIN_WITHIN_MS) throw new Error('the background work did not finish');
    await sleep(500);
  }
  drainedInMs = Date.now() - drainStarted;
  expect(await stopGracefully(server.child)).toBe('stopped');
  const answered = bookings.map((b) => b.answer?.status ?? 0);
  // Bookings a killed process committed without answering, answered from the store by the retry.
  const committedBeforeACrash = bookings.filter((b) =>
    visitsOf(b.answer).some((v) => Date.parse(v.createdAt) < (readyAt[b.killsAtAnswer ?? 0] as number)),
  ).length;
  console.info(
    `CRASH_SEED=${SEED}: ${kills} kills during ${Math.round((Date.now() - started) / 1000)} s; ` +
      `${answered.filter((s) => s === 201).length} bookings acknowledged, ${answered.filter((s) => s === 409).length} refused; ` +
      `${stats.requests} requests, ${stats.connectionErrors} connection errors retried; ` +
      `in flight at each kill: ${inFlightAtKills.join(', ')}; restarts took ${restartMs.join(', ')} ms; ${committedBeforeACrash} committed by a killed process ` +
      `and answered to the retry; background work done ${drainedInMs} ms after the storm`,
  );
}, 400_000);

afterAll(async () => {
  if (server) await killHard(server.child);
  rmSync(dir, { recursive: true, force: true });
});

test('the process was killed at least five times while requests were in flight, and clients retried', () => {
  expect(kills).toBeGreaterThanOrEqual(5);
  expect(inFlightAtKills.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
  expect(stats.connectionErrors).toBeGreaterThan(0);
  expect({ seed: SEED, hangs: stats.hangs, serverErrors: stats.serverErrors }).toEqual({
    seed: SEED,
    hangs: [],
    serverErrors: [],
  });
  const outcomes = new Set(bookings.map((b) => `${b.answer?.status} ${b.answer?.body?.error?.code ?? ''}`.trim()));
  // Places ran out: some were booked, the rest told the slot is full (never that they had booked already).
  expect([...outcomes].sort()).toEqual(['201', '409 SLOT_FULL']);
});

test('every acknowledged booking is in the store, and no booking is there that was not acknowledged', () => {
  const acknowledged = bookings.filter((b) => b.answer?.status === 201);
  const { missing, unacknowledged } = readOnly((db) => {
    const get = db.prepare('SELECT patient_id, slot_id, status FROM appointments WHERE id = ?');
    const missingRows = acknowledged.flatMap((b) =>
      visitsOf(b.answer).filter((a) => {
        const row = get.get(a.id) as { patient_id: string; slot_id: string; status: string } | undefined;
        return row?.patient_id !== b.patient.patientId || row.slot_id !== a.slotId || row.status !== 'booked';
      }),
    );
    const byPatient = db.prepare('SELECT id FROM appointments WHERE patient_id = ?');
    const extra = bookings.flatMap((b) => {
      const known = new Set(visitsOf(b.answer).map((a) => a.id));
      return (byPatient.all(b.patient.patientId) as Array<{ id: string }>).filter((row) => !known.has(row.id));
    });
    return { missing: missingRows, unacknowledged: extra };
  });
  expect(acknowledged.length).toBeGreaterThan(0);
  expect({ seed: SEED, missing, unacknowledged }).toEqual({ seed: SEED, missing: [], unacknowledged: [] });
});

test('the same Idempotency-Key answers the same booking, across restarts', () => {
  const acknowledged = bookings.filter((b) => b.answer?.status === 201);
  const idsOf = (answer: Answer | undefined) =>
    answer?.status === 201
      ? `${answer.body.bookingId} ${visitsOf(answer)
          .map((a) => a.id)
          .join(',')}`
      : `${answer?.status} ${answer?.body?.error?.code}`;
  const differing = acknowledged.flatMap((b, i) =>
    [...b.echoes, finalEchoes[i]]
      .filter((echo) => idsOf(echo) !== idsOf(b.answer))
      .map((echo) => ({ key: b.key, first: idsOf(b.answer), later: idsOf(echo) })),
  );
  expect({ seed: SEED, differing }).toEqual({ seed: SEED, differing: [] });
  // Most acknowledged bookings were asked again after at least one kill.
  const acrossKills = acknowledged.filter((b) => (b.killsAtAnswer ?? kills) < kills).length;
  expect(acrossKills).toBeGreaterThan(acknowledged.length / 2);
});

test('no slot is over capacity, and every slot counter equals its active appointments', () => {
  expect({ seed: SEED, slots: readOnly(slotsOutOfLine) }).toEqual({ seed: SEED, slots: [] });
});

test('every outbox event reached each persisted consumer: its cursor at the end, every event marked handled', () => {
  expect({ seed: SEED, undelivered: readOnly(undeliveredEvents) }).toEqual({ seed: SEED, undelivered: [] });
});

test('the search read model equals a recount from the slots', () => {
  expect({ seed: SEED, drift: readOnly(availabilityDrift).slice(0, 5) }).toEqual({ seed: SEED, drift: [] });
});

test('analytics hold exactly one row per outbox event', () => {
  expect({ seed: SEED, drift: readOnly(analyticsDrift).slice(0, 5) }).toEqual({ seed: SEED, drift: [] });
});

test('every acknowledged booking has its confirmation in the message ledger', () => {
  const keys = bookings.filter((b) => b.answer?.status === 201).map((b) => `booked:${b.answer?.body.bookingId}`);
  const unplanned = readOnly((db) => {
    const get = db.prepare('SELECT 1 FROM sms_messages WHERE key = ?');
    return keys.filter((key) => !get.get(key));
  });
  expect({ seed: SEED, unplanned }).toEqual({ seed: SEED, unplanned: [] });
});

test('no text message reached a phone twice, and the ledger agrees with what phones received', () => {
  expect({ seed: SEED, twice: readOnly(smsSentTwice) }).toEqual({ seed: SEED, twice: [] });
  expect({ seed: SEED, ledger: readOnly(ledgerOutOfLine) }).toEqual({ seed: SEED, ledger: [] });
  // Every text to the webhook was answered (TwiML), whatever the restarts.
  expect(texts.flatMap((t) => t.answers.map((a) => a.status)).every((s) => s === 200)).toBe(true);
});
