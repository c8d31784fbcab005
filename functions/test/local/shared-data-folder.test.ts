import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { rebuildAvailability } from '../../src/adapters/sqlite/availability-projector.ts';
import { LocalSystem } from '../../src/runtime/local/local-system.ts';
import { FakeClock } from '../support/builders.ts';

const NOW = '2026-01-12T07:00:00.000Z';
const demo = { seed: 7, centres: 16, citizens: 50 };

// Start-ups with demo data and a second process: seconds on a quiet machine, more on a busy one.
jest.setTimeout(90_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ereg-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A server process on the data file; answers once it listens, or fails with what it wrote. */
function startProcess(dbPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=source', join(__dirname, '../support/server-process.ts')], {
    env: { ...process.env, DB_PATH: dbPath, FAKE_NOW: NOW },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}: ${stderr}`)));
  });
}

/** Stops the process; answers how it ended (a clean exit, or the signal sent). */
function stopProcess(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null) return Promise.resolve(`exited early with ${child.exitCode}`);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(code === 0 || signal === 'SIGTERM' ? 'stopped' : `exited with ${code}`),
    );
    child.kill('SIGTERM');
  });
}

// The summaries without their change stamps: a rebuild stamps every row it writes anew.
const availability = (db: DatabaseSync) =>
  db
    .prepare(
      `SELECT centre_id, local_date, vaccine_id, free, first_free, first_slots FROM availability
       ORDER BY centre_id, local_date, vaccine_id`,
    )
    .all();

test('a second server on the same data folder waits its turn while the first publishes slots, and both carry on', async () => {
  const dbPath = join(dir, 'ereg.sqlite');
  const first = await LocalSystem.start({
    dbPath,
    clock: new FakeClock(NOW),
    demo,
    publish: 'background',
    log: () => {},
  });
  try {
    const second = await startProcess(dbPath);
    const centres = await first.store.listCentres();

    expect(centres).toHaveLength(16);
    expect(await stopProcess(second)).toBe('stopped');
  } finally {
    await first.stop();
  }
});

test('a restart of a fresh data folder resumes the search read model instead of rebuilding it', async () => {
  const dbPath = join(dir, 'ereg.sqlite');
  const clock = new FakeClock(NOW);
  const first = await LocalSystem.start({ dbPath, clock, demo, log: () => {} });
  await first.stop();

  const lines: string[] = [];
  const second = await LocalSystem.start({ dbPath, clock, demo, log: (line) => lines.push(JSON.parse(line).message) });
  while ((await second.dispatcher.drain()) > 0) {}
  await second.stop();

  expect(lines.filter((line) => line.startsWith('Building the availability read model'))).toEqual([]);
  const db = new DatabaseSync(dbPath);
  try {
    const resumed = availability(db);
    expect(resumed.length).toBeGreaterThan(100);
    db.exec('BEGIN');
    rebuildAvailability(db);
    expect(availability(db)).toEqual(resumed);
    db.exec('ROLLBACK');
  } finally {
    db.close();
  }
});
