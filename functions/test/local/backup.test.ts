import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Started, startLocalServer, stopGracefully } from '../crash/server-lifecycle.ts';
import { aCitizen } from '../support/builders.ts';
import { freePort } from '../support/emulators.ts';

/*
 * `npm run backup` taken from a running `npm start` while people go on booking, then `npm run restore`
 * into a fresh data folder and `npm start` on it: the visits acknowledged before the backup are there,
 * with their ids, slots and statuses, and every slot's count agrees with its visits.
 */

jest.setTimeout(240_000);

const BACKUP = join(__dirname, '../../src/runtime/local/backup.ts');
const root = mkdtempSync(join(tmpdir(), 'ereg-backup-'));
const running = join(root, 'running');
const restored = join(root, 'restored');
const backupFile = join(root, 'copies', 'ereg.sqlite');

afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) await stopGracefully(server.child);
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run backup|restore -- …`, as the npm scripts run it. */
function cli(...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--conditions=source', BACKUP, ...args], {
    env: { ...process.env, DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function readOnly<T>(dbPath: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(dbPath, { readOnly: true, timeout: 5000 });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

interface Visit {
  id: string;
  slot_id: string;
  status: string;
}
const visitsIn = (dbPath: string) =>
  readOnly(
    dbPath,
    (db) => db.prepare('SELECT id, slot_id, status FROM appointments ORDER BY id').all() as unknown as Visit[],
  );
const slotCountsIn = (dbPath: string) =>
  readOnly(
    dbPath,
    (db) =>
      db.prepare('SELECT id, booked FROM slots WHERE booked > 0 ORDER BY id').all() as unknown as Array<{
        id: string;
        booked: number;
      }>,
  );
/** What each slot's count should be: its visits that hold a place. */
const countsFromVisits = (visits: Visit[]) => {
  const counts = new Map<string, number>();
  for (const v of visits.filter((v) => v.status === 'booked')) counts.set(v.slot_id, (counts.get(v.slot_id) ?? 0) + 1);
  return [...counts].map(([id, booked]) => ({ id, booked })).sort((a, b) => a.id.localeCompare(b.id));
};

let port: number;
let server: Started;
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field.
type Body = any;
async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Body }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST' && path.endsWith('/appointments') ? { 'idempotency-key': crypto.randomUUID() } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function login(i: number): Promise<{ token: string; patientId: string }> {
  const citizen = aCitizen({ born: 1950 });
  const phone = `+4869${String(3_000_000 + i).padStart(7, '0')}`;
  const issued = await call('POST', '/dev-idp/assertion', { pesel: citizen.pesel, phone });
  const session = await call('POST', '/api/login', { assertion: issued.body.assertion });
  if (session.status !== 200) throw new Error(`login failed: ${JSON.stringify(session.body)}`);
  return { token: session.body.token, patientId: session.body.patient.id };
}

const freeSlots = (dbPath: string, count: number) =>
  readOnly(dbPath, (db) => {
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    return (
      db
        .prepare(
          'SELECT id FROM slots WHERE local_date >= ? AND booked < capacity ORDER BY local_date, start, id LIMIT ?',
        )
        .all(from, count) as Array<{ id: string }>
    ).map((s) => s.id);
  });

test('a backup taken while bookings go on restores into a fresh folder with the same visits and slot counts', async () => {
  port = await freePort();
  server = await startLocalServer(running, port);
  await server.logged(/Published \d+ new slots/, 120_000);
  const dbPath = join(running, 'ereg.sqlite');
  const slots = freeSlots(dbPath, 40);
  expect(slots).toHaveLength(40);
  const people = [];
  for (let i = 0; i < 24; i++) people.push(await login(i));

  // Before the backup: eight visits booked, one of them cancelled.
  const before: string[] = [];
  for (let i = 0; i < 8; i++) {
    const answer = await call('POST', '/api/booking/appointments', { slotId: slots[i] }, people[i]?.token);
    expect(answer.status).toBe(201);
    before.push(...answer.body.appointments.map((a: { id: string }) => a.id));
  }
  const cancelled = await call('POST', `/api/booking/appointments/${before[0]}/cancel`, {}, people[0]?.token);
  expect(cancelled.status).toBe(200);

  // While the backup runs, the others keep booking.
  let booking = true;
  const during = (async () => {
    let booked = 0;
    for (let i = 8; i < people.length && booking; i++) {
      const answer = await call('POST', '/api/booking/appointments', { slotId: slots[i] }, people[i]?.token);
      if (answer.status === 201) booked++;
      await sleep(20);
    }
    return booked;
  })();
  await sleep(50);
  const backedUp = await cli('backup', '--data-dir', running, '--to', backupFile);
  booking = false;
  expect({ code: backedUp.code, stderr: backedUp.stderr }).toEqual({ code: 0, stderr: '' });
  expect(backedUp.stdout).toMatch(/Backing up .*ereg\.sqlite \(.* MB\) to .*\n(.*\n)* {2}copied \d+ pages\n/);
  expect(backedUp.stdout).toMatch(/Backup complete: .*ereg\.sqlite \(.* MB, \d+ appointments\)/);
  expect(await during).toBeGreaterThan(0);
  expect(readdirSync(join(root, 'copies'))).toEqual(['ereg.sqlite']);

  // A second backup to the same file is refused; a restore onto the running server's folder too.
  const again = await cli('backup', '--data-dir', running, '--to', backupFile);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/^--to: .* already exists/);
  const ontoRunning = await cli('restore', '--from', backupFile, '--data-dir', running);
  expect(ontoRunning.code).toBe(2);
  expect(ontoRunning.stderr).toMatch(/^--data-dir: a server is running on .* \(it holds outbox\.lease\./);

  const atStop = visitsIn(dbPath);
  expect(await stopGracefully(server.child)).toBe('stopped');
  const copied = visitsIn(backupFile);
  // Everything acknowledged before the backup began is in it, as it was (the cancellation included).
  for (const id of before) expect(copied.find((v) => v.id === id)).toEqual(atStop.find((v) => v.id === id));
  expect(copied.find((v) => v.id === before[0])?.status).toBe('cancelled');
  // The copy is one consistent moment: its slot counts agree with its visits.
  expect(slotCountsIn(backupFile)).toEqual(countsFromVisits(copied));

  const back = await cli('restore', '--from', backupFile, '--data-dir', restored);
  expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
  expect(back.stdout).toMatch(/integrity ok, schema version \d+ of \d+/);

  port = await freePort();
  server = await startLocalServer(restored, port);
  try {
    // Through the restored server: the first person's visits, as they were.
    const own = await call(
      'GET',
      `/api/booking/patients/${people[1]?.patientId}/appointments`,
      undefined,
      people[1]?.token,
    );
    expect(own.status).toBe(200);
    const listed = (own.body.appointments ?? own.body) as Array<{ id: string; slotId: string; status: string }>;
    const expected = copied.filter((v) => listed.some((l) => l.id === v.id));
    expect(expected.length).toBeGreaterThan(0);
    for (const visit of expected) {
      expect(listed.find((l) => l.id === visit.id)).toMatchObject({ slotId: visit.slot_id, status: visit.status });
    }
  } finally {
    expect(await stopGracefully(server.child)).toBe('stopped');
  }
  const restoredDb = join(restored, 'ereg.sqlite');
  expect(visitsIn(restoredDb)).toEqual(copied);
  expect(slotCountsIn(restoredDb)).toEqual(slotCountsIn(backupFile));
});

test('a restore refuses a damaged file and a missing one, naming the argument, and keeps the database it replaces', async () => {
  const folder = join(root, 'refusals');
  const damaged = join(root, 'damaged.sqlite');
  writeFileSync(damaged, 'SQLite format 3\u0000 but not really a database');
  const refusedDamaged = await cli('restore', '--from', damaged, '--data-dir', folder);
  expect(refusedDamaged.code).toBe(2);
  expect(refusedDamaged.stderr).toMatch(/^--from: .*damaged\.sqlite/);
  const refusedMissing = await cli('restore', '--from', join(root, 'nowhere.sqlite'), '--data-dir', folder);
  expect(refusedMissing.code).toBe(2);
  expect(refusedMissing.stderr).toMatch(/^--from: no backup file at /);
  expect(existsSync(join(folder, 'ereg.sqlite'))).toBe(false);

  // Over the restored folder of the first test (its server stopped): the old file is kept aside.
  const over = await cli('restore', '--from', backupFile, '--data-dir', restored);
  expect({ code: over.code, stderr: over.stderr }).toEqual({ code: 0, stderr: '' });
  const aside = readdirSync(restored).filter((name) => name.startsWith('ereg.sqlite.before-restore-'));
  expect(aside).toHaveLength(1);
  expect(visitsIn(join(restored, aside[0] as string))).toEqual(visitsIn(backupFile));
});
